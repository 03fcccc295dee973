"""Regression tests for problems found in review: each would fail if the fix were undone."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from osp_cli.errors import DamagedFile
from osp_cli.exchange import files
from osp_cli.report import render
from tests.exchange_data import make_summary


def test_html_chart_copes_with_check_ins_out_of_time_order() -> None:
    summary = make_summary()
    first, second, third = summary.checkins
    shuffled = (first, second, dataclasses.replace(third, at=first.at))
    page = render("html", dataclasses.replace(summary, checkins=shuffled))
    assert "<svg" in page


def test_error_messages_reach_the_terminal_inert(capsys: pytest.CaptureFixture[str]) -> None:
    from osp_cli.cli.app import report_error

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
    from osp_cli.cli.app import report_error
    from osp_cli.errors import Interrupted

    report_error(Interrupted())
    err = capsys.readouterr().err
    assert err.startswith("Stopped. Everything you answered has been saved.")
    assert "osp:" not in err
