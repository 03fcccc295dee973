"""The practitioner's key file, format 1 (see docs/formats.md). Pure: bytes in, bytes out.

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

import datetime as _dt
import json
from typing import Any, NamedTuple

from osp_cli import crypto
from osp_cli.crypto import CryptoFailure, KdfParams, KeyPairs
from osp_cli.errors import DamagedFile, WrongPassphrase
from osp_cli.exchange.frame import FrameError, Reader, canonical_json, sized

MAGIC = b"OSPPK"
VERSION = 1
MAX_PART = 4096
_HEADER_KEYS = {"format", "created", "kdf", "x25519", "ed25519"}
_BODY_KEYS = {"header_sha256", "x25519", "ed25519"}
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
        return crypto.fingerprint(self.x25519_public, self.ed25519_public)


class _Parsed(NamedTuple):
    info: PublicInfo
    kdf: KdfParams
    header_bytes: bytes
    body: bytes


def encode(keys: KeyPairs, passphrase: str, params: KdfParams | None = None) -> bytes:
    """A new key file holding ``keys``, locked with ``passphrase``."""
    params = params or KdfParams.fresh()
    header = canonical_json(
        {
            "format": VERSION,
            "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
            "kdf": params.to_json(),
            "x25519": crypto.b64e(keys.x25519_public),
            "ed25519": crypto.b64e(keys.ed25519_public),
        }
    )
    inner = canonical_json(
        {
            "header_sha256": crypto.b64e(crypto.digest(header)),
            "x25519": crypto.b64e(keys.x25519_private),
            "ed25519": crypto.b64e(keys.ed25519_private),
        }
    )
    key = crypto.derive_key(passphrase.encode(), params)
    body = crypto.seal(key, inner)
    blob = MAGIC + bytes([VERSION]) + sized(header) + sized(body)
    return blob + crypto.digest(blob)


def _damaged(reason: str) -> DamagedFile:
    return DamagedFile(f"The practitioner key file is damaged: {reason}.", hint=_HINT)


def _parse(blob: bytes) -> _Parsed:
    if len(blob) < 6 + 32 or blob[:5] != MAGIC:
        raise _damaged("it is not an osp practitioner key file")
    if blob[5] != VERSION:
        raise _damaged("it was written in a format this version of osp cannot read")
    if crypto.digest(blob[:-32]) != blob[-32:]:
        raise _damaged("its checksum does not match")
    reader = Reader(blob[:-32], "key file")
    try:
        reader.take(6)
        header = reader.sized(MAX_PART)
        body = reader.sized(MAX_PART)
        reader.end()
    except FrameError as exc:
        raise _damaged(exc.reason) from exc
    try:
        data: Any = json.loads(header.decode("utf-8"))
        if not isinstance(data, dict) or set(data) != _HEADER_KEYS:
            raise ValueError("unexpected keys")
        if data["format"] != VERSION or not isinstance(data["created"], str):
            raise ValueError("unexpected values")
        kdf = KdfParams.from_json(data["kdf"])
        x_pub, e_pub = crypto.b64d(data["x25519"]), crypto.b64d(data["ed25519"])
    except (ValueError, UnicodeDecodeError, CryptoFailure, RecursionError) as exc:
        raise _damaged("its header is unreadable") from exc
    if len(x_pub) != 32 or len(e_pub) != 32:
        raise _damaged("its public keys have the wrong length")
    return _Parsed(PublicInfo(data["created"], x_pub, e_pub), kdf, header, body)


def public_info(blob: bytes) -> PublicInfo:
    """The public keys and creation time (no passphrase needed). Raises DamagedFile."""
    return _parse(blob).info


def unlock(blob: bytes, passphrase: str) -> KeyPairs:
    """The key pairs in the file. WrongPassphrase or DamagedFile on failure."""
    parsed = _parse(blob)
    try:
        key = crypto.derive_key(passphrase.encode(), parsed.kdf)
        inner = crypto.unseal(key, parsed.body)
    except CryptoFailure as exc:
        raise WrongPassphrase(
            "That passphrase does not unlock your practitioner keys.",
            hint="Check the passphrase and try again.",
        ) from exc
    try:
        data: Any = json.loads(inner.decode("utf-8"))
        if not isinstance(data, dict) or set(data) != _BODY_KEYS:
            raise ValueError("unexpected keys")
        if crypto.b64d(data["header_sha256"]) != crypto.digest(parsed.header_bytes):
            raise ValueError("the header was changed")
        x_priv, e_priv = crypto.b64d(data["x25519"]), crypto.b64d(data["ed25519"])
        publics = crypto.public_keys_of(x_priv, e_priv)
    except (ValueError, UnicodeDecodeError, CryptoFailure, RecursionError) as exc:
        raise _damaged("its contents do not match its header") from exc
    if publics != (parsed.info.x25519_public, parsed.info.ed25519_public):
        raise _damaged("its private keys do not match its public keys")
    return KeyPairs(
        x25519_private=x_priv,
        x25519_public=publics[0],
        ed25519_private=e_priv,
        ed25519_public=publics[1],
    )
