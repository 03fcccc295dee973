"""The values osp's cryptography works with, without the cryptography library: the
key-derivation settings and their bounds, key pairs, base64, SHA-256 digests and MACs,
fingerprints and key ids. Formats are parsed and checked with these before the library
has loaded (osp_cli/crypto.py has the primitives that need it)."""

from __future__ import annotations

import binascii
import hashlib
import hmac
from typing import NamedTuple


class CryptoFailure(Exception):
    """Authentication or decoding failed. Carries no secret or plaintext."""


# --- Argon2id settings ------------------------------------------------------------

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


class KdfParams(NamedTuple):
    """Argon2id settings: the salt, memory (KiB), passes and lanes. (Named tuples, not
    dataclasses, in this module: cheaper to define, and it loads before some prompts.)"""

    salt: bytes
    memory_kib: int = DEFAULT_MEMORY_KIB
    iterations: int = DEFAULT_ITERATIONS
    lanes: int = DEFAULT_LANES

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


# --- encodings, digests, MACs ----------------------------------------------------


def mac(key: bytes, data: bytes) -> bytes:
    return hmac.new(key, data, hashlib.sha256).digest()


def mac_ok(key: bytes, data: bytes, tag: bytes) -> bool:
    return hmac.compare_digest(mac(key, data), tag)


def digest(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def b64e(data: bytes) -> str:
    return binascii.b2a_base64(data, newline=False).decode("ascii")


def b64d(text: object) -> bytes:
    if not isinstance(text, str):
        raise CryptoFailure("not base64 text")
    try:
        # strict: only the base64 alphabet, padding only at the end (binascii, which the
        # base64 module wraps, loads in a tenth of the time)
        return binascii.a2b_base64(text.encode("ascii"), strict_mode=True)
    except (ValueError, UnicodeEncodeError) as exc:
        raise CryptoFailure("not base64 text") from exc


# --- public keys ----------------------------------------------------------------

HPKE_SUITE_NAME = "DHKEM(X25519,HKDF-SHA256)/HKDF-SHA256/AES-256-GCM"


class KeyPairs(NamedTuple):
    """Raw 32-byte keys: X25519 for receiving, Ed25519 for signing."""

    x25519_private: bytes
    x25519_public: bytes
    ed25519_private: bytes
    ed25519_public: bytes


def fingerprint(*public_keys: bytes) -> str:
    """A fingerprint to read aloud: 20 hex digits (80 bits) in five groups of four.

    It is the participant's only check that the key is really his practitioner's, so it
    is long enough that nobody can make a second key pair with the same fingerprint."""
    digest_hex = hashlib.sha256(b"osp-fingerprint-v1\x00" + b"".join(public_keys)).hexdigest()
    return " ".join(digest_hex[i : i + 4].upper() for i in range(0, FINGERPRINT_HEX, 4))


FINGERPRINT_HEX = 20


def key_id(public_key: bytes) -> bytes:
    """An 8-byte identifier of a public key (names the intended recipient of a file)."""
    return hashlib.sha256(b"osp-key-id-v1\x00" + public_key).digest()[:8]
