"""The practitioner's key file, format 1 (see docs/formats.md): its layout, and what can
be read from it without the passphrase (with no cryptography library: whoami and the
checks before the passphrase prompt use this). Locking and unlocking: keystore.py.

Layout (integers big-endian)::

    0      5   magic  b"OSPPK"
    5      1   format version (1)
    6      4   H: header length (at most 4 KiB)
    10     H   header: canonical JSON (created, KDF settings, the two public keys)
    10+H   4   B: body length (at most 4 KiB)
    14+H   B   body: Fernet token under Argon2id(passphrase) of canonical JSON
               {"header_sha256", "x25519", "ed25519"} (the private keys)
    end-32 32  checksum: SHA-256 over everything before it

The body binds the header by its SHA-256, and the private keys must produce the public
keys in the header, so an edited header is found as soon as the file is unlocked.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from osp_cli import cryptodata
from osp_cli.cryptodata import CryptoFailure, KdfParams
from osp_cli.errors import DamagedFile
from osp_cli.exchange.frame import FrameError, Reader

MAGIC = b"OSPPK"
VERSION = 1
MAX_PART = 4096
_HEADER_KEYS = {"format", "created", "kdf", "x25519", "ed25519"}
_HINT = "Restore the practitioner folder from your backup, or run 'osp practitioner init' again."


class PublicInfo(NamedTuple):
    """What anyone can read from a key file without the passphrase. (Named tuples, not
    dataclasses, here: they cost a tenth as much to define, and 'osp practitioner
    whoami' loads this module before its first line.)"""

    created: str
    x25519_public: bytes
    ed25519_public: bytes

    @property
    def fingerprint(self) -> str:
        return cryptodata.fingerprint(self.x25519_public, self.ed25519_public)


class Parsed(NamedTuple):
    info: PublicInfo
    kdf: KdfParams
    header_bytes: bytes
    body: bytes


def damaged(reason: str) -> DamagedFile:
    return DamagedFile(f"The practitioner key file is damaged: {reason}.", hint=_HINT)


def parse(blob: bytes) -> Parsed:
    if len(blob) < 6 + 32 or blob[:5] != MAGIC:
        raise damaged("it is not an osp practitioner key file")
    if blob[5] != VERSION:
        raise damaged("it was written in a format this version of osp cannot read")
    if cryptodata.digest(blob[:-32]) != blob[-32:]:
        raise damaged("its checksum does not match")
    reader = Reader(blob[:-32], "key file")
    try:
        reader.take(6)
        header = reader.sized(MAX_PART)
        body = reader.sized(MAX_PART)
        reader.end()
    except FrameError as exc:
        raise damaged(exc.reason) from exc
    try:
        data: Any = json.loads(header.decode("utf-8"))
        if not isinstance(data, dict) or set(data) != _HEADER_KEYS:
            raise ValueError("unexpected keys")
        if data["format"] != VERSION or not isinstance(data["created"], str):
            raise ValueError("unexpected values")
        kdf = KdfParams.from_json(data["kdf"])
        x_pub, e_pub = cryptodata.b64d(data["x25519"]), cryptodata.b64d(data["ed25519"])
    except (ValueError, UnicodeDecodeError, CryptoFailure, RecursionError) as exc:
        raise damaged("its header is unreadable") from exc
    if len(x_pub) != 32 or len(e_pub) != 32:
        raise damaged("its public keys have the wrong length")
    return Parsed(PublicInfo(data["created"], x_pub, e_pub), kdf, header, body)


def public_info(blob: bytes) -> PublicInfo:
    """The public keys and creation time (no passphrase needed). Raises DamagedFile."""
    return parse(blob).info
