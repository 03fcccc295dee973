"""Fuzzing every reader of outside bytes (hypothesis).

Allowed outcomes: success, or the documented error (an :class:`OspError` subclass; the
exercise loader raises :class:`ExerciseError`). Anything else, or a hang, fails.

Example counts are sized for CI; ``OSP_RELIABILITY_FULL=1`` multiplies them by 20, and
``OSP_FUZZ_EXAMPLES`` sets the base count directly.
"""

from __future__ import annotations

import json
import secrets
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from relhelp import PASS, count, full_run, use_floor_kdf

from osp_cli import crypto
from osp_cli.crypto import KdfParams
from osp_cli.errors import ExerciseError, OspError
from osp_cli.exchange import assignment, keystore, sealed, summary
from osp_cli.exchange.frame import sized
from osp_cli.exercises.loader import parse_exercise
from osp_cli.vault import format as fmt
from osp_cli.vault.store import Vault
from osp_cli.workbook import model

ROOT = Path(__file__).resolve().parents[2]
BASE = count("OSP_FUZZ_EXAMPLES", quick=150, full=3000)
F = TypeVar("F", bound=Callable[..., Any])


def fuzz(examples: int = BASE, deadline_ms: int = 2000) -> Callable[[F], F]:
    """Hypothesis settings for a fuzz test: bounded examples, a per-example deadline."""
    return settings(
        max_examples=max(1, examples),
        deadline=deadline_ms,
        derandomize=not full_run(),  # CI runs are repeatable; full runs explore afresh
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        database=None,
    )


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=20,
)


def mutations(original: bytes) -> st.SearchStrategy[bytes]:
    """Bytes near ``original``: flips, cuts, insertions, splices and repeats."""

    @st.composite
    def mutate(draw: st.DrawFn) -> bytes:
        blob = bytearray(original)
        for _ in range(draw(st.integers(1, 6))):
            op = draw(st.sampled_from(["flip", "set", "cut", "insert", "delete", "repeat"]))
            at = draw(st.integers(0, max(0, len(blob) - 1)))
            if op == "flip" and blob:
                blob[at] ^= 1 << draw(st.integers(0, 7))
            elif op == "set" and blob:
                blob[at] = draw(st.integers(0, 255))
            elif op == "cut":
                del blob[at:]
            elif op == "insert":
                blob[at:at] = draw(st.binary(min_size=1, max_size=40))
            elif op == "delete":
                del blob[at : at + draw(st.integers(1, 40))]
            elif op == "repeat":
                blob[at:at] = blob[at : at + draw(st.integers(1, 40))]
        return bytes(blob)

    return mutate()


# --- the exercise TOML loader ------------------------------------------------------------------

EXERCISE_TEXTS = [
    p.read_text(encoding="utf-8")
    for p in sorted((ROOT / "tests" / "data" / "exercises").rglob("*.toml"))
    + sorted((ROOT / "exercises").glob("*.toml"))[:6]
]


def _load(text: str) -> None:
    try:
        parse_exercise(text, "fuzz.toml")
    except ExerciseError as error:
        assert error.problems
        assert all(line.startswith("fuzz.toml: ") for line in error.problems)


@fuzz()
@given(st.text(max_size=2000))
def test_exercise_loader_random_text(text: str) -> None:
    _load(text)


@fuzz()
@given(st.sampled_from(EXERCISE_TEXTS).flatmap(lambda t: mutations(t.encode("utf-8"))))
def test_exercise_loader_mutated_exercises(blob: bytes) -> None:
    _load(blob.decode("utf-8", errors="replace"))


