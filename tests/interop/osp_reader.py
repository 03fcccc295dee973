"""An independent reader of osp's files, written from docs/formats.md,
docs/vault-format.md and docs/security.md alone.

READ THIS FIRST. This module must not import anything from ``osp_cli``: it uses only the
Python standard library and ``cryptography``. It exists to prove that the documents are
enough to read every file osp writes, so that a charity's records stay readable if osp
is ever gone and an auditor can check what osp claims. tests/interop/test_interop.py
runs it on files osp itself produced and compares the results with osp's own reading.

When a file format changes and its document does not, that test fails. The fix is to
change the document first, then this reader to match the document (never the other way
round, and never by reading osp's code).
"""

from __future__ import annotations

import base64
import csv
import hashlib
import hmac
import io
import json
import struct
from dataclasses import dataclass
from typing import Any

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes, hpke
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


class Unreadable(Exception):
    """The bytes do not follow the documented format."""


# --- shared pieces (formats.md, introduction; vault-format.md, Keys) ------------------


def _u32(blob: bytes, offset: int) -> int:
    if offset + 4 > len(blob):
        raise Unreadable("cut short")
    value: int = struct.unpack(">I", blob[offset : offset + 4])[0]
    return value


def _b64(text: str) -> bytes:
    """Standard base64 (RFC 4648 section 4, with padding)."""
    return base64.b64decode(text, validate=True)


def _argon2id_fernet_key(secret: bytes, kdf: dict[str, Any]) -> bytes:
    """Argon2id version 0x13, output 32 bytes, then URL-safe base64 = a Fernet key."""
    if kdf["alg"] != "argon2id":
        raise Unreadable("unknown key derivation")
    raw = Argon2id(
        salt=_b64(kdf["salt"]),
        length=32,
        iterations=kdf["iterations"],
        lanes=kdf["lanes"],
        memory_cost=kdf["memory_kib"],
    ).derive(secret)
    return base64.urlsafe_b64encode(raw)


def _sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def fingerprint(x25519_public: bytes, ed25519_public: bytes) -> str:
    """formats.md: SHA-256("osp-fingerprint-v1" 0x00 || X25519 || Ed25519), first 20 hex
    digits, upper case, five groups of four."""
    digits = hashlib.sha256(b"osp-fingerprint-v1\x00" + x25519_public + ed25519_public)
    text = digits.hexdigest()[:20].upper()
    return " ".join(text[i : i + 4] for i in range(0, 20, 4))


def key_id(x25519_public: bytes) -> bytes:
    return hashlib.sha256(b"osp-key-id-v1\x00" + x25519_public).digest()[:8]


# --- practitioner key file (OSPPK) -----------------------------------------------------


@dataclass(frozen=True)
class PractitionerKeys:
    header: dict[str, Any]
    x25519_private: bytes
    x25519_public: bytes
    ed25519_private: bytes
    ed25519_public: bytes


def open_key_file(blob: bytes, passphrase: str) -> PractitionerKeys:
    if blob[:6] != b"OSPPK\x01":
        raise Unreadable("not a version 1 practitioner key file")
    if _sha256(blob[:-32]) != blob[-32:]:
        raise Unreadable("checksum")
    h_len = _u32(blob, 6)
    header_bytes = blob[10 : 10 + h_len]
    b_len = _u32(blob, 10 + h_len)
    body = blob[14 + h_len : 14 + h_len + b_len]
    if 14 + h_len + b_len + 32 != len(blob):
        raise Unreadable("lengths")
    header = json.loads(header_bytes)
    if header["format"] != 1:
        raise Unreadable("key file format")
    key = _argon2id_fernet_key(passphrase.encode("utf-8"), header["kdf"])
    inner = json.loads(Fernet(key).decrypt(body))
    if _b64(inner["header_sha256"]) != _sha256(header_bytes):
        raise Unreadable("header changed")
    return PractitionerKeys(
        header=header,
        x25519_private=_b64(inner["x25519"]),
        x25519_public=_b64(header["x25519"]),
        ed25519_private=_b64(inner["ed25519"]),
        ed25519_public=_b64(header["ed25519"]),
    )


# --- signed assignment (OSPAS) ----------------------------------------------------------


def read_assignment(blob: bytes) -> tuple[bytes, dict[str, Any]]:
    """(signer's Ed25519 public key, body) after checking the signature."""
    if blob[:6] != b"OSPAS\x01":
        raise Unreadable("not a version 1 assignment")
    signer = blob[6:38]
    b_len = _u32(blob, 38)
    if len(blob) != 106 + b_len:
        raise Unreadable("lengths")
    signed, signature = blob[: 42 + b_len], blob[42 + b_len :]
    Ed25519PublicKey.from_public_bytes(signer).verify(signature, signed)  # raises if bad
    body = json.loads(blob[42 : 42 + b_len])
    if body["type"] != "osp-assignment" or body["format"] != 1:
        raise Unreadable("assignment body")
    if _b64(body["practitioner"]["ed25519"]) != signer:
        raise Unreadable("body names another signer")
    return signer, body


