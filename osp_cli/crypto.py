"""Every cryptographic primitive osp uses, in one place: bytes in, bytes out.

This is the only module that imports ``cryptography`` (at its top: a command loads it
with its body, in the background while the passphrase is typed). The values it works
with (key-derivation settings, key pairs, digests, fingerprints) are in
osp_cli/cryptodata.py, which needs no library, and are named here too. Nothing here
prompts, prints or touches files. Failures surface as :class:`CryptoFailure`, which
callers turn into the right user-facing error (wrong passphrase, damaged file...).

Primitives:
- Argon2id (RFC 9106) to derive key-encryption keys from passphrases and recovery codes;
- Fernet (AES-128-CBC + HMAC-SHA256) for the workbook payload and for wrapping keys;
- HKDF-SHA256 to derive sub-keys, HMAC-SHA256 to authenticate headers;
- HPKE (RFC 9180: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM) to seal summaries;
- Ed25519 to sign assignments.
"""

from __future__ import annotations

import base64
import functools
import os
import time
from collections.abc import Callable

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes, hpke
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from osp_cli.cryptodata import (
    DEFAULT_ITERATIONS,
    DEFAULT_LANES,
    DEFAULT_MEMORY_KIB,
    FINGERPRINT_HEX,
    HPKE_SUITE_NAME,
    ITERATIONS_ENV,
    MAX_ITERATIONS,
    MAX_LANES,
    MAX_MEMORY_KIB,
    MIN_ITERATIONS,
    MIN_MEMORY_KIB,
    SALT_BYTES,
    TARGET_SECONDS,
    CryptoFailure,
    KdfParams,
    KeyPairs,
    b64d,
    b64e,
    digest,
    fingerprint,
    key_id,
    mac,
    mac_ok,
)

__all__ = [
    "DEFAULT_ITERATIONS",
    "DEFAULT_LANES",
    "DEFAULT_MEMORY_KIB",
    "FINGERPRINT_HEX",
    "HPKE_SUITE_NAME",
    "ITERATIONS_ENV",
    "MAX_ITERATIONS",
    "MAX_LANES",
    "MAX_MEMORY_KIB",
    "MIN_ITERATIONS",
    "MIN_MEMORY_KIB",
    "SALT_BYTES",
    "TARGET_SECONDS",
    "CryptoFailure",
    "KdfParams",
    "KeyPairs",
    "b64d",
    "b64e",
    "derive_key",
    "digest",
    "fingerprint",
    "hpke_open",
    "hpke_seal",
    "key_id",
    "mac",
    "mac_ok",
    "new_data_key",
    "new_kdf_params",
    "new_key_pairs",
    "new_signing_key",
    "public_keys_of",
    "seal",
    "sign",
    "signing_public_key",
    "subkey",
    "tuned_iterations",
    "unseal",
    "verify",
]

# --- Argon2id -----------------------------------------------------------------------


def new_kdf_params() -> KdfParams:
    """New settings with a random salt, tuned to this machine (measured once a run)."""
    return KdfParams(salt=os.urandom(SALT_BYTES), iterations=tuned_iterations())


