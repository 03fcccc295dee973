"""Properties of the crypto module and the vault file (issue 2's list, proved).

Most tests write files with the *floor* KDF settings (64 MiB, 3 passes) to stay quick;
the real defaults are checked once in ``test_new_files_use_the_default_kdf_settings``.
"""

from __future__ import annotations

import base64
import json
import os
import resource
import stat
import struct
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from osp_cli import crypto
from osp_cli.crypto import CryptoFailure, KdfParams
from osp_cli.errors import DamagedFile, ExitCode, OspError, WrongPassphrase
from osp_cli.vault import format as fmt
from osp_cli.vault import store
from osp_cli.vault.store import Vault
from osp_cli.workbook import model

PASS = "correct horse battery staple"
NEW_PASS = "a different long passphrase"


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """New files in these tests use the floor settings (still real Argon2id)."""

    monkeypatch.setenv(crypto.ITERATIONS_ENV, str(crypto.MIN_ITERATIONS))


@pytest.fixture
def vault_path(_osp_home: Path) -> Path:
    _osp_home.mkdir(mode=0o700, parents=True, exist_ok=True)
    return _osp_home / "workbook.osp"


def make(path: Path, answers: int = 0) -> tuple[Vault[dict[str, Any]], str]:
    vault, code = Vault.create(path, PASS, model.new_payload().to_dict())
    for i in range(answers):
        vault.update(model.on_json(model.set_answer("ex", 1, f"q{i}", f"answer {i}")))
    return vault, code


def regions(blob: bytes) -> dict[str, tuple[int, int]]:
    """Byte ranges [start, end) of each field of a workbook file."""
    (hlen,) = struct.unpack(">I", blob[6:10])
    (blen,) = struct.unpack(">I", blob[10 + hlen : 14 + hlen])
    body_end = 14 + hlen + blen
    return {
        "magic": (0, 5),
        "version": (5, 6),
        "header length": (6, 10),
        "header": (10, 10 + hlen),
        "body length": (10 + hlen, 14 + hlen),
        "body": (14 + hlen, body_end),
        "mac": (body_end, body_end + 32),
        "checksum": (body_end + 32, body_end + 64),
    }


def with_checksum(blob: bytes) -> bytes:
    """Recompute the trailing SHA-256, as a deliberate tamperer would."""
    return blob[:-32] + crypto.digest(blob[:-32])


def rebuild(blob: bytes, edit: Callable[[dict[str, Any]], None]) -> bytes:
    """Change the header JSON, fix both length fields and the checksum (keep body + MAC)."""
    parsed = fmt.parse(blob)
    header = json.loads(parsed.header_bytes)
    edit(header)
    raw = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
    signed = b"".join(
        [
            fmt.MAGIC,
            bytes([fmt.VERSION]),
            struct.pack(">I", len(raw)),
            raw,
            struct.pack(">I", len(parsed.body)),
            parsed.body,
        ]
    )
    return with_checksum(signed + parsed.tag + b"\0" * 32)


def exit_code_of(path: Path, secret: str = PASS, recovery: bool = False) -> int:
    opener = Vault.open_with_recovery if recovery else Vault.open
    try:
        opener(path, secret)
    except OspError as error:
        return int(error.exit_code)
    return 0


# --- round trip, salts, secrets ----------------------------------------------------------


def test_round_trip(vault_path: Path) -> None:
    vault, code = make(vault_path)
    vault.update(model.on_json(model.set_answer("ex", 1, "q", "naïve ✓ 日本語 \x00 \u202e")))
    vault.update(model.on_json(model.add_checkin(3, 7, "a note")))
    again = Vault.open(vault_path, PASS)
    assert again.payload == vault.payload
    assert model.answers_of(model.from_dict(again.payload), "ex") == {
        "q": "naïve ✓ 日本語 \x00 \u202e"
    }
    assert Vault.open_with_recovery(vault_path, code).payload == vault.payload
    assert b"na\xc3\xafve" not in vault_path.read_bytes()


def test_pure_format_round_trip() -> None:
    key = crypto.new_data_key()
    params = crypto.new_kdf_params()
    header = fmt.Header("id", "now", 1, params, fmt.wrap("p", key, params), params, b"x")
    blob = fmt.encode(header, key, {"a": [1, "b"]})
    assert fmt.decrypt(fmt.parse(blob), key) == {"a": [1, "b"]}