# --- sealed summary (OSPSM) --------------------------------------------------------------


def open_signed_summary(blob: bytes, keys: PractitionerKeys) -> tuple[bytes | None, dict[str, Any]]:
    """(the workbook key that signed it, or None for version 1; the summary JSON).

    HPKE base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM;
    info = "osp summary vN" 0x00 || bytes [0, 18); aad empty. Version 2's plaintext is
    signer (32) || Ed25519 signature (64) over "osp summary signature v1" 0x00 ||
    recipient key id || JSON, then the JSON; both are padded with spaces."""
    if blob[:5] != b"OSPSM" or blob[5:6] not in (b"\x01", b"\x02"):
        raise Unreadable("not a version 1 or 2 sealed summary")
    version = blob[5]
    if blob[6:14] != key_id(keys.x25519_public):
        raise Unreadable("sealed for another key")
    sealed_len = _u32(blob, 14)
    if len(blob) != 18 + sealed_len:
        raise Unreadable("lengths")
    suite = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
    private = X25519PrivateKey.from_private_bytes(keys.x25519_private)
    info = b"osp summary v%d\x00" % version
    plain = suite.decrypt(blob[18:], private, info=info + blob[:18])
    signer: bytes | None = None
    if version == 2:
        signer, signature, plain = plain[:32], plain[32:96], plain[96:].rstrip(b" ")
        Ed25519PublicKey.from_public_bytes(signer).verify(
            signature, b"osp summary signature v1\x00" + blob[6:14] + plain
        )
    summary: dict[str, Any] = json.loads(plain.rstrip(b" "))
    if summary["type"] != "osp-summary" or summary["schema_version"] not in (1, 2):
        raise Unreadable("summary JSON version")
    return signer, summary


def open_summary(blob: bytes, keys: PractitionerKeys) -> dict[str, Any]:
    """The summary JSON (see :func:`open_signed_summary`)."""
    return open_signed_summary(blob, keys)[1]


# --- workbook (OSPWB) ----------------------------------------------------------------------


def _recovery_secret(code: str) -> bytes:
    """vault-format.md: upper case, the 25 characters in five groups of five joined by
    '-' (29 characters), as ASCII."""
    chars = "".join(ch for ch in code.upper() if ch.isalnum())
    chars = chars.replace("O", "0").replace("I", "1").replace("L", "1")
    return "-".join(chars[i : i + 5] for i in range(0, 25, 5)).encode("ascii")


def open_workbook(
    blob: bytes,
    *,
    passphrase: str | None = None,
    recovery_code: str | None = None,
    journal: bytes | None = None,
) -> dict[str, Any]:
    """The decrypted payload, after the checksum and the MAC; with ``journal`` (the bytes
    of ``workbook.osp.journal``), the saves in it applied (vault-format.md, "The
    journal")."""
    if blob[:5] != b"OSPWB" or blob[5] not in (1, 2):
        raise Unreadable("not a version 1 or 2 workbook")
    if _sha256(blob[:-32]) != blob[-32:]:
        raise Unreadable("checksum")
    h_len = _u32(blob, 6)
    header_bytes = blob[10 : 10 + h_len]
    b_len = _u32(blob, 10 + h_len)
    end = 14 + h_len + b_len
    if end + 64 != len(blob):
        raise Unreadable("lengths")
    header = json.loads(header_bytes)
    if header["format"] != blob[5]:
        raise Unreadable("workbook header format")
    if passphrase is not None:
        kek = _argon2id_fernet_key(passphrase.encode("utf-8"), header["kdf"])
        wrapped = header["wrapped"]["passphrase"]
    elif recovery_code is not None:
        recovery = header["wrapped"]["recovery"]
        kek = _argon2id_fernet_key(_recovery_secret(recovery_code), recovery["kdf"])
        wrapped = recovery["key"]
    else:
        raise ValueError("give a passphrase or a recovery code")
    data_key = Fernet(kek).decrypt(wrapped.encode("ascii"))  # the 44-character Fernet key
    mac_key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"osp workbook header+body mac v1"
    ).derive(data_key)
    expected = hmac.new(mac_key, blob[:end], hashlib.sha256).digest()
    if not hmac.compare_digest(expected, blob[end : end + 32]):
        raise Unreadable("MAC")
    payload: dict[str, Any] = json.loads(Fernet(data_key).decrypt(blob[14 + h_len : end]))
    if journal is not None:
        for record in journal_records(journal, data_key, header["id"], header["generation"]):
            for op in record["ops"]:
                _apply(payload, op)
    return payload


# --- the journal (vault-format.md, "The journal") ------------------------------------------


