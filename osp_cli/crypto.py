"""Every cryptographic primitive osp uses, in one place: bytes in, bytes out.

This is the only module that imports ``cryptography``. Nothing here prompts, prints or
touches files. Failures surface as :class:`CryptoFailure`, which callers turn into the
right user-facing error (wrong passphrase, damaged file...).

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
import hashlib
import hmac
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cryptography.fernet import Fernet
    from cryptography.hazmat.primitives import hpke

# ``cryptography`` costs about as much to import as Typer, and much of osp needs only the
# standard-library parts of this module (formats, key ids, fingerprints, MACs) before the
# passphrase is typed. So each function that uses ``cryptography`` imports what it uses
# when it runs: a file is checked, and the passphrase prompt shown, before it loads (it
# loads in the background while the passphrase is typed: osp_cli/ui/preload.py).


class CryptoFailure(Exception):
    """Authentication or decoding failed. Carries no secret or plaintext."""


# --- Argon2id -----------------------------------------------------------------------

#: Floors: a file asking for less is refused (no downgrade). These are the settings the
#: specification names (RFC 9106's second recommended option: 64 MiB, 3 passes, 4 lanes).
MIN_MEMORY_KIB = 64 * 1024
MIN_ITERATIONS = 3
#: New files use the specification's memory and lanes; the number of passes is tuned to
#: this machine when the passphrase is set (``tuned_iterations``) so that one unlock takes
#: about ``TARGET_SECONDS`` (see docs/performance.md). Raising passes, not memory, keeps
#: peak memory as specified; files written with other pass counts still open.
DEFAULT_MEMORY_KIB = MIN_MEMORY_KIB
DEFAULT_ITERATIONS = 10  # used only where nothing was measured (a KdfParams built by hand)
DEFAULT_LANES = 4
TARGET_SECONDS = 0.5
#: Pins the number of passes instead of measuring (tests and benchmarks use the floor);
#: a value outside the floor and the ceiling is brought inside them.
ITERATIONS_ENV = "OSP_KDF_ITERATIONS"
SALT_BYTES = 16
#: Ceilings: a file asking for more is refused (no memory bomb, no endless unlock).
MAX_MEMORY_KIB = 128 * 1024  # keeps any command under the 200 MB memory budget
MAX_ITERATIONS = 16
MAX_LANES = 16


@dataclass(frozen=True, slots=True)
class KdfParams:
    salt: bytes
    memory_kib: int = DEFAULT_MEMORY_KIB
    iterations: int = DEFAULT_ITERATIONS
    lanes: int = DEFAULT_LANES

    @classmethod
    def fresh(cls) -> KdfParams:
        """New settings with a random salt, tuned to this machine (measured once a run)."""
        return cls(salt=os.urandom(SALT_BYTES), iterations=tuned_iterations())

    def problem(self) -> str | None:
        """Why these parameters must not be used, or None when they are acceptable."""
        if len(self.salt) != SALT_BYTES:
            return "the key-derivation salt has the wrong length"
        if self.memory_kib < MIN_MEMORY_KIB or self.iterations < MIN_ITERATIONS:
            return "the key-derivation settings are weaker than osp allows"
        if self.lanes < 1 or self.lanes > MAX_LANES:
            return "the key-derivation lane count is out of range"
        if self.memory_kib > MAX_MEMORY_KIB or self.iterations > MAX_ITERATIONS:
            return "the key-derivation settings are larger than osp allows"
        if self.memory_kib < 8 * self.lanes:
            return "the key-derivation settings are inconsistent"
        return None

    def to_json(self) -> dict[str, object]:
        return {
            "alg": "argon2id",
            "salt": b64e(self.salt),
            "memory_kib": self.memory_kib,
            "iterations": self.iterations,
            "lanes": self.lanes,
        }

    @classmethod
    def from_json(cls, data: object) -> KdfParams:
        """Parse and bounds-check; raises CryptoFailure with a plain reason."""
        if not isinstance(data, dict) or data.get("alg") != "argon2id":
            raise CryptoFailure("unknown key-derivation settings")
        try:
            salt = b64d(data["salt"])
            values = [data["memory_kib"], data["iterations"], data["lanes"]]
        except (KeyError, TypeError, CryptoFailure) as exc:
            raise CryptoFailure("unreadable key-derivation settings") from exc
        if not all(type(v) is int for v in values) or set(data) != {
            "alg",
            "salt",
            "memory_kib",
            "iterations",
            "lanes",
        }:
            raise CryptoFailure("unreadable key-derivation settings")
        params = cls(salt=salt, memory_kib=values[0], iterations=values[1], lanes=values[2])
        reason = params.problem()
        if reason:
            raise CryptoFailure(reason)
        return params


def derive_key(secret: bytes, params: KdfParams) -> bytes:
    """A 32-byte key from a passphrase or recovery code (refuses unsafe parameters)."""
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

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
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

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
    from cryptography.fernet import Fernet

    return Fernet.generate_key()


def _fernet(key32_or_fernet_key: bytes) -> Fernet:
    from cryptography.fernet import Fernet

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
    from cryptography.fernet import InvalidToken

    try:
        return _fernet(key).decrypt(token)
    except (InvalidToken, ValueError, TypeError) as exc:
        raise CryptoFailure("authentication failed") from exc


def subkey(key: bytes, purpose: str) -> bytes:
    """A 32-byte key for one purpose, derived from ``key`` with HKDF-SHA256."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode()).derive(key)


