"""Summaries sealed to the practitioner, format 1 (see docs/formats.md). Pure.

Layout (integers big-endian)::

    0      5   magic  b"OSPSM"
    5      1   format version (1)
    6      8   recipient key id: SHA-256("osp-key-id-v1" 0x00 || X25519 public key)[:8]
    14     4   L: length of the sealed part (at most 64 MiB)
    18     L   HPKE (RFC 9180, base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256,
               AES-256-GCM): the 32-byte encapsulated key, then the ciphertext and tag

The HPKE ``info`` is ``b"osp summary v1\\x00"`` followed by bytes [0, 18), so the magic,
version, recipient and length are all authenticated with the contents. The plaintext
is the summary JSON padded with spaces to a multiple of 4 KiB (the size of a file says
little about how much was written).
"""

from __future__ import annotations

from osp_cli import crypto
from osp_cli.crypto import CryptoFailure
from osp_cli.errors import DamagedFile
from osp_cli.exchange.frame import FrameError, open_frame, u32

MAGIC = b"OSPSM"
VERSION = 1
MAX_SEALED = 64 * 1024 * 1024
PAD_TO = 4096
_INFO = b"osp summary v1\x00"
_HINT = "Ask the participant to export the summary again."


class NotForThisKey(DamagedFile):
    """Sealed to a different practitioner key."""


def seal(plaintext: bytes, recipient_x25519: bytes) -> bytes:
    padded = plaintext + b" " * (-len(plaintext) % PAD_TO)
    size = len(padded) + 32 + 16
    head = MAGIC + bytes([VERSION]) + crypto.key_id(recipient_x25519) + u32(size)
    sealed = crypto.hpke_seal(recipient_x25519, padded, _INFO + head)
    assert len(sealed) == size
    return head + sealed


def _damaged(reason: str) -> DamagedFile:
    return DamagedFile(f"This summary cannot be opened: {reason}.", hint=_HINT)


def recipient(blob: bytes) -> bytes:
    """The recipient key id, after checking the framing (no key needed)."""
    try:
        reader = open_frame(blob, MAGIC, VERSION, 18 + 48, "summary")
        key = reader.take(8)
        reader.sized(MAX_SEALED)
        reader.end()
    except FrameError as exc:
        raise _damaged(exc.reason) from exc
    return key


def check_recipient(blob: bytes, x25519_public: bytes) -> None:
    """Raise NotForThisKey (or DamagedFile) unless ``blob`` is sealed to this key."""
    if recipient(blob) != crypto.key_id(x25519_public):
        raise NotForThisKey(
            "This summary was sealed for a different practitioner key, so it cannot be "
            "opened with yours.",
            hint="Check that it was exported for you, after importing your assignment.",
        )


def open_sealed(blob: bytes, x25519_private: bytes, x25519_public: bytes) -> bytes:
    """The plaintext JSON. NotForThisKey or DamagedFile on failure."""
    check_recipient(blob, x25519_public)
    try:
        padded = crypto.hpke_open(x25519_private, blob[18:], _INFO + blob[:18])
    except CryptoFailure as exc:
        raise _damaged("it has been changed or damaged since it was written") from exc
    return padded.rstrip(b" ")
