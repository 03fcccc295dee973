"""Write errors (file-size limit, I/O error) and damaged files, through the real CLI.

Each case ends in a clear message with its exit code (1 for a write error, 4 for a
damaged file) or in a successful, announced restore from a backup: never a traceback,
never silent data loss.
"""

from __future__ import annotations

import errno
import os
import random
import resource
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from relhelp import PASS, acked, count, make_vault, osp_env, spawn_worker, use_floor_kdf
from typer.testing import CliRunner

from osp_cli import atomic
from osp_cli.cli.app import app
from osp_cli.errors import UserError
from osp_cli.vault import store
from osp_cli.vault.store import Vault
from osp_cli.workbook import model

NEW = "a different long passphrase"
FLIPS = count("OSP_FLIPS", quick=60, full=1000)
runner = CliRunner()


@pytest.fixture(autouse=True)
def _floor_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    use_floor_kdf(monkeypatch)


@pytest.fixture
def workbook(_osp_home: Path) -> Path:
    path = _osp_home / "workbook.osp"
    make_vault(path)
    return path


def limit_file_size(limit: int) -> Callable[[], None]:
    def preexec() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG, not death by signal
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return preexec


def run_osp(
    home: Path, args: list[str], stdin: str, limit: int | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "osp_cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={**osp_env(home), "PYTHONDONTWRITEBYTECODE": "1"},
        preexec_fn=None if limit is None else limit_file_size(limit),
    )


def assert_clean_failure(output: str) -> None:
    assert "Traceback" not in output
    assert "Error" not in output.replace("error", "")  # no exception class names
    assert output.startswith("osp: ") or "\nosp: " in output


# --- disk full and write errors ---------------------------------------------------------------


def test_disk_full_while_saving_an_answer(workbook: Path) -> None:
    before = workbook.read_bytes()
    proc = spawn_worker(
        workbook,
        "d",
        0,
        1,
        preexec=limit_file_size(len(before) - 100),
    )
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1, err
    assert "ready" in out and not acked(out.splitlines())
    assert "not enough disk space" in err and "Nothing was changed" in err
    assert "Traceback" not in err
    assert workbook.read_bytes() == before
    assert atomic.temp_files(workbook) == []
    Vault.open(workbook, PASS)


def test_disk_full_during_passphrase_change_cli(workbook: Path) -> None:
    before = workbook.read_bytes()
    home = workbook.parent
    result = run_osp(home, ["passphrase"], f"{PASS}\n{NEW}\n{NEW}\n", limit=len(before) - 100)
    assert result.returncode == 1, result.stderr
    assert "not enough disk space" in result.stderr
    assert_clean_failure(result.stderr)
    assert workbook.read_bytes() == before
    assert atomic.temp_files(workbook) == []
    Vault.open(workbook, PASS)
    with pytest.raises(Exception, match="did not unlock"):
        Vault.open(workbook, NEW)


