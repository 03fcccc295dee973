"""osp init (and the first run of osp): create the workbook with the passphrase the
front has had chosen (osp_cli/cli/new_workbook.py), and show the recovery code once."""

from __future__ import annotations

from osp_cli.commands import recovery_code
from osp_cli.ui.console import clear_screen, console
from osp_cli.workbook import service
from osp_cli.workbook.service import Workbook


def run_init(*, passphrase: str) -> Workbook:
    """Create the workbook (for 'osp init' and the first-run home screen, after
    ``new_workbook.first_steps``). Returns it unlocked, so the home screen can carry on."""
    console().print("Creating your workbook (this takes a moment)...", markup=False)
    workbook, code = service.create(passphrase)
    del passphrase
    recovery_code.show(code)
    del code
    clear_screen()
    console().print("Your workbook is ready.", style="bold green", markup=False)
    return workbook


def run(*, passphrase: str) -> None:
    run_init(passphrase=passphrase)
    del passphrase
    console().print("Run 'osp' to start.", markup=False)