def mac(key: bytes, data: bytes) -> bytes:
    return hmac.new(key, data, hashlib.sha256).digest()


def mac_ok(key: bytes, data: bytes, tag: bytes) -> bool:
    return hmac.compare_digest(mac(key, data), tag)


def digest(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def b64e(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64d(text: object) -> bytes:
    if not isinstance(text, str):
        raise CryptoFailure("not base64 text")
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError) as exc:
        raise CryptoFailure("not base64 text") from exc


# --- public-key: HPKE sealing and Ed25519 signatures -----------------------------------


@functools.cache
def _suite() -> hpke.Suite:
    from cryptography.hazmat.primitives import hpke

    return hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)


HPKE_SUITE_NAME = "DHKEM(X25519,HKDF-SHA256)/HKDF-SHA256/AES-256-GCM"


@dataclass(frozen=True, slots=True)
class KeyPairs:
    """Raw 32-byte keys: X25519 for receiving, Ed25519 for signing."""

    x25519_private: bytes
    x25519_public: bytes
    ed25519_private: bytes
    ed25519_public: bytes


def new_key_pairs() -> KeyPairs:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
        PublicFormat,
    )

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
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

    try:
        public = X25519PublicKey.from_public_bytes(recipient_public)
    except ValueError as exc:
        raise CryptoFailure("bad public key") from exc
    return _suite().encrypt(plaintext, public, info=info)


def hpke_open(recipient_private: bytes, sealed: bytes, info: bytes) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    try:
        private = X25519PrivateKey.from_private_bytes(recipient_private)
        return _suite().decrypt(sealed, private, info=info)
    except (InvalidTag, ValueError, TypeError) as exc:
        raise CryptoFailure("could not open the sealed data") from exc
    except Exception as exc:  # the HPKE binding raises its own error types on bad input
        raise CryptoFailure("could not open the sealed data") from exc


def sign(ed25519_private: bytes, message: bytes) -> bytes:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.from_private_bytes(ed25519_private).sign(message)


def verify(ed25519_public: bytes, message: bytes, signature: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(ed25519_public).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def new_signing_key() -> bytes:
    """A fresh raw 32-byte Ed25519 private key (a workbook's own signing key)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    return Ed25519PrivateKey.generate().private_bytes(
        Encoding.Raw, PrivateFormat.Raw, NoEncryption()
    )


def signing_public_key(ed25519_private: bytes) -> bytes:
    """The raw Ed25519 public key of a raw private key."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    try:
        key = Ed25519PrivateKey.from_private_bytes(ed25519_private)
    except ValueError as exc:
        raise CryptoFailure("bad private key") from exc
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def fingerprint(*public_keys: bytes) -> str:
    """A fingerprint to read aloud: 20 hex digits (80 bits) in five groups of four.

    It is the participant's only check that the key is really his practitioner's, so it
    is long enough that nobody can make a second key pair with the same fingerprint."""
    digest_hex = hashlib.sha256(b"osp-fingerprint-v1\x00" + b"".join(public_keys)).hexdigest()
    return " ".join(digest_hex[i : i + 4].upper() for i in range(0, FINGERPRINT_HEX, 4))


FINGERPRINT_HEX = 20


def public_keys_of(x25519_private: bytes, ed25519_private: bytes) -> tuple[bytes, bytes]:
    """The (X25519, Ed25519) public keys belonging to two raw private keys."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    raw = Encoding.Raw
    try:
        x = X25519PrivateKey.from_private_bytes(x25519_private).public_key()
        e = Ed25519PrivateKey.from_private_bytes(ed25519_private).public_key()
    except ValueError as exc:
        raise CryptoFailure("bad private key") from exc
    return x.public_bytes(raw, PublicFormat.Raw), e.public_bytes(raw, PublicFormat.Raw)


def key_id(public_key: bytes) -> bytes:
    """An 8-byte identifier of a public key (names the intended recipient of a file)."""
    return hashlib.sha256(b"osp-key-id-v1\x00" + public_key).digest()[:8]
