"""The workbook's own signing key: it signs every summary, so the practitioner can tell a
summary from this workbook from one made by anyone else who holds an assignment.

The key is made when the workbook is created (or, for a workbook made by an older osp,
at the first import or export) and is kept only inside the encrypted payload, under
``"signing_key"`` (a raw Ed25519 private key, base64).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from osp_cli import crypto

if TYPE_CHECKING:
    from osp_cli.workbook.model import Payload

SIGNING_KEY = "signing_key"  # its name in the payload JSON


def signing_key(payload: Payload) -> bytes | None:
    """The raw private key, or None when this workbook has none yet (or a bad one)."""
    raw = payload.signing_key
    if not isinstance(raw, str):
        return None
    try:
        key = crypto.b64d(raw)
    except crypto.CryptoFailure:
        return None
    return key if len(key) == 32 else None


def add_signing_key(payload: Payload) -> None:
    """A change: give the workbook a signing key if it has none (never replaces one)."""
    if signing_key(payload) is None:
        payload.signing_key = crypto.b64e(crypto.new_signing_key())


def fingerprint(payload: Payload) -> str | None:
    """The fingerprint to read aloud to the practitioner, or None without a key."""
    key = signing_key(payload)
    return crypto.fingerprint(crypto.signing_public_key(key)) if key else None
