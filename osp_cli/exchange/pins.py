"""Which workbook key the practitioner trusts for each participant reference. Pure.

The first summary opened for a reference pins that reference to the key that signed it
("first time seen"); later summaries signed by the same key are "verified"; a summary
signed by any other key is "DIFFERENT KEY: do not rely on this" (and is refused unless
the practitioner accepts the new key); an unsigned summary (made by an osp older than
signing) is "unverified". The caseload inbox uses the same :class:`Pins` and
:func:`check` (see also :mod:`osp_cli.exchange.folder`: ``load_pins``, ``update_pins``).

The pin file, format 1 (see docs/formats.md)::

    0      5   magic  b"OSPPN"
    5      1   format version (1)
    6      -   Fernet token, under HKDF-SHA256(practitioner X25519 private key,
               "osp practitioner pins v1"), of canonical JSON
               {"format": 1, "pins": {ref: {"ed25519": b64, "first_seen": ISO time}}}

Only the holder of the practitioner's private key can read or change it, so nobody who
can merely write to the folder can swap a pinned key unnoticed.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from typing import Any

from osp_cli import crypto
from osp_cli.crypto import CryptoFailure
from osp_cli.errors import DamagedFile
from osp_cli.exchange.frame import canonical_json

MAGIC = b"OSPPN"
VERSION = 1
MAX_FILE = 16 * 1024 * 1024
_PURPOSE = "osp practitioner pins v1"
_HINT = "Restore the practitioner folder from your backup."


class Check(enum.Enum):
    """How far a summary's sender can be trusted (``value``: the CSV word)."""

    VERIFIED = "verified"
    FIRST_SEEN = "first time seen"
    DIFFERENT_KEY = "DIFFERENT KEY"
    UNSIGNED = "unverified"

    @property
    def headline(self) -> str:
        return {
            Check.VERIFIED: "verified",
            Check.FIRST_SEEN: "first time seen",
            Check.DIFFERENT_KEY: "DIFFERENT KEY: do not rely on this",
            Check.UNSIGNED: "unverified: not signed",
        }[self]


@dataclass(frozen=True, slots=True)
class Sender:
    """What the practitioner's osp knows about who sent one summary."""

    check: Check
    fingerprint: str | None = None  # of the key that signed it (None: unsigned)
    pinned_fingerprint: str | None = None  # of the key pinned for the reference
    first_seen: str | None = None  # when the pinned key was first seen

    @property
    def explanation(self) -> str:
        """One or two plain sentences for every view."""
        if self.check is Check.VERIFIED:
            return f"Signed by the same workbook key as before (fingerprint {self.fingerprint})."
        if self.check is Check.FIRST_SEEN:
            return (
                "This is the first summary you have opened for this reference; its workbook "
                f"key (fingerprint {self.fingerprint}) is now the one osp expects. Check the "
                "fingerprint with the participant: he sees it with 'osp whoami'."
            )
        if self.check is Check.DIFFERENT_KEY:
            return (
                f"Signed by a workbook key (fingerprint {self.fingerprint}) that is not the "
                f"one you have for this reference (fingerprint {self.pinned_fingerprint}). "
                "Someone else may have made this file. Check with the participant before "
                "relying on anything in it."
            )
        return (
            "This summary is not signed (it was made by an older version of osp), so "
            "anyone with an assignment for this reference could have made it. Check with "
            "the participant before relying on it."
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "check": self.check.value,
            "fingerprint": self.fingerprint,
            "pinned_fingerprint": self.pinned_fingerprint,
            "first_seen": self.first_seen,
        }


@dataclass(frozen=True, slots=True)
class Pin:
    ed25519: bytes
    first_seen: str


@dataclass
class Pins:
    """Reference → pinned workbook key."""

    pins: dict[str, Pin] = field(default_factory=dict)

    def check(self, ref: str, signer: bytes | None) -> Sender:
        """The sender check for a summary for ``ref`` signed by ``signer`` (no change)."""
        if signer is None:
            pinned = self.pins.get(ref)
            return Sender(
                Check.UNSIGNED,
                pinned_fingerprint=crypto.fingerprint(pinned.ed25519) if pinned else None,
                first_seen=pinned.first_seen if pinned else None,
            )
        shown = crypto.fingerprint(signer)
        pin = self.pins.get(ref)
        if pin is None:
            return Sender(Check.FIRST_SEEN, shown, shown, None)
        pinned_shown = crypto.fingerprint(pin.ed25519)
        if pin.ed25519 == signer:
            return Sender(Check.VERIFIED, shown, pinned_shown, pin.first_seen)
        return Sender(Check.DIFFERENT_KEY, shown, pinned_shown, pin.first_seen)

    def pin(self, ref: str, signer: bytes, now: str) -> None:
        """Trust ``signer`` for ``ref`` from now on (first sight, or a key accepted)."""
        self.pins[ref] = Pin(signer, now)

    def record(self, ref: str, signer: bytes | None, now: str, *, accept_new: bool) -> Sender:
        """Check, then pin on first sight (or replace the pin when ``accept_new``)."""
        sender = self.check(ref, signer)
        if signer is not None and (
            sender.check is Check.FIRST_SEEN or (sender.check is Check.DIFFERENT_KEY and accept_new)
        ):
            self.pin(ref, signer, now)
        return sender


def store_key(x25519_private: bytes) -> bytes:
    """The key that locks the pin file (derived from the practitioner's private key)."""
    return crypto.subkey(x25519_private, _PURPOSE)


def encode(pins: Pins, key: bytes) -> bytes:
    data = {
        "format": VERSION,
        "pins": {
            ref: {"ed25519": crypto.b64e(pin.ed25519), "first_seen": pin.first_seen}
            for ref, pin in sorted(pins.pins.items())
        },
    }
    return MAGIC + bytes([VERSION]) + crypto.seal(key, canonical_json(data))


def decode(blob: bytes, key: bytes) -> Pins:
    """The pins in ``blob``. DamagedFile when it is not a sound pin file for this key."""
    if len(blob) > MAX_FILE or blob[:5] != MAGIC or len(blob) < 6 or blob[5] != VERSION:
        raise _damaged("it is not an osp pin file, or it was written by another version")
    try:
        data: Any = json.loads(crypto.unseal(key, blob[6:]).decode("utf-8"))
        if not isinstance(data, dict) or set(data) != {"format", "pins"}:
            raise ValueError("unexpected keys")
        if data["format"] != VERSION or not isinstance(data["pins"], dict):
            raise ValueError("unexpected values")
        found = {}
        for ref, raw in data["pins"].items():
            if not isinstance(raw, dict) or set(raw) != {"ed25519", "first_seen"}:
                raise ValueError("unexpected pin")
            public = crypto.b64d(raw["ed25519"])
            if len(public) != 32 or not isinstance(raw["first_seen"], str):
                raise ValueError("unexpected pin")
            found[str(ref)] = Pin(public, raw["first_seen"])
    except CryptoFailure as exc:
        raise _damaged("it was changed, or it belongs to other practitioner keys") from exc
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise _damaged("its contents are unreadable") from exc
    return Pins(found)


def _damaged(reason: str) -> DamagedFile:
    return DamagedFile(f"The list of known participant keys is damaged: {reason}.", hint=_HINT)