def test_disk_full_during_backup_cli(workbook: Path, tmp_path: Path) -> None:
    dest = tmp_path / "usb" / "copy.osp"
    dest.parent.mkdir()
    size = workbook.stat().st_size
    result = run_osp(workbook.parent, ["backup", str(dest)], "", limit=size // 2)
    assert result.returncode == 1, result.stderr
    assert "not enough disk space" in result.stderr
    assert_clean_failure(result.stderr)
    assert list(dest.parent.iterdir()) == []  # no partial copy, no lock file left
    Vault.open(workbook, PASS)


def test_an_io_error_while_writing_is_exit_1_and_changes_nothing(
    workbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = Vault.open(workbook, PASS)
    before = workbook.read_bytes()

    def failing_fsync(fd: int) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(UserError) as caught:
        vault.update(model.on_json(model.set_answer("x", 1, "q", "lost?")))
    assert caught.value.exit_code == 1
    assert "could not be saved" in caught.value.message
    assert "Input/output error" in caught.value.message
    monkeypatch.undo()
    assert workbook.read_bytes() == before
    assert atomic.temp_files(workbook) == []
    # The failed change is not half-kept in memory: the next save starts from the file.
    vault.update(model.on_json(model.set_answer("x", 1, "other", "kept")))
    answers = model.answers_of(model.from_dict(Vault.open(workbook, PASS).payload), "x")
    assert answers == {"other": "kept"}


# --- damage ---------------------------------------------------------------------------------


def _invoke(args: list[str], stdin: str = "") -> tuple[int, str]:
    result = runner.invoke(app, ["--plain", *args], input=stdin)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{args}: uncaught {result.exception!r}")
    return result.exit_code, result.output


def test_truncation_at_every_length_is_exit_4(workbook: Path, tmp_path: Path) -> None:
    original = workbook.read_bytes()
    dest = tmp_path / "copy.osp"
    for length in range(len(original)):
        workbook.write_bytes(original[:length])
        code, output = _invoke(["backup", str(dest)])
        assert code == 4, (length, output)
        assert "cannot be used" in output and "Traceback" not in output
        assert not dest.exists()
        with pytest.raises(Exception) as caught:
            Vault.open(workbook, PASS)
        assert getattr(caught.value, "exit_code", None) == 4, length
        assert workbook.read_bytes() == original[:length]  # nothing overwritten


def test_truncation_with_backups_restores_and_says_so(workbook: Path) -> None:
    vault = Vault.open(workbook, PASS)
    for i in range(3):
        vault.update(model.on_json(model.set_answer("ex", 1, f"q{i}", str(i))))
    original = workbook.read_bytes()
    for length in (0, 10, 200, len(original) // 2, len(original) - 33, len(original) - 1):
        workbook.write_bytes(original[:length])
        code, output = _invoke(["passphrase"], f"{PASS}\n{PASS} again\n{PASS} again\n")
        assert code == 0, output
        assert "damaged" in output and "backup" in output  # announced, not silent
        reopened = Vault.open(workbook, PASS + " again")
        assert model.answers_of(model.from_dict(reopened.payload), "ex") == {"q0": "0", "q1": "1"}
        # The damaged copy was set aside, then destroyed by the passphrase change (its
        # header could still hold the old wrapping).
        assert not store.damaged_path(workbook).exists()
        # Back to the starting point for the next length.
        reopened.change_passphrase(PASS)
        reopened.update(model.on_json(model.set_answer("ex", 1, "q2", "2")))
        original = workbook.read_bytes()


def test_random_byte_flips_are_exit_4_or_a_restore(workbook: Path, tmp_path: Path) -> None:
    rng = random.Random(1234)
    original = workbook.read_bytes()
    dest = tmp_path / "copy.osp"
    for _ in range(FLIPS):
        damaged = bytearray(original)
        for _ in range(rng.choice([1, 1, 2, 8])):
            damaged[rng.randrange(len(damaged))] ^= 1 << rng.randrange(8)
        workbook.write_bytes(bytes(damaged))
        for args, stdin in ((["backup", str(dest)], ""), (["passphrase"], f"{PASS}\n")):
            code, output = _invoke(args, stdin)
            assert code == 4, output
            assert "cannot be used" in output and "osp restore" in output
        assert workbook.read_bytes() == bytes(damaged)
    # With a backup there, the same damage is repaired from it, and the CLI says so.
    workbook.write_bytes(original)
    Vault.open(workbook, PASS).update(model.on_json(model.set_answer("ex", 1, "q", "kept")))
    good = workbook.read_bytes()
    for _ in range(3):
        damaged = bytearray(good)
        damaged[rng.randrange(len(damaged))] ^= 0x10
        workbook.write_bytes(bytes(damaged))
        code, output = _invoke(["passphrase"], f"{PASS}\n{NEW}\n{NEW}\n")
        assert code == 0 and "backup" in output, output
        Vault.open(workbook, NEW).change_passphrase(PASS)
        Vault.open(workbook, PASS).update(model.on_json(model.set_answer("ex", 1, "q", "kept")))
        good = workbook.read_bytes()


def test_missing_backups(workbook: Path) -> None:
    vault = Vault.open(workbook, PASS)
    for i in range(3):
        vault.update(model.on_json(model.set_answer("ex", 1, f"q{i}", str(i))))
    bak1, bak2, bak3 = store.backup_paths(workbook)
    blob = bytearray(workbook.read_bytes())
    blob[-1] ^= 1
    workbook.write_bytes(bytes(blob))
    # The newest backup is missing: the next one is used, and the CLI says so.
    bak1.unlink()
    code, output = _invoke(["passphrase"], f"{PASS}\n{NEW}\n{NEW}\n")
    assert code == 0 and "backup" in output, output
    assert model.answers_of(model.from_dict(Vault.open(workbook, NEW).payload), "ex") == {"q0": "0"}
    # Every backup missing and the main file damaged: exit 4, nothing overwritten.
    workbook.write_bytes(bytes(blob))
    for bak in (bak1, bak2, bak3):
        bak.unlink(missing_ok=True)
    code, output = _invoke(["passphrase"], f"{NEW}\n")
    assert code == 4, output
    assert "cannot be used" in output and "osp restore" in output
    assert workbook.read_bytes() == bytes(blob)
    # No workbook and no backup at all: exit 1 and the way forward.
    workbook.unlink()
    code, output = _invoke(["passphrase"], f"{NEW}\n")
    assert code == 1 and "osp init" in output, output


def test_restore_cli(workbook: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.osp"
    code, output = _invoke(["backup", str(copy)])
    assert code == 0, output
    Vault.open(workbook, PASS).update(model.on_json(model.set_answer("ex", 1, "after", "backup")))
    current = workbook.read_bytes()
    # A missing, truncated or flipped copy is refused and the workbook is left alone.
    code, output = _invoke(["restore", str(tmp_path / "nope.osp")], f"{PASS}\n")
    assert code == 1 and "There is no file" in output
    good_copy = copy.read_bytes()
    for bad in (good_copy[:-1], good_copy[:100], b"", good_copy[:50] + b"x" + good_copy[51:]):
        copy.write_bytes(bad)
        code, output = _invoke(["restore", str(copy)], f"{PASS}\n")
        assert code == 4 and "cannot be used" in output, output
        assert workbook.read_bytes() == current
    copy.write_bytes(good_copy)
    code, output = _invoke(["restore", str(copy)], "wrong wrong wrong\n")
    assert code == 3 and "did not unlock" in output
    assert workbook.read_bytes() == current
    code, output = _invoke(["restore", str(copy)], f"{PASS}\n")
    assert code == 0, output
    assert "after" not in model.answers_of(
        model.from_dict(Vault.open(workbook, PASS).payload), "ex"
    )
    # The workbook that was replaced is kept as the newest backup.
    assert store.backup_paths(workbook)[0].read_bytes() == current
