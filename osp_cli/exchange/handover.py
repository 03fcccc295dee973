"""The practitioner's signed hand-over from an old key pair to a new one, format 1 (see
docs/formats.md). Pure: bytes in, bytes out.

Layout (integers big-endian)::

    0      5   magic  b"OSPHO"
    5      1   format version (1)
    6      32  the OLD Ed25519 public key (the signer)
    38     4   B: body length (at most 4 KiB)
    42     B   body: canonical JSON {"type": "osp-handover", "format": 1, "issued",
               "old": {"x25519", "ed25519"}, "new": {"x25519", "ed25519"}}
    42+B   64  Ed25519 signature by the old key over bytes [0, 42+B)

A participant's osp accepts it only when the old key is the one his workbook trusts,
and only after showing him both fingerprints; from then on it trusts the new key.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass
from typing import Any

from osp_cli import crypto
from osp_cli.crypto import CryptoFailure, KeyPairs
from osp_cli.errors import DamagedFile
from osp_cli.exchange.frame import HANDOVER_MAGIC, FrameError, canonical_json, open_frame, sized

MAGIC = HANDOVER_MAGIC
VERSION = 1
TYPE = "osp-handover"
MAX_BODY = 4096
MAX_FILE = 42 + MAX_BODY + 64
_HINT = "Ask your practitioner for a fresh copy of the hand-over file."


@dataclass(frozen=True, slots=True)
class Handover:
    issued: str
    old_x25519: bytes
    old_ed25519: bytes
    new_x25519: bytes
    new_ed25519: bytes

    @property
    def old_fingerprint(self) -> str:
        return crypto.fingerprint(self.old_x25519, self.old_ed25519)

    @property
    def new_fingerprint(self) -> str:
        return crypto.fingerprint(self.new_x25519, self.new_ed25519)

    def to_json(self) -> dict[str, Any]:
        return {
            "type": TYPE,
            "format": VERSION,
            "issued": self.issued,
            "old": {
                "x25519": crypto.b64e(self.old_x25519),
                "ed25519": crypto.b64e(self.old_ed25519),
            },
            "new": {
                "x25519": crypto.b64e(self.new_x25519),
                "ed25519": crypto.b64e(self.new_ed25519),
            },
        }


def is_handover(blob: bytes) -> bool:
    return blob[:5] == MAGIC


def encode(old: KeyPairs, new: KeyPairs) -> bytes:
    """The hand-over from ``old`` to ``new``, signed by the old Ed25519 key."""
    statement = Handover(
        issued=_dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        old_x25519=old.x25519_public,
        old_ed25519=old.ed25519_public,
        new_x25519=new.x25519_public,
        new_ed25519=new.ed25519_public,
    )
    signed = (
        MAGIC + bytes([VERSION]) + old.ed25519_public + sized(canonical_json(statement.to_json()))
    )
    return signed + crypto.sign(old.ed25519_private, signed)


def _damaged(reason: str) -> DamagedFile:
    return DamagedFile(f"This hand-over file cannot be used: {reason}.", hint=_HINT)


def decode(blob: bytes) -> Handover:
    """Verify the old key's signature, then parse. DamagedFile on any failure."""
    try:
        reader = open_frame(blob, MAGIC, VERSION, 42 + 64, "hand-over file")
        signer = reader.take(32)
        body = reader.sized(MAX_BODY)
        signed_len = reader.pos
        signature = reader.take(64)
        reader.end()
    except FrameError as exc:
        raise _damaged(exc.reason) from exc
    if not crypto.verify(signer, blob[:signed_len], signature):
        raise _damaged("it has been changed since it was signed")
    try:
        data = json.loads(body.decode("utf-8"))
        if not isinstance(data, dict) or set(data) != {"type", "format", "issued", "old", "new"}:
            raise ValueError("unexpected keys")
        if data["type"] != TYPE or data["format"] != VERSION or not isinstance(data["issued"], str):
            raise ValueError("unexpected values")
        keys = []
        for side in ("old", "new"):
            part = data[side]
            if not isinstance(part, dict) or set(part) != {"x25519", "ed25519"}:
                raise ValueError("unexpected keys")
            keys += [crypto.b64d(part["x25519"]), crypto.b64d(part["ed25519"])]
    except (ValueError, UnicodeDecodeError, CryptoFailure, RecursionError) as exc:
        raise _damaged("its contents are not in the expected form") from exc
    if any(len(key) != 32 for key in keys) or keys[1] != signer:
        raise _damaged("its keys do not match its signature")
    return Handover(data["issued"], *keys)
