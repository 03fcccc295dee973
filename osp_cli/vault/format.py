"""The workbook file format, version 2 (see docs/vault-format.md). Pure: bytes in, bytes out.

Version 2 is version 1 with a save journal beside it (osp_cli/vault/journal.py); the
bytes are laid out the same. Versions 1 and 2 are read; version 2 is written, so an osp
that knows nothing of the journal refuses the file rather than miss journalled saves.

Layout (all integers big-endian)::

    0      5   magic  b"OSPWB"
    5      1   format version (2; 1 is read too)
    6      4   H: header length (at most 64 KiB)
    10     H   header: canonical UTF-8 JSON (KDF settings, wrapped data keys, ids)
    10+H   4   B: body length
    14+H   B   body: Fernet token of the UTF-8 JSON payload, under the data key
    14+H+B 32  MAC: HMAC-SHA256 over bytes [0, 14+H+B) with a key derived from the data key
    end-32 32  checksum: SHA-256 over everything before it (finds damage before unlocking)
"""

from __future__ import annotations

import json
import secrets
import struct
from dataclasses import dataclass
from typing import Any

from osp_cli import crypto
from osp_cli.crypto import CryptoFailure, KdfParams
from osp_cli.vault.layout import MAGIC as MAGIC

VERSION = 2
#: The versions this osp reads (an older one is rewritten as VERSION when it is opened).
READABLE = (1, 2)
MAX_HEADER = 64 * 1024
MAX_BODY = 48 * 1024 * 1024  # a 10,000-answer workbook is about 3 MB
_MAC_PURPOSE = "osp workbook header+body mac v1"
_HEADER_KEYS = {"format", "id", "created", "generation", "kdf", "wrapped"}
# 25 characters of Crockford's base32 alphabet (no I, L, O, U): 125 bits, read in 5 groups.
_RECOVERY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECOVERY_GROUPS = 5
RECOVERY_GROUP_LEN = 5


class FormatError(Exception):
    """The bytes are not a sound workbook file. ``reason`` is plain and secret-free."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class BadSecret(Exception):
    """The passphrase or recovery code did not unwrap the data key."""


def new_recovery_code() -> str:
    chars = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(25))
    return "-".join(chars[i : i + RECOVERY_GROUP_LEN] for i in range(0, 25, RECOVERY_GROUP_LEN))


def normalise_recovery_code(text: str) -> str:
    """Accept lower case, spaces, missing dashes and the look-alikes O→0, I/L→1."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    cleaned = cleaned.replace("O", "0").replace("I", "1").replace("L", "1")
    if len(cleaned) != 25 or any(ch not in _RECOVERY_ALPHABET for ch in cleaned):
        return ""
    return "-".join(cleaned[i : i + RECOVERY_GROUP_LEN] for i in range(0, 25, RECOVERY_GROUP_LEN))


@dataclass(frozen=True, slots=True)
class Header:
    file_id: str
    created: str
    generation: int
    passphrase_kdf: KdfParams
    passphrase_wrap: bytes
    recovery_kdf: KdfParams
    recovery_wrap: bytes

    def to_bytes(self) -> bytes:
        data = {
            "format": VERSION,
            "id": self.file_id,
            "created": self.created,
            "generation": self.generation,
            "kdf": self.passphrase_kdf.to_json(),
            "wrapped": {
                "passphrase": self.passphrase_wrap.decode("ascii"),
                "recovery": {
                    "kdf": self.recovery_kdf.to_json(),
                    "key": self.recovery_wrap.decode("ascii"),
                },
            },
        }
        return json.dumps(data, sort_keys=True, separators=(",", ":")).encode()

    @classmethod
    def from_bytes(cls, raw: bytes, version: int = VERSION) -> Header:
        """The header of a file of format ``version`` (the byte after the magic)."""
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            # RecursionError: deeply nested JSON (a checksum is no proof of good intent).
            raise FormatError("the file header is unreadable") from exc
        if not isinstance(data, dict) or set(data) != _HEADER_KEYS:
            raise FormatError("the file header has unexpected contents")
        if type(data["format"]) is not int or data["format"] != version:
            raise FormatError("the file header names an unknown format version")
        wrapped = data["wrapped"]
        try:
            recovery = wrapped["recovery"]
            header = cls(
                file_id=_str(data["id"]),
                created=_str(data["created"]),
                generation=_int(data["generation"]),
                passphrase_kdf=KdfParams.from_json(data["kdf"]),
                passphrase_wrap=_str(wrapped["passphrase"]).encode("ascii"),
                recovery_kdf=KdfParams.from_json(recovery["kdf"]),
                recovery_wrap=_str(recovery["key"]).encode("ascii"),
            )
        except CryptoFailure as exc:
            raise FormatError(str(exc)) from exc
        except (KeyError, TypeError, ValueError, UnicodeEncodeError) as exc:
            raise FormatError("the file header has unexpected contents") from exc
        if set(wrapped) != {"passphrase", "recovery"} or set(recovery) != {"kdf", "key"}:
            raise FormatError("the file header has unexpected contents")
        return header


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("expected text")
    return value