def test_salts_keys_and_ciphertexts_are_unique(tmp_path: Path) -> None:
    first, _ = Vault.create(tmp_path / "a.osp", PASS, model.new_payload().to_dict())
    second, _ = Vault.create(tmp_path / "b.osp", PASS, model.new_payload().to_dict())
    salts = {
        first.header.passphrase_kdf.salt,
        first.header.recovery_kdf.salt,
        second.header.passphrase_kdf.salt,
        second.header.recovery_kdf.salt,
    }
    assert len(salts) == 4
    assert all(len(s) == crypto.SALT_BYTES for s in salts)
    assert first.data_key != second.data_key
    assert len({crypto.new_kdf_params().salt for _ in range(50)}) == 50
    # The same payload encrypted twice under one key never gives the same bytes.
    assert crypto.seal(first.data_key, b"same") != crypto.seal(first.data_key, b"same")


def test_new_files_use_the_kdf_settings_tuned_to_the_machine(
    vault_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.undo()  # the real tuning, as osp uses it
    monkeypatch.delenv(crypto.ITERATIONS_ENV, raising=False)
    monkeypatch.setattr(crypto, "_tuned", None)
    timed: list[int] = []
    real = crypto._time_passes

    def counting() -> tuple[float, float]:
        timed.append(1)
        return real()

    monkeypatch.setattr(crypto, "_time_passes", counting)
    assert crypto.DEFAULT_MEMORY_KIB >= crypto.MIN_MEMORY_KIB
    assert crypto.new_kdf_params().problem() is None
    Vault.create(vault_path, PASS, model.new_payload().to_dict())
    assert len(timed) == 1  # the machine is measured once, not once per wrapped key
    header = json.loads(fmt.parse(vault_path.read_bytes()).header_bytes)
    for kdf in (header["kdf"], header["wrapped"]["recovery"]["kdf"]):
        assert kdf["alg"] == "argon2id"
        assert kdf["memory_kib"] == crypto.DEFAULT_MEMORY_KIB == 64 * 1024
        assert crypto.MIN_ITERATIONS <= kdf["iterations"] <= crypto.MAX_ITERATIONS
        assert kdf["iterations"] == crypto.tuned_iterations()
        assert kdf["lanes"] == crypto.DEFAULT_LANES == 4
        assert len(base64.b64decode(kdf["salt"])) == 16


@pytest.mark.parametrize(
    ("one_pass", "three_passes", "passes"),
    [
        (0.04, 0.12, 12),  # no fixed part: 0.04 s a pass
        (0.066, 0.116, 16),  # this machine idle: 0.025 s a pass after 0.041 s (capped)
        (0.09, 0.21, 7),  # 0.06 s a pass after 0.03 s
        (0.2, 0.4, 4),
        (0.5, 1.0, 3),  # slow: never below the floor
        (0.12, 0.11, 13),  # a busy moment (3 passes faster than 1): the floor alone
        (0.3, 0.31, 4),  # likewise: almost no cost per pass cannot be right
    ],
)
def test_passes_are_fitted_to_half_a_second_within_floor_and_ceiling(
    one_pass: float, three_passes: float, passes: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(crypto.ITERATIONS_ENV, raising=False)
    assert crypto.tuned_iterations(lambda: (one_pass, three_passes)) == passes


@pytest.mark.parametrize(("pinned", "passes"), [("3", 3), ("7", 7), ("1", 3), ("99", 16)])
def test_pinned_passes_never_leave_the_floor_or_the_ceiling(
    pinned: str, passes: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(crypto.ITERATIONS_ENV, pinned)
    assert crypto.tuned_iterations(lambda: (1 / 0, 0.0)) == passes  # nothing is measured


def test_wrong_passphrase_is_exit_3_and_changes_nothing(vault_path: Path) -> None:
    make(vault_path, answers=2)
    before = {p.name: p.read_bytes() for p in store.owned_files(vault_path)}
    with pytest.raises(WrongPassphrase) as caught:
        Vault.open(vault_path, "not the passphrase")
    assert caught.value.exit_code is ExitCode.WRONG_SECRET
    assert int(caught.value.exit_code) == 3
    assert "did not unlock" in caught.value.message
    assert PASS not in caught.value.message
    after = {p.name: p.read_bytes() for p in store.owned_files(vault_path)}
    assert after == before


def test_wrong_recovery_code_is_exit_3(vault_path: Path) -> None:
    _, code = make(vault_path)
    other = fmt.new_recovery_code()
    assert other != code
    for bad in (other, "", "not a code", code[:-1], code + "0", PASS):
        assert exit_code_of(vault_path, bad, recovery=True) == 3
    # The passphrase is not a recovery code, and the recovery code is not the passphrase.
    assert exit_code_of(vault_path, code) == 3


def test_recovery_code_shape_and_normalisation(vault_path: Path) -> None:
    codes = {fmt.new_recovery_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        groups = code.split("-")
        assert [len(g) for g in groups] == [5] * 5
        assert not set(code.replace("-", "")) & set("ILOU")
        assert fmt.normalise_recovery_code(code) == code
    code = "0123A-BCDEF-1JKMN-PQRST-VWXYZ"
    for typed in (
        code.lower(),
        code.replace("-", ""),
        code.replace("-", " "),
        "  " + code.replace("-", "  ").lower() + "\n",
        code.replace("0", "O").replace("1", "I"),
        code.replace("1", "l"),
    ):
        assert fmt.normalise_recovery_code(typed) == code, typed
    for wrong in ("", code[:-1], code + "A", code.replace("A", "U"), "é" * 25):
        assert fmt.normalise_recovery_code(wrong) == ""
    _, real = make(vault_path)
    sloppy = real.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    Vault.open_with_recovery(vault_path, sloppy)


# --- tampering and damage -----------------------------------------------------------------


def test_every_byte_flipped_is_detected_without_a_secret(vault_path: Path) -> None:
    """Accidental damage anywhere (even in the checksum itself) is exit 4, before any KDF."""
    make(vault_path)
    original = vault_path.read_bytes()
    for i in range(len(original)):
        damaged = bytearray(original)
        damaged[i] ^= 1 << (i % 8)
        with pytest.raises(fmt.FormatError):
            fmt.parse(bytes(damaged))
    # ...and through the vault, a sample, asserting the file is left as it was.
    for i in range(0, len(original), max(1, len(original) // 40)):
        damaged = bytearray(original)
        damaged[i] ^= 0xFF
        vault_path.write_bytes(bytes(damaged))
        assert exit_code_of(vault_path) == 4
        assert vault_path.read_bytes() == bytes(damaged)


#: Fields that take part in unwrapping the data key: changing them makes the passphrase
#: fail to unlock (exit 3), as it must, since no secret-free check can tell a changed salt
#: from a wrong passphrase. Every other field is caught by the MAC (exit 4).
UNWRAP_FIELDS = {"kdf.salt", "kdf.iterations", "kdf.lanes", "kdf.memory_kib", "wrapped.passphrase"}


def _tweak_b64(value: str) -> str:
    raw = bytearray(base64.b64decode(value))
    raw[0] ^= 1
    return base64.b64encode(bytes(raw)).decode()


def _tweak_token(value: str) -> str:
    raw = bytearray(base64.urlsafe_b64decode(value))
    raw[len(raw) // 2] ^= 1
    return base64.urlsafe_b64encode(bytes(raw)).decode()


HEADER_EDITS: dict[str, Callable[[dict[str, Any]], None]] = {
    "id": lambda h: h.update(id="0" * 16),
    "created": lambda h: h.update(created="1999-01-01T00:00:00+00:00"),
    "generation": lambda h: h.update(generation=h["generation"] + 1),
    "kdf.salt": lambda h: h["kdf"].update(salt=_tweak_b64(h["kdf"]["salt"])),
    "kdf.iterations": lambda h: h["kdf"].update(iterations=h["kdf"]["iterations"] + 1),
    "kdf.lanes": lambda h: h["kdf"].update(lanes=2),
    "kdf.memory_kib": lambda h: h["kdf"].update(memory_kib=h["kdf"]["memory_kib"] + 1024),
    "wrapped.passphrase": lambda h: h["wrapped"].update(
        passphrase=_tweak_token(h["wrapped"]["passphrase"])
    ),
    "wrapped.recovery.key": lambda h: h["wrapped"]["recovery"].update(
        key=_tweak_token(h["wrapped"]["recovery"]["key"])
    ),
    "wrapped.recovery.kdf.salt": lambda h: h["wrapped"]["recovery"]["kdf"].update(
        salt=_tweak_b64(h["wrapped"]["recovery"]["kdf"]["salt"])
    ),
    "wrapped.recovery.kdf.iterations": lambda h: h["wrapped"]["recovery"]["kdf"].update(
        iterations=4
    ),
    "wrapped.recovery.key swapped for the passphrase one": lambda h: h["wrapped"][
        "recovery"
    ].update(key=h["wrapped"]["passphrase"]),
}


@pytest.mark.parametrize("field", sorted(HEADER_EDITS))
def test_each_header_field_tampered_is_detected(vault_path: Path, field: str) -> None:
    make(vault_path)
    tampered = rebuild(vault_path.read_bytes(), HEADER_EDITS[field])
    fmt.parse(tampered)  # well formed and with a good checksum: only secrets can tell
    vault_path.write_bytes(tampered)
    code = exit_code_of(vault_path)
    if field in UNWRAP_FIELDS:
        assert code in (3, 4), field
    else:
        assert code == 4, field
    assert vault_path.read_bytes() == tampered  # nothing overwritten


@pytest.mark.parametrize(
    "edit",
    [
        lambda h: h.update(format=3),
        lambda h: h.update(format=1),  # not the version the file's first bytes give
        lambda h: h.update(format=True),
        lambda h: h.update(extra=1),
        lambda h: h.pop("created"),
        lambda h: h.update(generation=-1),
        lambda h: h.update(generation="1"),
        lambda h: h["kdf"].update(alg="scrypt"),
        lambda h: h["kdf"].update(extra=1),
        lambda h: h["wrapped"].update(extra="x"),
        lambda h: h["wrapped"].update(passphrase=7),
        lambda h: h["wrapped"]["recovery"].pop("kdf"),
        lambda h: h.update(wrapped=[]),
        lambda h: h["kdf"].update(salt="!!"),
    ],
)
def test_malformed_headers_are_exit_4_before_any_kdf(
    vault_path: Path, edit: Callable[[dict[str, Any]], None]
) -> None:
    make(vault_path)
    tampered = rebuild(vault_path.read_bytes(), edit)
    with pytest.raises(fmt.FormatError):
        fmt.parse(tampered)
    vault_path.write_bytes(tampered)
    assert exit_code_of(vault_path) == 4


def test_every_region_tampered_with_a_fixed_checksum_never_opens(vault_path: Path) -> None:
    make(vault_path)
    original = vault_path.read_bytes()
    for name, (start, end) in regions(original).items():
        if name == "checksum":
            continue
        for i in {start, (start + end) // 2, end - 1}:
            damaged = bytearray(original)
            damaged[i] ^= 0x01
            damaged_bytes = with_checksum(bytes(damaged))
            vault_path.write_bytes(damaged_bytes)
            code = exit_code_of(vault_path)
            assert code in (3, 4), (name, i)
            if name in ("body", "mac", "magic", "version", "header length", "body length"):
                assert code == 4, (name, i)


def test_body_swapped_between_workbooks_is_detected(tmp_path: Path) -> None:
    make(tmp_path / "a.osp")
    make(tmp_path / "b.osp")
    a, b = (fmt.parse((tmp_path / n).read_bytes()) for n in ("a.osp", "b.osp"))
    hybrid = b"".join(
        [
            fmt.MAGIC,
            bytes([fmt.VERSION]),
            struct.pack(">I", len(a.header_bytes)),
            a.header_bytes,
            struct.pack(">I", len(b.body)),
            b.body,
            b.tag,
        ]
    )
    (tmp_path / "a.osp").write_bytes(with_checksum(hybrid + b"\0" * 32))
    assert exit_code_of(tmp_path / "a.osp") == 4


# --- KDF bounds ------------------------------------------------------------------------------


def _kdf_json(**changes: object) -> dict[str, object]:
    data = KdfParams(salt=b"s" * 16).to_json()
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "changes",
    [
        {"memory_kib": crypto.MIN_MEMORY_KIB - 1},
        {"memory_kib": 8},
        {"iterations": crypto.MIN_ITERATIONS - 1},
        {"iterations": 1},
        {"iterations": 0},
        {"memory_kib": crypto.MAX_MEMORY_KIB + 1},
        {"memory_kib": 2**40},
        {"iterations": crypto.MAX_ITERATIONS + 1},
        {"iterations": 10**9},
        {"lanes": 0},
        {"lanes": crypto.MAX_LANES + 1},
        {"lanes": -1},
        {"salt": base64.b64encode(b"short").decode()},
        {"iterations": True},
        {"memory_kib": 65536.0},
        {"lanes": "4"},
        {"alg": "argon2i"},
    ],
)
def test_kdf_bounds_refuse_downgrades_and_bombs(changes: dict[str, object]) -> None:
    with pytest.raises(CryptoFailure):
        KdfParams.from_json(_kdf_json(**changes))


def test_kdf_bounds_accept_the_floor_defaults_and_ceiling() -> None:
    for params in (
        KdfParams(salt=b"s" * 16, iterations=crypto.MIN_ITERATIONS),
        KdfParams(salt=b"s" * 16),
        KdfParams(salt=b"s" * 16, memory_kib=crypto.MAX_MEMORY_KIB, lanes=crypto.MAX_LANES),
    ):
        assert KdfParams.from_json(params.to_json()) == params


def test_derive_key_refuses_unsafe_params_directly() -> None:
    with pytest.raises(CryptoFailure):
        crypto.derive_key(b"x", KdfParams(salt=b"s" * 16, iterations=1))
    with pytest.raises(CryptoFailure):
        crypto.derive_key(b"x", KdfParams(salt=b"s" * 16, memory_kib=2**30))


@pytest.mark.parametrize(
    ("memory_kib", "iterations"),
    [(crypto.MIN_MEMORY_KIB // 2, 3), (65536, 1), (2**31, 3), (65536, 10**6)],
)
def test_lowered_or_absurd_params_in_a_file_are_refused_at_once(
    vault_path: Path, memory_kib: int, iterations: int
) -> None:
    make(vault_path)

    def edit(h: dict[str, Any]) -> None:
        h["kdf"].update(memory_kib=memory_kib, iterations=iterations)

    vault_path.write_bytes(rebuild(vault_path.read_bytes(), edit))
    started = time.monotonic()
    with pytest.raises(DamagedFile) as caught:
        Vault.open(vault_path, PASS)
    assert time.monotonic() - started < 0.5  # refused before Argon2id ran
    assert "key-derivation" in caught.value.message


# --- changing the passphrase ---------------------------------------------------------------


def test_change_passphrase(vault_path: Path) -> None:
    vault, code = make(vault_path, answers=4)
    answers = model.answers_of(model.from_dict(vault.payload), "ex")
    data_key = vault.data_key
    new_code = vault.change_passphrase(NEW_PASS)
    assert exit_code_of(vault_path, PASS) == 3
    reopened = Vault.open(vault_path, NEW_PASS)
    assert model.answers_of(model.from_dict(reopened.payload), "ex") == answers
    assert reopened.data_key != data_key  # re-encrypted under a new data key
    assert exit_code_of(vault_path, code, recovery=True) == 3  # the old code is revoked
    assert new_code != code
    recovered = Vault.open_with_recovery(vault_path, new_code)
    assert model.answers_of(model.from_dict(recovered.payload), "ex") == answers
    # No copy osp keeps opens with the old passphrase; every backup opens with the new one.
    baks = [p for p in store.backup_paths(vault_path) if p.exists()]
    assert len(baks) == store.BACKUPS
    for bak in baks:
        assert exit_code_of(bak, PASS) == 3
        assert exit_code_of(bak, NEW_PASS) == 0
    # Saving after the change still works and rotates normally.
    reopened.update(model.on_json(model.set_answer("ex", 1, "later", "yes")))
    assert (
        model.answers_of(model.from_dict(Vault.open(vault_path, NEW_PASS).payload), "ex")["later"]
        == "yes"
    )


def test_recover_then_set_new_passphrase(vault_path: Path) -> None:
    _, code = make(vault_path, answers=1)
    recovered = Vault.open_with_recovery(vault_path, code)
    new_code = recovered.change_passphrase(NEW_PASS)
    assert exit_code_of(vault_path, PASS) == 3
    assert exit_code_of(vault_path, NEW_PASS) == 0
    assert exit_code_of(vault_path, code, recovery=True) == 3
    assert exit_code_of(vault_path, new_code, recovery=True) == 0


def test_an_old_copy_cannot_read_what_is_written_after_a_change(
    vault_path: Path, tmp_path: Path
) -> None:
    """Issue 12.2: an old copy plus the old passphrase (or code) opens the old answers
    only; a later copy of the file stays closed to the key they give."""
    vault, code = make(vault_path, answers=2)
    old_copy = tmp_path / "usb-stick-copy.osp"
    old_copy.write_bytes(vault_path.read_bytes())
    vault.change_passphrase(NEW_PASS)
    vault.update(model.on_json(model.set_answer("ex", 1, "later", "written after the change")))
    old_key = fmt.unwrap_with_passphrase(fmt.parse(old_copy.read_bytes()).header, PASS)
    assert old_key == fmt.unwrap_with_recovery(fmt.parse(old_copy.read_bytes()).header, code)
    # The old copy still opens (what it held), with the old passphrase...
    assert "later" not in model.answers_of(
        model.from_dict(Vault.open(old_copy, PASS).payload), "ex"
    )
    # ...but its key reads neither the workbook now nor any backup osp keeps.
    for path in [vault_path, *store.backup_paths(vault_path)]:
        parsed = fmt.parse(path.read_bytes())
        with pytest.raises(fmt.FormatError):
            fmt.decrypt(parsed, old_key)
        # Nor does grafting the old header (old wrapping) onto the new body.
        with pytest.raises((fmt.BadSecret, fmt.FormatError)):
            fmt.decrypt(parsed, fmt.unwrap_with_passphrase(parsed.header, PASS))


# --- backups --------------------------------------------------------------------------------


def _generation(path: Path) -> int:
    return fmt.parse(path.read_bytes()).header.generation


def test_backups_rotate_and_three_are_kept(vault_path: Path) -> None:
    vault, _ = make(vault_path)
    assert not any(p.exists() for p in store.backup_paths(vault_path))
    for i in range(6):
        vault.update(model.on_json(model.set_answer("ex", 1, f"q{i}", str(i))))
    main = _generation(vault_path)
    baks = store.backup_paths(vault_path)
    assert [_generation(p) for p in baks] == [main - 1, main - 2, main - 3]
    assert not vault_path.with_name(vault_path.name + ".bak4").exists()
    assert {p.name for p in vault_path.parent.iterdir()} == {
        "workbook.osp",
        "workbook.osp.bak1",
        "workbook.osp.bak2",
        "workbook.osp.bak3",
        "workbook.osp.lock",
    }


def _damage(path: Path, at: int = 100) -> None:
    blob = bytearray(path.read_bytes())
    blob[at] ^= 0xFF
    path.write_bytes(bytes(blob))


def test_damaged_main_restores_from_newest_good_backup(vault_path: Path) -> None:
    vault, _ = make(vault_path)
    for i in range(4):
        vault.update(model.on_json(model.set_answer("ex", 1, f"q{i}", str(i))))
    bak1, bak2, _ = store.backup_paths(vault_path)
    _damage(vault_path)
    damaged = vault_path.read_bytes()
    _damage(bak1)  # the newest backup is damaged too: bak2 is the newest good one
    expected = fmt.decrypt(fmt.parse(bak2.read_bytes()), vault.data_key)
    reopened = Vault.open(vault_path, PASS)
    assert reopened.restored_from_backup == bak2
    assert reopened.payload == expected
    assert model.answers_of(model.from_dict(reopened.payload), "ex") == {"q0": "0", "q1": "1"}
    # The main file is good again, and the damaged one was set aside, not destroyed.
    assert Vault.open(vault_path, PASS).restored_from_backup is None
    assert store.damaged_path(vault_path).read_bytes() == damaged


def test_missing_main_restores_from_backup(vault_path: Path) -> None:
    make(vault_path, answers=2)
    vault_path.unlink()
    reopened = Vault.open(vault_path, PASS)
    assert reopened.restored_from_backup == store.backup_paths(vault_path)[0]
    assert model.answers_of(model.from_dict(reopened.payload), "ex") == {"q0": "answer 0"}


def test_damaged_main_and_no_good_backup_is_exit_4(vault_path: Path) -> None:
    make(vault_path, answers=2)
    for path in [vault_path, *store.backup_paths(vault_path)]:
        if path.exists():
            _damage(path)
    assert exit_code_of(vault_path) == 4


def test_wrong_passphrase_with_a_damaged_main_reports_the_damage(vault_path: Path) -> None:
    make(vault_path, answers=2)
    _damage(vault_path)
    assert exit_code_of(vault_path, "wrong wrong wrong") == 4
    assert not store.damaged_path(vault_path).exists()


# --- erase -------------------------------------------------------------------------------


def test_erase_overwrites_and_removes_every_file_osp_owns(vault_path: Path) -> None:
    vault, _ = make(vault_path, answers=5)
    # A stray temp file and a set-aside damaged copy are osp's files too.
    stray = vault_path.parent / ".workbook.osp.tmp-1-abcd"
    stray.write_bytes(vault_path.read_bytes())
    store.damaged_path(vault_path).write_bytes(vault_path.read_bytes())
    owned = store.owned_files(vault_path)
    assert len(owned) == 7
    originals = {p: p.read_bytes() for p in owned}
    # Hold each file open: after erase, the same inode must hold none of its old bytes.
    handles = {p: os.open(p, os.O_RDONLY) for p in owned}
    try:
        assert store.erase(vault_path) == 6
        for path, fd in handles.items():
            now = os.pread(fd, len(originals[path]) + 1, 0)
            assert len(now) == len(originals[path])
            if originals[path]:
                assert now != originals[path]
                assert fmt.MAGIC not in now
                assert vault.header.passphrase_wrap not in now
    finally:
        for fd in handles.values():
            os.close(fd)
    assert not vault_path.parent.exists()  # osp's own folder goes too, once empty
    assert not service_exists()


def test_erase_keeps_a_folder_that_holds_something_else(vault_path: Path) -> None:
    make(vault_path, answers=1)
    other = vault_path.parent / "practitioner"
    other.mkdir()
    store.erase(vault_path)
    assert list(vault_path.parent.iterdir()) == [other]


def _hold(paths: list[Path]) -> dict[Path, tuple[int, bytes]]:
    """Open each file and remember its bytes: after a change, the same inodes must hold
    none of them (the old bytes were overwritten, not just unlinked)."""
    return {p: (os.open(p, os.O_RDONLY), p.read_bytes()) for p in paths}


def _overwritten(held: dict[Path, tuple[int, bytes]], secret: bytes) -> None:
    try:
        for path, (fd, before) in held.items():
            now = os.pread(fd, len(before) + 1, 0)
            assert now != before, path
            assert fmt.MAGIC not in now and secret not in now, path
    finally:
        for fd, _before in held.values():
            os.close(fd)


def test_rotated_out_backup_is_overwritten_before_it_goes(vault_path: Path) -> None:
    vault, _ = make(vault_path, answers=3)
    oldest = store.backup_paths(vault_path)[-1]
    held = _hold([oldest])
    vault.update(model.on_json(model.set_answer("ex", 1, "later", "x")))
    _overwritten(held, vault.header.passphrase_wrap)


def test_passphrase_change_overwrites_every_old_copy(vault_path: Path) -> None:
    vault, _ = make(vault_path, answers=4)
    # Damaged copies numbered with gaps are found and destroyed too.
    for number in (1, 3, 12):
        store.damaged_path(vault_path, number).write_bytes(vault_path.read_bytes())
    assert len(store.damaged_paths(vault_path)) == 3
    old = [vault_path, *store.backup_paths(vault_path), *store.damaged_paths(vault_path)]
    held = _hold(old)
    wrap = vault.header.passphrase_wrap
    vault.change_passphrase(NEW_PASS)
    _overwritten(held, wrap)
    assert store.damaged_paths(vault_path) == []
    assert sorted(p.name for p in vault_path.parent.iterdir() if not p.name.endswith(".lock")) == [
        vault_path.name, *(p.name for p in store.backup_paths(vault_path))
    ]  # fmt: skip
    for path in [vault_path, *store.backup_paths(vault_path)]:
        assert exit_code_of(path, NEW_PASS) == 0 and exit_code_of(path, PASS) == 3


def test_erase_finds_damaged_copies_whatever_their_numbers(vault_path: Path) -> None:
    make(vault_path, answers=1)
    for number in (2, 5):
        store.damaged_path(vault_path, number).write_bytes(vault_path.read_bytes())
    assert store.erase(vault_path) == 4  # the workbook, one backup, two damaged copies
    assert not vault_path.parent.exists()


def service_exists() -> bool:
    from osp_cli.workbook import service

    return service.exists()


def test_payload_body_alone_cannot_be_decrypted(vault_path: Path) -> None:
    """The body is under a random data key that exists only wrapped in the header."""
    vault, _ = make(vault_path, answers=1)
    parsed = fmt.parse(vault_path.read_bytes())
    body = parsed.body
    # Not under anything the passphrase or recovery code alone derives...
    for params in (parsed.header.passphrase_kdf, parsed.header.recovery_kdf):
        kek = crypto.derive_key(PASS.encode(), params)
        with pytest.raises(CryptoFailure):
            crypto.unseal(kek, body)
    # ...and not under a key derived with any other salt either.
    with pytest.raises(CryptoFailure):
        crypto.unseal(crypto.derive_key(PASS.encode(), crypto.new_kdf_params()), body)
    assert crypto.unseal(vault.data_key, body)  # only the data key opens it
    store.erase(vault_path)
    assert not vault_path.parent.exists() or not any(vault_path.parent.iterdir())


def test_a_whole_file_copied_before_erase_still_opens_by_design(
    vault_path: Path, tmp_path: Path
) -> None:
    """Documented in docs/security.md: erase cannot reach copies made elsewhere."""
    make(vault_path, answers=1)
    copy = tmp_path / "copy.osp"
    copy.write_bytes(vault_path.read_bytes())
    store.erase(vault_path)
    assert model.answers_of(model.from_dict(Vault.open(copy, PASS).payload), "ex") == {
        "q0": "answer 0"
    }


# --- file modes, core dumps ------------------------------------------------------------------


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


@pytest.mark.usefixtures("permissive_umask")
def test_file_modes_0700_and_0600(_osp_home: Path, tmp_path: Path) -> None:
    from osp_cli.workbook import service

    workbook, _ = service.create(PASS)
    for i in range(5):
        workbook.save(model.set_answer("ex", 1, f"q{i}", "x"))
        workbook.vault.fold()  # each fold is a full write, and so makes a backup
    path = service.workbook_file()
    _damage(path)
    Vault.open(path, PASS)  # restores from a backup and sets the damaged file aside
    assert _mode(_osp_home) == 0o700
    files = list(_osp_home.iterdir())
    assert {p.name for p in files} >= {
        "workbook.osp",
        "workbook.osp.bak1",
        "workbook.osp.bak3",
        "workbook.osp.lock",
        "workbook.osp.damaged",
    }
    for path_ in files:
        assert _mode(path_) == 0o600, path_.name
    out = tmp_path / "out"
    out.mkdir()
    store.copy_out(path, out / "copy.osp")
    assert _mode(out / "copy.osp") == 0o600


def test_an_existing_home_is_tightened_to_0700(_osp_home: Path) -> None:
    from osp_cli.workbook import service

    _osp_home.mkdir(mode=0o755)
    os.chmod(_osp_home, 0o755)  # noqa: S103 - the loose mode osp must tighten
    service.create(PASS)
    assert _mode(_osp_home) == 0o700


def test_core_dumps_are_disabled_once_unlocked(vault_path: Path) -> None:
    """Fails when the protection is removed, even where the hard core limit is already 0:
    the child starts dumpable with core files allowed (as far as the system lets us), and
    must end non-dumpable (Linux) with a core limit of 0."""
    make(vault_path)
    script = (
        "import resource, sys\n"
        "from pathlib import Path\n"
        "from osp_cli.platform import is_dumpable\n"
        "from osp_cli.vault.store import Vault\n"
        "print(resource.getrlimit(resource.RLIMIT_CORE), is_dumpable())\n"
        "Vault.open(Path(sys.argv[1]), sys.argv[2])\n"
        "print(resource.getrlimit(resource.RLIMIT_CORE), is_dumpable())\n"
    )

    def allow_core() -> None:
        try:  # root (as in CI) may raise the hard limit too
            resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY,) * 2)
        except (ValueError, OSError):
            hard = resource.getrlimit(resource.RLIMIT_CORE)[1]
            resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))

    result = subprocess.run(
        [sys.executable, "-c", script, str(vault_path), PASS],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        preexec_fn=allow_core,
    )
    before, after = result.stdout.strip().splitlines()
    assert after == "(0, 0) False" if sys.platform.startswith("linux") else "(0, 0) None"
    if sys.platform.startswith("linux"):
        # It was dumpable: the change is osp's doing, even where the container's hard
        # core limit was already 0 (as it is on this project's machines).
        assert before.endswith(" True")


def test_every_command_limits_core_files_and_no_secret_is_read_while_dumpable() -> None:
    """'osp support' (no secret at all) already runs with no core limit; a passphrase or
    recovery code is read only once the process is non-dumpable (Linux)."""

    def probe(*argv: str) -> str:
        code = (
            "import resource, sys\n"
            f"sys.argv = ['osp', *{list(argv)!r}]\n"
            "from osp_cli.cli.app import main\n"
            "from osp_cli.platform import is_dumpable\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('PROBE', resource.getrlimit(resource.RLIMIT_CORE), is_dumpable())\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return result.stdout.strip().splitlines()[-1]

    linux = sys.platform.startswith("linux")
    assert probe("support").startswith("PROBE (0, 0) ")
    # The moment a secret is read, the process is already protected (the probe stands
    # in for standard input and notes the state when the line is read).
    code = (
        "import io, resource, sys\n"
        "from osp_cli.platform import is_dumpable\n"
        "from osp_cli.ui.secret import read_secret\n"
        "class Watched(io.StringIO):\n"
        "    def readline(self, *args):\n"
        "        print('READ', resource.getrlimit(resource.RLIMIT_CORE), is_dumpable())\n"
        "        return super().readline(*args)\n"
        "sys.stdin = Watched('a passphrase\\n')\n"
        "read_secret('Passphrase: ')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == f"READ (0, 0) {'False' if linux else 'None'}"


def test_exit_codes_match_the_spec() -> None:
    from osp_cli import errors

    assert errors.UserError("x").exit_code == 1
    assert errors.UsageError("x").exit_code == 2
    assert errors.WrongPassphrase("x").exit_code == 3
    assert errors.DamagedFile("x").exit_code == 4
    assert errors.Interrupted().exit_code == 130


def test_passphrase_change_destroys_a_damaged_copy_it_cannot_rewrap(vault_path: Path) -> None:
    make(vault_path, answers=3)
    _damage(vault_path)
    vault = Vault.open(vault_path, PASS)
    assert store.damaged_path(vault_path).exists()
    vault.change_passphrase(NEW_PASS)
    assert not store.damaged_path(vault_path).exists()
    assert all(exit_code_of(p, PASS) == 3 for p in store.owned_files(vault_path) if "bak" in p.name)
