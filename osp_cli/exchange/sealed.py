"""Summaries sealed to the practitioner, formats 1 and 2 (see docs/formats.md). Pure.

Layout (integers big-endian)::

    0      5   magic  b"OSPSM"
    5      1   format version (2; version 1 files still open, as unsigned)
    6      8   recipient key id: SHA-256("osp-key-id-v1" 0x00 || X25519 public key)[:8]
    14     4   L: length of the sealed part (at most MAX_SEALED, about 4 MiB)
    18     L   HPKE (RFC 9180, base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256,
               AES-256-GCM): the 32-byte encapsulated key, then the ciphertext and tag

The HPKE ``info`` is ``b"osp summary v2\\x00"`` (``v1`` for version 1) followed by bytes
[0, 18), so the magic, version, recipient and length are all authenticated with the
contents.

The plaintext of version 2 is signed by the participant's own workbook key, inside the
seal (so only the practitioner sees who signed)::

    0      32  the workbook's Ed25519 public key
    32     64  Ed25519 signature over "osp summary signature v1" 0x00 || recipient key id
               || the summary JSON
    96     -   the summary JSON, padded with spaces to a multiple of 4 KiB

Version 1's plaintext is the padded summary JSON alone (no signature). The padding means
the size of a file says little about how much was written.
"""

from __future__ import annotations

from dataclasses import dataclass

from osp_cli import crypto, limits
from osp_cli.crypto import CryptoFailure
from osp_cli.errors import DamagedFile
from osp_cli.exchange.frame import FrameError, open_frame, u32

MAGIC = b"OSPSM"
VERSION = 2
UNSIGNED_VERSION = 1
PAD_TO = 4096
#: The largest sealed part osp writes: a summary at its limit, signed, padded, sealed.
MAX_SEALED = limits.SEALED_SUMMARY_BYTES - 18
_INFO = {1: b"osp summary v1\x00", 2: b"osp summary v2\x00"}
_SIGNED = b"osp summary signature v1\x00"
_HINT = "Ask the participant to export the summary again."


class NotForThisKey(DamagedFile):
    """Sealed to a different practitioner key."""


@dataclass(frozen=True, slots=True)
class Opened:
    """The summary JSON, and the workbook key that signed it (None: an unsigned,
    version 1 file)."""

    plaintext: bytes
    signer: bytes | None


def seal(plaintext: bytes, recipient_x25519: bytes, signing_key: bytes | None = None) -> bytes:
    """Seal ``plaintext`` to the practitioner; signed by ``signing_key`` (a raw Ed25519
    private key) as version 2, or, without one, as an unsigned version 1 file (kept only
    so that tests can make the files older osp wrote)."""
    recipient_id = crypto.key_id(recipient_x25519)
    version = VERSION if signing_key is not None else UNSIGNED_VERSION
    inner = plaintext
    if signing_key is not None:
        public = crypto.signing_public_key(signing_key)
        signature = crypto.sign(signing_key, _SIGNED + recipient_id + plaintext)
        inner = public + signature + plaintext
    padded = inner + b" " * (-len(inner) % PAD_TO)
    size = len(padded) + 32 + 16
    head = MAGIC + bytes([version]) + recipient_id + u32(size)
    sealed = crypto.hpke_seal(recipient_x25519, padded, _INFO[version] + head)
    assert len(sealed) == size
    return head + sealed


def _damaged(reason: str) -> DamagedFile:
    return DamagedFile(f"This summary cannot be opened: {reason}.", hint=_HINT)


def recipient(blob: bytes) -> bytes:
    """The recipient key id, after checking the framing (no key needed)."""
    try:
        reader = open_frame(blob, MAGIC, (UNSIGNED_VERSION, VERSION), 18 + 48, "summary")
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


def open_signed(blob: bytes, x25519_private: bytes, x25519_public: bytes) -> Opened:
    """The plaintext JSON and its signer. NotForThisKey or DamagedFile on failure; a
    version 2 file whose signature does not match is damaged (it was changed after it
    was signed, or never signed by the key it names)."""
    check_recipient(blob, x25519_public)
    version = blob[5]
    try:
        padded = crypto.hpke_open(x25519_private, blob[18:], _INFO[version] + blob[:18])
    except CryptoFailure as exc:
        raise _damaged("it has been changed or damaged since it was written") from exc
    if version == UNSIGNED_VERSION:
        return Opened(padded.rstrip(b" "), None)
    if len(padded) < 96:
        raise _damaged("its signature is missing")
    signer, signature = padded[:32], padded[32:96]
    plaintext = padded[96:].rstrip(b" ")
    if not crypto.verify(signer, _SIGNED + blob[6:14] + plaintext, signature):
        raise _damaged("its signature does not match its contents")
    return Opened(plaintext, signer)


def open_sealed(blob: bytes, x25519_private: bytes, x25519_public: bytes) -> bytes:
    """The plaintext JSON alone (see :func:`open_signed`)."""
    return open_signed(blob, x25519_private, x25519_public).plaintext
