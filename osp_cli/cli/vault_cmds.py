"""The fronts of the commands that create, protect, copy and destroy the workbook file,
plus support: options, help and the light first steps; each body is in
osp_cli/commands/ (see osp_cli/cli/front.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from osp_cli import paths
from osp_cli.cli import front, new_workbook
from osp_cli.errors import DamagedFile, UserError, WorkbookMissing
from osp_cli.ui import support as panel
from osp_cli.ui.lines import say
from osp_cli.ui.safe import path_text
from osp_cli.vault.layout import looks_like_workbook, workbook_exists


def support(
    more: bool = typer.Option(
        False, "--more", help="Go straight to the longer help: urges, privacy, the law."
    ),
) -> None:
    """Where to get help right now. Works without unlocking.

    The numbers come first, on one screen. In a terminal you can then choose to read
    more; when the output goes to a file or another program, everything is printed.

    Example: osp support
    """
    if more:
        panel.show_more()
        return
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        panel.show_everything()
        return
    panel.show_support(more_hint=panel.MORE_HINT)
    front.command("support").run()


def init() -> None:
    """Create your encrypted workbook: passphrase, recovery code, privacy notice.

    Example: osp init
    """
    passphrase = new_workbook.first_steps()
    try:
        front.command("init").run(passphrase=passphrase)
    finally:
        del passphrase


def passphrase() -> None:
    """Change your passphrase. Your answers stay as they are.

    Your workbook and its backups are locked again with a new key, and you get a new
    recovery code (the old one stops working).

    Example: osp passphrase
    """
    body, workbook = front.unlocked("passphrase")
    body.run(workbook)


def recover() -> None:
    """Use your recovery code to set a new passphrase. You then get a new recovery code.

    Example: osp recover
    """
    if not workbook_exists(paths.workbook_path()):
        raise WorkbookMissing()
    body, code = front.with_secret("recover", "Recovery code: ", also=(front.SERVICE,))
    try:
        body.run(code=code)
    finally:
        del code


def backup(
    path: Path = typer.Argument(..., help="File or folder to copy the encrypted workbook to."),
) -> None:
    """Copy your workbook somewhere else. The copy stays encrypted.

    Example: osp backup /media/usb/
    """
    workbook = paths.workbook_path()
    if not workbook.exists():
        raise WorkbookMissing()
    # Said first: writing to a USB stick and waiting for it to finish can take a while.
    say(f"Copying your encrypted workbook to {path_text(path)}...")
    front.command("backup").run(workbook=workbook, path=path)


def restore(
    path: Path = typer.Argument(..., help="An encrypted copy made with 'osp backup'."),
) -> None:
    """Bring back an encrypted copy made with 'osp backup'. Replaces the current workbook.

    Example: osp restore /media/usb/osp-backup-2026-11-21.osp
    """
    if not path.is_file():
        raise UserError(f"There is no file at {path}.")
    # A quick look at its first bytes now; the whole copy is checked once the
    # passphrase has been typed (the check needs the vault code), before anything
    # is written.
    if not looks_like_workbook(path):
        raise DamagedFile(
            "That file cannot be used: it is not an osp workbook, or it has been cut short.",
            hint="Nothing has been changed. Check you chose a copy made with 'osp backup'.",
        )
    body, secret = front.with_secret("restore", "Passphrase for that copy: ")
    try:
        body.run(path=path, secret=secret)
    finally:
        del secret


def erase() -> None:
    """Destroy your workbook for good, after you type a confirmation.

    Example: osp erase
    """
    if not workbook_exists(paths.workbook_path()):
        raise WorkbookMissing()
    front.require_terminal("Erasing the workbook")
    say(
        "This destroys your workbook and its backups on this computer. "
        "It cannot be undone, even with the recovery code. Encrypted copies you made "
        "with 'osp backup' are not touched."
    )
    front.command("erase").run()


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(support)
    app.command()(passphrase)
    app.command()(recover)
    app.command()(backup)
    app.command()(restore)
    app.command()(erase)