def journal_records(
    blob: bytes, data_key: bytes, file_id: str, generation: int
) -> list[dict[str, Any]]:
    """The records that extend the workbook file ``file_id`` at ``generation``."""
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"osp workbook journal mac v1"
    ).derive(data_key)

    def tag_of(data: bytes) -> bytes:
        return hmac.new(key, data, hashlib.sha256).digest()

    if len(blob) < 62:
        if blob[:5] != b"OSPWJ"[: len(blob)]:
            raise Unreadable("journal magic")
        return []
    if blob[:6] != b"OSPWJ\x01" or not hmac.compare_digest(tag_of(blob[:30]), blob[30:62]):
        raise Unreadable("journal header")
    (base,) = struct.unpack(">Q", blob[22:30])
    if blob[6:22] != file_id.encode("ascii") or base > generation:
        raise Unreadable("journal of another workbook or a later file")
    if base < generation:
        return []  # already folded into the file
    records, previous, at = [], blob[30:62], 62
    while len(blob) - at >= 8:
        length = _u32(blob, at)
        if blob[at + 4 : at + 8] != tag_of(previous + blob[at : at + 4])[:4]:
            if not blob[at:].strip(b"\x00"):
                break  # an unfinished save
            raise Unreadable("journal record length check")
        if length > 16 * 1024 * 1024:
            raise Unreadable("journal record length")
        end = at + 8 + length + 32
        if end > len(blob):
            break  # an unfinished save
        tag = blob[end - 32 : end]
        if not hmac.compare_digest(tag_of(previous + blob[at : end - 32]), tag):
            raise Unreadable("journal record tag")
        record = json.loads(Fernet(data_key).decrypt(blob[at + 8 : at + 8 + length]))
        if not isinstance(record, dict):
            raise Unreadable("journal record")
        records.append(record)
        previous, at = tag, end
    return records


def _entry(number: int, at: str) -> dict[str, Any]:
    return {
        "number": number, "started": at, "updated": at, "completed": None, "answers": {},
        "skipped": [], "flagged": [], "partial": [], "reflection": None,
    }  # fmt: skip


def _apply(payload: dict[str, Any], op: dict[str, Any]) -> None:
    """One operation, as the table in vault-format.md says."""
    kind = op["op"]
    if kind == "checkin":
        payload["checkins"].append(op["checkin"])
        return
    if kind == "export":
        payload["exports"].append(op["export"])
        return
    exercises = payload["exercises"]
    name = op["exercise"]
    if kind in ("partial", "clear-draft"):
        if name in exercises:
            state = exercises[name]
            if kind == "clear-draft":
                state["drafts"].pop(op["question"], None)
            else:
                _add_or_remove(state["entries"][-1]["partial"], op["question"], op["on"])
        return
    if kind == "new-entry" and name in exercises:
        state = exercises[name]
        if state["entries"][-1]["completed"] is not None:
            number = max(entry["number"] for entry in state["entries"]) + 1
            state["entries"].append(_entry(number, op["at"]))
            state["version"], state["drafts"] = op["version"], {}
        return
    if name not in exercises:  # make
        exercises[name] = {"version": op["version"], "entries": [_entry(1, op["at"])], "drafts": {}}
    state = exercises[name]
    current = state["entries"][-1]
    if kind in ("new-entry", "draft"):
        if kind == "draft":
            state["drafts"][op["question"]] = op["text"]
        return
    current["updated"] = op["at"]  # touch
    if kind == "answer":
        current["answers"][op["question"]] = {"value": op["value"], "at": op["at"]}
        _add_or_remove(current["skipped"], op["question"], False)
        state["drafts"].pop(op["question"], None)
    elif kind == "skip":
        current["answers"].pop(op["question"], None)
        _add_or_remove(current["skipped"], op["question"], True)
        state["drafts"].pop(op["question"], None)
    elif kind == "flag":
        _add_or_remove(current["flagged"], op["question"], op["on"])
    elif kind == "reflection":
        current["reflection"] = op["text"]
    elif kind == "complete":
        current["completed"] = current["completed"] or op["at"]
    else:
        raise Unreadable(f"journal operation {kind!r}")


def _add_or_remove(items: list[str], item: str, add: bool) -> None:
    if add and item not in items:
        items.append(item)
    if not add and item in items:
        items.remove(item)


# --- evaluation CSV ----------------------------------------------------------------------

#: Column types as documented in formats.md, "Evaluation CSV".
CSV_COLUMNS = (
    "participant_ref", "measure_type", "measure", "time", "value", "sender", "duplicate",
    "before", "after", "change",
)  # fmt: skip


def load_evaluation_csv(text: str) -> list[dict[str, str]]:
    """Every cell as text (``value`` mixes numbers and words, so it is loaded as text)."""
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != CSV_COLUMNS:
        raise Unreadable(f"unexpected columns {reader.fieldnames}")
    return list(reader)