def derive_key(secret: bytes, params: KdfParams) -> bytes:
    """A 32-byte key from a passphrase or recovery code (refuses unsafe parameters)."""
    reason = params.problem()
    if reason:
        raise CryptoFailure(reason)
    kdf = Argon2id(
        salt=params.salt,
        length=32,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    return kdf.derive(secret)


_tuned: int | None = None


def tuned_iterations(timings: Callable[[], tuple[float, float]] | None = None) -> int:
    """Argon2id passes (64 MiB, 4 lanes) for an unlock of about ``TARGET_SECONDS`` here.

    Two derivations are timed, of 1 pass and of 3 (the floor). A derivation costs a fixed
    part (setting up its 64 MiB) plus a part per pass, so the two give both, and the
    passes that fit ``TARGET_SECONDS`` follow; scaling the floor's time alone would count
    the fixed part once per pass and choose too few. The result is kept between the floor
    and the ceiling, and kept for the rest of the run (an init wraps two keys).
    ``OSP_KDF_ITERATIONS`` pins it instead.
    """
    global _tuned
    pinned = os.environ.get(ITERATIONS_ENV, "").strip()
    if pinned.isdigit():
        return min(MAX_ITERATIONS, max(MIN_ITERATIONS, int(pinned)))
    if timings is None and _tuned is not None:
        return _tuned
    one, floor = (timings or _time_passes)()
    per_pass = (floor - one) / (MIN_ITERATIONS - 1)
    fixed = one - per_pass
    if per_pass <= floor / (4 * MIN_ITERATIONS) or fixed < 0:
        # The two timings do not fit the model (a busy moment): scale the floor alone,
        # which can only choose fewer passes, never more.
        per_pass, fixed = max(floor, 1e-6) / MIN_ITERATIONS, 0.0
    chosen = min(MAX_ITERATIONS, max(MIN_ITERATIONS, int((TARGET_SECONDS - fixed) / per_pass)))
    if timings is None:
        _tuned = chosen
    return chosen


def _time_passes() -> tuple[float, float]:
    """Seconds for one Argon2id derivation of 1 pass, then of 3 (64 MiB, 4 lanes)."""
    measured = []
    for passes in (1, MIN_ITERATIONS):
        kdf = Argon2id(
            salt=os.urandom(SALT_BYTES),
            length=32,
            iterations=passes,
            lanes=DEFAULT_LANES,
            memory_cost=DEFAULT_MEMORY_KIB,
        )
        started = time.perf_counter()
        kdf.derive(b"osp: timing this machine")
        measured.append(time.perf_counter() - started)
    return measured[0], measured[1]


# --- symmetric ------------------------------------------------------------------------


def new_data_key() -> bytes:
    """A fresh random Fernet key (urlsafe base64 of 32 random bytes)."""
    return Fernet.generate_key()


def _fernet(key32_or_fernet_key: bytes) -> Fernet:
    key = key32_or_fernet_key
    if len(key) == 32:
        key = base64.urlsafe_b64encode(key)
    try:
        return Fernet(key)
    except ValueError as exc:
        raise CryptoFailure("bad key") from exc


def seal(key: bytes, plaintext: bytes) -> bytes:
    """Fernet-encrypt. ``key`` is a Fernet key or 32 raw bytes."""
    return _fernet(key).encrypt(plaintext)


def unseal(key: bytes, token: bytes) -> bytes:
    try:
        return _fernet(key).decrypt(token)
    except (InvalidToken, ValueError, TypeError) as exc:
        raise CryptoFailure("authentication failed") from exc


def subkey(key: bytes, purpose: str) -> bytes:
    """A 32-byte key for one purpose, derived from ``key`` with HKDF-SHA256."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode()).derive(key)


# --- public-key: HPKE sealing and Ed25519 signatures -----------------------------------


@functools.cache
def _suite() -> hpke.Suite:
    return hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)


def new_key_pairs() -> KeyPairs:
    x = X25519PrivateKey.generate()
    e = Ed25519PrivateKey.generate()

    raw = Encoding.Raw
    return KeyPairs(
        x25519_private=x.private_bytes(raw, PrivateFormat.Raw, NoEncryption()),
        x25519_public=x.public_key().public_bytes(raw, PublicFormat.Raw),
        ed25519_private=e.private_bytes(raw, PrivateFormat.Raw, NoEncryption()),
        ed25519_public=e.public_key().public_bytes(raw, PublicFormat.Raw),
    )


def hpke_seal(recipient_public: bytes, plaintext: bytes, info: bytes) -> bytes:
    """Seal to an X25519 public key (HPKE base mode). Output: enc || ciphertext."""
    try:
        public = X25519PublicKey.from_public_bytes(recipient_public)
    except ValueError as exc:
        raise CryptoFailure("bad public key") from exc
    return _suite().encrypt(plaintext, public, info=info)


def hpke_open(recipient_private: bytes, sealed: bytes, info: bytes) -> bytes:
    try:
        private = X25519PrivateKey.from_private_bytes(recipient_private)
        return _suite().decrypt(sealed, private, info=info)
    except (InvalidTag, ValueError, TypeError) as exc:
        raise CryptoFailure("could not open the sealed data") from exc
    except Exception as exc:  # the HPKE binding raises its own error types on bad input
        raise CryptoFailure("could not open the sealed data") from exc


def sign(ed25519_private: bytes, message: bytes) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(ed25519_private).sign(message)


def verify(ed25519_public: bytes, message: bytes, signature: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(ed25519_public).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def new_signing_key() -> bytes:
    """A fresh raw 32-byte Ed25519 private key (a workbook's own signing key)."""
    return Ed25519PrivateKey.generate().private_bytes(
        Encoding.Raw, PrivateFormat.Raw, NoEncryption()
    )


def signing_public_key(ed25519_private: bytes) -> bytes:
    """The raw Ed25519 public key of a raw private key."""
    try:
        key = Ed25519PrivateKey.from_private_bytes(ed25519_private)
    except ValueError as exc:
        raise CryptoFailure("bad private key") from exc
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def public_keys_of(x25519_private: bytes, ed25519_private: bytes) -> tuple[bytes, bytes]:
    """The (X25519, Ed25519) public keys belonging to two raw private keys."""
    raw = Encoding.Raw
    try:
        x = X25519PrivateKey.from_private_bytes(x25519_private).public_key()
        e = Ed25519PrivateKey.from_private_bytes(ed25519_private).public_key()
    except ValueError as exc:
        raise CryptoFailure("bad private key") from exc
    return x.public_bytes(raw, PublicFormat.Raw), e.public_bytes(raw, PublicFormat.Raw)
