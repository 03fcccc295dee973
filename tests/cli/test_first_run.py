"""First run: 'osp' with no workbook creates one, then carries straight on to the menu."""

from __future__ import annotations

from pathlib import Path

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from typer.testing import CliRunner

from osp_cli.cli.app import app
from osp_cli.vault import format as fmt
from osp_cli.workbook import model, service

CODE = "ABCDE-FGHJK-MNPQR-STVWX-YZ012"
PASSPHRASE = "a calm river at dawn"


def test_first_run_creates_the_workbook_then_shows_the_menu(
    _osp_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fmt, "new_recovery_code", lambda: CODE)
    with create_pipe_input() as inp:
        # Confirm the recovery code's last group (typed in lower case), then pick "Quit",
        # the last item of the home menu.
        inp.send_text("yz012\r" + "\x1b[A\r")
        inp.close()
        with create_app_session(input=inp, output=DummyOutput()):
            result = CliRunner().invoke(app, ["--plain"], input=f"{PASSPHRASE}\n{PASSPHRASE}\n")
    assert result.exit_code == 0, result.output
    assert "Welcome to osp" in result.output
    assert CODE in result.output
    assert "Your workbook is ready." in result.output
    assert "Run 'osp' to start" not in result.output  # no second start needed
    assert "Goodbye for now. Everything is saved." in result.output
    assert "0808 1000 900" in result.output
    # The new workbook opens with the passphrase and with the recovery code.
    assert service.open_with_passphrase(PASSPHRASE).vault.payload["schema"] == model.SCHEMA
    assert service.open_with_recovery(CODE.lower()).vault.payload["schema"] == model.SCHEMA
