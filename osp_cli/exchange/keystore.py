"""Locking and unlocking the practitioner's key file (format 1, laid out in keyfile.py and
docs/formats.md). Pure: bytes in, bytes out."""

from __future__ import annotations

import datetime as _dt
import json
from typing import Any

from osp_cli import crypto
from osp_cli.crypto import CryptoFailure, KdfParams, KeyPairs
from osp_cli.errors import WrongPassphrase
from osp_cli.exchange.frame import canonical_json, sized
from osp_cli.exchange.keyfile import MAGIC, VERSION, PublicInfo, damaged, parse, public_info

__all__ = ["MAGIC", "VERSION", "PublicInfo", "encode", "public_info", "unlock"]

#: What the locked body holds (see keyfile.py for the whole layout).
_BODY_KEYS = {"header_sha256", "x25519", "ed25519"}


def encode(keys: KeyPairs, passphrase: str, params: KdfParams | None = None) -> bytes:
    """A new key file holding ``keys``, locked with ``passphrase``."""
    params = params or crypto.new_kdf_params()
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


def unlock(blob: bytes, passphrase: str) -> KeyPairs:
    """The key pairs in the file. WrongPassphrase or DamagedFile on failure."""
    parsed = parse(blob)
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
        raise damaged("its contents do not match its header") from exc
    if publics != (parsed.info.x25519_public, parsed.info.ed25519_public):
        raise damaged("its private keys do not match its public keys")
    return KeyPairs(
        x25519_private=x_priv,
        x25519_public=publics[0],
        ed25519_private=e_priv,
        ed25519_public=publics[1],
    )