@fuzz(examples=BASE // 2)
@given(
    st.dictionaries(st.text(max_size=15), json_values, max_size=8), st.sampled_from(EXERCISE_TEXTS)
)
def test_exercise_loader_values_of_every_type_in_every_place(
    extra: dict[str, Any], base_text: str
) -> None:
    """Replace top-level values of a real exercise with arbitrary TOML-able values."""
    import tomllib

    data = tomllib.loads(base_text)
    for key, value in extra.items():
        target = data
        if key and key[0] in "qQ" and data.get("questions"):
            target = data["questions"][ord(key[-1]) % len(data["questions"])]
            key = sorted(target)[len(key) % len(target)]
        elif key and key[0] in "kK":
            key = sorted(data)[len(key) % len(data)]
        target[key] = value
    _load(_to_toml(data))


def _to_toml(data: dict[str, Any]) -> str:
    """A small TOML writer (enough for fuzzing: nulls are dropped, floats kept finite)."""
    lines: list[str] = []
    tables: list[tuple[str, dict[str, Any]]] = []
    arrays: list[tuple[str, list[dict[str, Any]]]] = []
    for key, value in data.items():
        if isinstance(value, dict):
            tables.append((key, value))
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            arrays.append((key, value))
        elif value is not None:
            lines.append(f"{json.dumps(key)} = {_toml_value(value)}")
    for key, table in tables:
        lines.append(f"[{json.dumps(key)}]")
        lines.extend(
            f"{json.dumps(k)} = {_toml_value(v)}" for k, v in table.items() if v is not None
        )
    for key, items in arrays:
        for item in items:
            lines.append(f"[[{json.dumps(key)}]]")
            lines.extend(
                f"{json.dumps(k)} = {_toml_value(v)}" for k, v in item.items() if v is not None
            )
    return "\n".join(lines) + "\n"


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(max(-(2**63), min(2**63 - 1, value)))
    if isinstance(value, float):
        return repr(value) if value == value and abs(value) != float("inf") else "0.0"
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value if v is not None) + "]"
    if isinstance(value, dict):
        inner = ", ".join(
            f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items() if v is not None
        )
        return "{" + inner + "}"
    return json.dumps(str(value))


# --- the vault reader ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def vault_blob(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes]:
    """A real workbook file and its data key (floor KDF settings, to keep Vault.open quick)."""
    monkeypatch = pytest.MonkeyPatch()
    use_floor_kdf(monkeypatch)
    try:
        path = tmp_path_factory.mktemp("vault") / "workbook.osp"
        vault, _ = Vault.create(path, PASS, model.new_payload().to_dict())
        vault.update(model.on_json(model.set_answer("ex", 1, "q", "an answer")))
        return path.read_bytes(), vault.data_key
    finally:
        monkeypatch.undo()


def _parse_and_decrypt(blob: bytes, data_key: bytes) -> None:
    try:
        parsed = fmt.parse(blob)
    except fmt.FormatError as error:
        assert error.reason
        return
    try:
        fmt.decrypt(parsed, data_key)
    except fmt.FormatError as error:
        assert error.reason


@fuzz()
@given(st.binary(max_size=4000))
def test_vault_format_random_bytes(blob: bytes) -> None:
    _parse_and_decrypt(blob, crypto.new_data_key())


@fuzz()
@given(data=st.data())
def test_vault_format_mutated_files(vault_blob: tuple[bytes, bytes], data: st.DataObject) -> None:
    blob, key = vault_blob
    mutated = data.draw(mutations(blob))
    if data.draw(st.booleans()):  # a deliberate tamperer fixes the checksum
        mutated = mutated[:-32] + crypto.digest(mutated[:-32])
    _parse_and_decrypt(mutated, key)


def _with_header(blob: bytes, header: object) -> bytes:
    parsed = fmt.parse(blob)
    raw = json.dumps(header).encode()
    signed = (
        fmt.MAGIC
        + bytes([fmt.VERSION])
        + struct.pack(">I", len(raw))
        + raw
        + struct.pack(">I", len(parsed.body))
        + parsed.body
        + parsed.tag
    )
    return signed + crypto.digest(signed)


