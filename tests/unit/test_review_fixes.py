"""Regression tests for problems found in review: each would fail if the fix were undone."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest
from exchange_data import make_summary

from osp_cli.errors import DamagedFile
from osp_cli.exchange import files
from osp_cli.report import render


def test_html_chart_copes_with_check_ins_out_of_time_order() -> None:
    summary = make_summary()
    first, second, third = summary.checkins
    shuffled = (first, second, dataclasses.replace(third, at=first.at))
    page = render("html", dataclasses.replace(summary, checkins=shuffled))
    assert "<svg" in page


def test_error_messages_reach_the_terminal_inert(capsys: pytest.CaptureFixture[str]) -> None:
    from osp_cli.cli.boundary import report_error

    report_error(DamagedFile("bad \x1b]0;PWN\x07 file", hint="\x1b[2J hint"))
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err
    assert "\\x1b]0;PWN\\x07" in err


def test_an_interrupted_private_write_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted_fsync(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted_fsync)
    target = tmp_path / "summary.html"
    with pytest.raises(KeyboardInterrupt):
        files.write_private(target, b"plaintext answers")
    assert list(tmp_path.iterdir()) == []


def test_stopping_is_reported_calmly_without_the_error_prefix(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from osp_cli.cli.boundary import report_error
    from osp_cli.errors import Interrupted

    report_error(Interrupted())
    err = capsys.readouterr().err
    assert err.startswith("Stopped. Everything you answered has been saved.")
    assert "osp:" not in err


def test_every_osp_process_runs_without_core_dumps() -> None:
    import subprocess
    import sys

    probe = (
        "import resource, sys; from osp_cli.cli import app; sys.argv = ['osp', 'support'];"
        "import contextlib, io\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try: app.main()\n"
        "    except SystemExit: pass\n"
        "print(resource.getrlimit(resource.RLIMIT_CORE))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    assert out.strip().endswith("(0, 0)")


def test_loosened_permissions_are_tightened_on_open(
    new_workbook: tuple[object, str], passphrase: str, _osp_home: Path
) -> None:
    import stat

    from osp_cli.workbook import model, service

    workbook = service.open_with_passphrase(passphrase)
    workbook.save(model.set_answer("ex", 1, "q", "a"))
    os.chmod(_osp_home, 0o755)  # noqa: S103 - loosened on purpose, to be tightened
    for owned in _osp_home.iterdir():
        os.chmod(owned, 0o644)
    service.open_with_passphrase(passphrase)
    assert stat.S_IMODE(_osp_home.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in _osp_home.iterdir())


def test_a_second_damaged_copy_never_replaces_the_first(
    new_workbook: tuple[object, str], passphrase: str
) -> None:
    from osp_cli.vault import store
    from osp_cli.workbook import model, service

    workbook = service.open_with_passphrase(passphrase)
    for i in range(3):
        workbook.save(model.set_answer("ex", 1, f"q{i}", "a"))
        workbook.vault.fold()  # each fold is a full write, and so makes a backup
    path = service.workbook_file()
    for _ in range(2):
        blob = bytearray(path.read_bytes())
        blob[40] ^= 0xFF
        path.write_bytes(bytes(blob))
        assert service.open_with_passphrase(passphrase).vault.restored_from_backup
    assert [p.name for p in store.damaged_paths(path)] == [
        "workbook.osp.damaged",
        "workbook.osp.damaged2",
    ]


def test_text_that_is_not_a_date_comes_out_inert() -> None:
    from osp_cli import dates

    for shown in (dates.day("\x1b]0;PWN\x07"), dates.day_and_time("\x1b[2J soon")):
        assert "\x1b" not in shown and "\x07" not in shown
    assert dates.day("2026-12-03") == "Thursday 3 December 2026"