def _int(value: object) -> int:
    if type(value) is not int or value < 0:
        raise TypeError("expected a whole number")
    return value


@dataclass(frozen=True, slots=True)
class Parsed:
    version: int
    header: Header
    header_bytes: bytes
    body: bytes
    signed_part: bytes
    tag: bytes


def parse(blob: bytes) -> Parsed:
    """Check structure and checksum without any secret. Raises FormatError."""
    if len(blob) < 14 + 64 or blob[:5] != MAGIC:
        raise FormatError("this is not an osp workbook, or it has been cut short")
    if blob[5] not in READABLE:
        raise FormatError("this workbook was written in a format this version cannot read")
    if crypto.digest(blob[:-32]) != blob[-32:]:
        raise FormatError("the file is damaged (its checksum does not match)")
    (hlen,) = struct.unpack(">I", blob[6:10])
    if hlen > MAX_HEADER or 10 + hlen + 4 + 64 > len(blob):
        raise FormatError("the file header is damaged")
    header_bytes = blob[10 : 10 + hlen]
    (blen,) = struct.unpack(">I", blob[10 + hlen : 14 + hlen])
    end = 14 + hlen + blen
    if blen > MAX_BODY or end + 64 != len(blob):
        raise FormatError("the file body is damaged")
    header = Header.from_bytes(header_bytes, blob[5])
    return Parsed(
        version=blob[5],
        header=header,
        header_bytes=header_bytes,
        body=blob[14 + hlen : end],
        signed_part=blob[:end],
        tag=blob[end : end + 32],
    )


def unwrap_with_passphrase(header: Header, passphrase: str) -> bytes:
    return _unwrap(header.passphrase_kdf, header.passphrase_wrap, passphrase.encode("utf-8"))


def unwrap_with_recovery(header: Header, code: str) -> bytes:
    normal = normalise_recovery_code(code)
    if not normal:
        raise BadSecret()
    return _unwrap(header.recovery_kdf, header.recovery_wrap, normal.encode("ascii"))


def _unwrap(params: KdfParams, wrapped: bytes, secret: bytes) -> bytes:
    kek = crypto.derive_key(secret, params)
    try:
        return crypto.unseal(kek, wrapped)
    except CryptoFailure as exc:
        raise BadSecret() from exc


def wrap(secret: str, data_key: bytes, params: KdfParams) -> bytes:
    return crypto.seal(crypto.derive_key(secret.encode("utf-8"), params), data_key)


def decrypt(parsed: Parsed, data_key: bytes) -> dict[str, Any]:
    """Verify the MAC (header and body) and decrypt the payload. Raises FormatError."""
    if not crypto.mac_ok(crypto.subkey(data_key, _MAC_PURPOSE), parsed.signed_part, parsed.tag):
        raise FormatError("the file has been altered (its authentication check failed)")
    try:
        plain = crypto.unseal(data_key, parsed.body)
    except CryptoFailure as exc:
        raise FormatError("the file body has been altered or damaged") from exc
    try:
        payload = json.loads(plain.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise FormatError("the workbook contents are unreadable") from exc
    if not isinstance(payload, dict):
        raise FormatError("the workbook contents are unreadable")
    return payload


def encode(header: Header, data_key: bytes, payload: dict[str, Any]) -> bytes:
    header_bytes = header.to_bytes()
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    # A lone surrogate (undecodable input that slipped past the prompts) becomes "?"
    # rather than making the save fail and the answer be lost.
    plain = text.encode("utf-8", "replace")
    body = crypto.seal(data_key, plain)
    signed = b"".join(
        [
            MAGIC,
            bytes([VERSION]),
            struct.pack(">I", len(header_bytes)),
            header_bytes,
            struct.pack(">I", len(body)),
            body,
        ]
    )
    tagged = signed + crypto.mac(crypto.subkey(data_key, _MAC_PURPOSE), signed)
    return tagged + crypto.digest(tagged)