@fuzz(examples=max(10, BASE // 6), deadline_ms=10_000)
@given(data=st.data())
def test_vault_open_with_fuzzed_header_values(
    vault_blob: tuple[bytes, bytes], data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Any header value replaced by any JSON value, checksum fixed: Vault.open (with the
    real passphrase, Argon2id and all) ends in an OspError or opens the file."""
    blob, _ = vault_blob
    header = json.loads(fmt.parse(blob).header_bytes)
    paths: list[tuple[str, ...]] = [("id",), ("created",), ("generation",), ("format",)]
    paths += [("kdf",), ("wrapped",)]
    paths += [("kdf", k) for k in ("alg", "salt", "memory_kib", "iterations", "lanes")]
    paths += [("wrapped", "passphrase"), ("wrapped", "recovery"), ("wrapped", "recovery", "key")]
    where = data.draw(st.sampled_from(paths))
    target: Any = header
    for step in where[:-1]:
        target = target[step]
    target[where[-1]] = data.draw(json_values)
    path = tmp_path_factory.mktemp("fuzz") / "workbook.osp"
    path.write_bytes(_with_header(blob, header))
    try:
        Vault.open(path, PASS)
    except OspError as error:
        assert int(error.exit_code) in (1, 3, 4)


@pytest.mark.parametrize("opener", ["[", '{"a":'])
def test_vault_header_nested_deeply_is_exit_4(
    vault_blob: tuple[bytes, bytes], tmp_path: Path, opener: str
) -> None:
    blob, _ = vault_blob
    parsed = fmt.parse(blob)
    raw = (opener * 60_000).encode()
    signed = (
        fmt.MAGIC + bytes([fmt.VERSION]) + struct.pack(">I", len(raw)) + raw
        + struct.pack(">I", len(parsed.body)) + parsed.body + parsed.tag
    )  # fmt: skip
    path = tmp_path / "workbook.osp"
    path.write_bytes(signed + crypto.digest(signed))
    with pytest.raises(OspError) as caught:
        Vault.open(path, PASS)
    assert int(caught.value.exit_code) == 4


# --- the assignment reader ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def signer() -> crypto.KeyPairs:
    return crypto.new_key_pairs()


def _signed_assignment(keys: crypto.KeyPairs, body: bytes) -> bytes:
    signed = assignment.MAGIC + bytes([assignment.VERSION]) + keys.ed25519_public + sized(body)
    return signed + crypto.sign(keys.ed25519_private, signed)


def _valid_assignment_body(keys: crypto.KeyPairs) -> dict[str, Any]:
    return {
        "type": assignment.TYPE,
        "format": assignment.VERSION,
        "id": "0123456789abcdef",
        "sequence": 1,
        "issued": "2026-05-01T10:00:00+00:00",
        "participant_ref": "P-0142",
        "session": 2,
        "exercises": ["hopes-and-fears"],
        "custom_exercises": {},
        "next_session": "2026-05-10",
        "note": "See you then.",
        "practitioner": {
            "x25519": crypto.b64e(keys.x25519_public),
            "ed25519": crypto.b64e(keys.ed25519_public),
        },
    }


def _decode_assignment(blob: bytes, pinned: bytes | None = None) -> None:
    try:
        assignment.decode(blob, pinned)
    except OspError as error:
        assert int(error.exit_code) in (1, 4)


def test_a_valid_signed_assignment_decodes(signer: crypto.KeyPairs) -> None:
    body = json.dumps(_valid_assignment_body(signer)).encode()
    assert assignment.decode(_signed_assignment(signer, body)).participant_ref == "P-0142"


@fuzz()
@given(st.binary(max_size=3000))
def test_assignment_random_bytes(blob: bytes) -> None:
    _decode_assignment(blob)


@fuzz()
@given(data=st.data())
def test_assignment_mutated_files(signer: crypto.KeyPairs, data: st.DataObject) -> None:
    good = _signed_assignment(signer, json.dumps(_valid_assignment_body(signer)).encode())
    _decode_assignment(
        data.draw(mutations(good)), data.draw(st.sampled_from([None, signer.ed25519_public]))
    )


@fuzz()
@given(data=st.data())
def test_assignment_validly_signed_hostile_bodies(
    signer: crypto.KeyPairs, data: st.DataObject
) -> None:
    """Anyone can sign a first assignment with their own key: its body is outside input."""
    body: Any = _valid_assignment_body(signer)
    choice = data.draw(st.integers(0, 2))
    if choice == 0:
        body = data.draw(json_values)
    elif choice == 1:
        key = data.draw(st.sampled_from(sorted(body)))
        body[key] = data.draw(json_values)
    else:
        body["custom_exercises"] = data.draw(
            st.dictionaries(
                st.from_regex(r"[a-z][a-z0-9-]{1,10}", fullmatch=True),
                st.text(max_size=300),
                max_size=2,
            )
        )
        body["exercises"] = sorted(body["custom_exercises"]) or ["hopes-and-fears"]
    raw = (
        json.dumps(body).encode()
        if data.draw(st.booleans())
        else data.draw(st.binary(max_size=500))
    )
    _decode_assignment(_signed_assignment(signer, raw))


# --- the sealed-summary reader --------------------------------------------------------------


def _open_summary(blob: bytes, keys: crypto.KeyPairs) -> None:
    try:
        summary.from_bytes(sealed.open_sealed(blob, keys.x25519_private, keys.x25519_public))
    except OspError as error:
        assert int(error.exit_code) in (1, 4)


@fuzz()
@given(st.binary(max_size=3000))
def test_sealed_summary_random_bytes(signer: crypto.KeyPairs, blob: bytes) -> None:
    _open_summary(blob, signer)


@fuzz()
@given(data=st.data())
def test_sealed_summary_mutated_files(signer: crypto.KeyPairs, data: st.DataObject) -> None:
    good = sealed.seal(b'{"type": "not even a summary"}', signer.x25519_public)
    _open_summary(data.draw(mutations(good)), signer)


@fuzz()
@given(data=st.data())
def test_sealed_summary_validly_sealed_hostile_contents(
    signer: crypto.KeyPairs, data: st.DataObject
) -> None:
    """Anyone holding the practitioner's public key can seal anything to it."""
    if data.draw(st.booleans()):
        plaintext = json.dumps(data.draw(json_values)).encode()
    else:
        plaintext = data.draw(st.binary(max_size=500))
    _open_summary(sealed.seal(plaintext, signer.x25519_public), signer)


@fuzz(examples=max(10, BASE // 3))
@given(data=st.data())
def test_summary_json_with_values_of_every_type_in_every_place(data: st.DataObject) -> None:
    top = {key: data.draw(json_values) for key in summary.TOP_KEYS}
    top["type"] = summary.TYPE
    top["schema_version"] = summary.SCHEMA_VERSION
    try:
        summary.from_json(top)
    except OspError as error:
        assert int(error.exit_code) == 4


# --- the practitioner key file (local, but still bytes from disk) ---------------------------------


@fuzz()
@given(st.binary(max_size=2000))
def test_key_file_random_bytes(blob: bytes) -> None:
    try:
        keystore.public_info(blob)
    except OspError as error:
        assert int(error.exit_code) == 4


@fuzz(examples=max(10, BASE // 10), deadline_ms=10_000)
@given(data=st.data())
def test_key_file_mutated(signer: crypto.KeyPairs, data: st.DataObject) -> None:
    good = keystore.encode(signer, PASS, KdfParams(salt=secrets.token_bytes(16), iterations=3))
    mutated = data.draw(mutations(good))
    if data.draw(st.booleans()):
        mutated = mutated[:-32] + crypto.digest(mutated[:-32])
    try:
        keystore.public_info(mutated)
        keystore.unlock(mutated, PASS)
    except OspError as error:
        assert int(error.exit_code) in (3, 4)


# --- deep nesting: a checksum, signature or seal is no proof of good intent ----------------------

DEEP = [b"[" * 100_000, b'{"a":' * 50_000]

#: Found by this suite and fixed in the exchange readers (1860722): json.loads raises
#: RecursionError (not ValueError) on deep nesting, which used to escape as a traceback
#: from 'osp import' and 'osp practitioner open'. The vault reader has the same guard.


@pytest.mark.parametrize("raw", DEEP, ids=["array", "object"])
def test_deeply_nested_assignment_body_is_refused_cleanly(
    signer: crypto.KeyPairs, raw: bytes
) -> None:
    with pytest.raises(OspError) as caught:
        assignment.decode(_signed_assignment(signer, raw))
    assert int(caught.value.exit_code) == 4


@pytest.mark.parametrize("raw", DEEP, ids=["array", "object"])
def test_deeply_nested_summary_is_refused_cleanly(signer: crypto.KeyPairs, raw: bytes) -> None:
    blob = sealed.seal(raw, signer.x25519_public)
    with pytest.raises(OspError) as caught:
        summary.from_bytes(sealed.open_sealed(blob, signer.x25519_private, signer.x25519_public))
    assert int(caught.value.exit_code) == 4
