"""Commands that create, protect, copy and destroy the workbook file, plus support."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from osp_cli.cli import front
from osp_cli.errors import UserError
from osp_cli.ui import support as panel

if TYPE_CHECKING:
    from osp_cli.workbook.service import Workbook


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


def _new_passphrase() -> str:
    from osp_cli.ui.secret import passphrase_problem, read_secret

    for _ in range(3):
        first = read_secret("Choose a passphrase: ", load_meanwhile=("osp_cli.workbook.service",))
        problem = passphrase_problem(first)
        from osp_cli.ui.console import console

        if problem:
            console().print(f"That passphrase is too weak. {problem}", markup=False)
            continue
        second = read_secret("Type it again: ")
        if second != first:
            console().print("The two did not match. Let's try again.", markup=False)
            continue
        return first
    raise UserError("No passphrase was set.", hint="Run the command again when you are ready.")


def _show_recovery_code(code: str) -> None:
    """Show a new recovery code once, on a screen of its own, and in a terminal check
    he has written it down: the screen is cleared before the check, so the code is
    not on show while he types part of it back (or afterwards)."""
    from osp_cli.cli.common import has_terminal
    from osp_cli.ui import prompts
    from osp_cli.ui.console import clear_screen, console
    from osp_cli.vault.format import normalise_recovery_code

    out = console()
    terminal = has_terminal()
    _code_alone(code, wait=terminal)
    if not terminal:
        return
    last_group = code.split("-")[-1]
    for attempt in range(3):
        typed = prompts.ask_line("To check you have it, type the last group of five characters:")
        if normalise_recovery_code(("0" * 20) + typed).endswith(last_group):
            return
        if attempt < 2:
            out.print("That does not match. Please look again at your written copy.", markup=False)
    out.print(
        "That still does not match. Your workbook is ready, but please make sure you "
        "have written the code down correctly. Here it is once more.",
        markup=False,
    )
    prompts.pause("Press Enter to see it.")
    _code_alone(code, wait=True)
    clear_screen(always=True)


def _code_alone(code: str, *, wait: bool) -> None:
    """The recovery code and what it is for, alone on a clear screen; with ``wait``,
    Enter once it is written down clears it again."""
    from osp_cli import messages
    from osp_cli.ui import prompts
    from osp_cli.ui.console import clear_screen, console

    out = console()
    if wait:
        clear_screen(always=True)
    out.print("\nYour recovery code:\n", style="bold", markup=False)
    out.print(f"    {code}\n", style="bold cyan", markup=False)
    out.print(messages.RECOVERY_EXPLAINED + "\n", markup=False)
    if wait:
        prompts.pause("Press Enter once you have written it down (the screen will be cleared).")
        clear_screen(always=True)


def _rekey(workbook: Workbook, new: str) -> None:
    """A new data key, passphrase and recovery code; say what old copies still open."""
    from osp_cli import messages
    from osp_cli.ui.console import console

    console().print("Re-encrypting your workbook and its backups...", markup=False)
    from osp_cli.cli.common import has_terminal
    from osp_cli.ui.console import clear_screen

    code = workbook.vault.change_passphrase(new)
    _show_recovery_code(code)
    del code
    if has_terminal():
        clear_screen()  # the code does not stay on screen
    console().print(messages.OLD_COPIES, markup=False)


def run_init() -> Workbook:
    """Create a workbook interactively (used by 'osp init' and the first-run home screen).

    Returns the new, unlocked workbook so the home screen can carry straight on."""
    from osp_cli import messages, paths
    from osp_cli.cli.common import require_terminal
    from osp_cli.ui.lines import say
    from osp_cli.vault.layout import workbook_exists

    require_terminal("Creating a workbook")
    if workbook_exists(paths.workbook_path()):
        raise UserError(
            "A workbook already exists on this computer.",
            hint="Run 'osp' to open it. To start again, 'osp erase' destroys it first.",
        )
    # Written without Rich, which loads (with the rest) while the passphrase is typed.
    say("Let's set up your private workbook.\n", "bold")
    say(messages.CONFIDENTIALITY + "\n")
    say(
        "First, choose a passphrase. You will type it each time you open osp. "
        "Nothing shows on screen while you type."
    )
    passphrase = _new_passphrase()
    from osp_cli.ui.console import console
    from osp_cli.workbook import service

    console().print("Creating your workbook (this takes a moment)...", markup=False)
    workbook, code = service.create(passphrase)
    del passphrase
    _show_recovery_code(code)
    del code
    from osp_cli.ui.console import clear_screen

    clear_screen()
    console().print("Your workbook is ready.", style="bold green", markup=False)
    return workbook


def init() -> None:
    """Create your encrypted workbook: passphrase, recovery code, privacy notice.

    Example: osp init
    """
    run_init()
    from osp_cli.ui.console import console

    console().print("Run 'osp' to start.", markup=False)


def passphrase() -> None:
    """Change your passphrase. Your answers stay as they are.

    Your workbook and its backups are locked again with a new key, and you get a new
    recovery code (the old one stops working).

    Example: osp passphrase
    """
    from osp_cli.cli.common import unlock
    from osp_cli.ui.console import console

    workbook = unlock()
    new = _new_passphrase()
    _rekey(workbook, new)
    del new
    console().print("Your passphrase has been changed.", style="green", markup=False)


def recover() -> None:
    """Use your recovery code to set a new passphrase. You then get a new recovery code.

    Example: osp recover
    """
    from osp_cli import paths
    from osp_cli.errors import WorkbookMissing
    from osp_cli.ui.secret import read_secret
    from osp_cli.vault.layout import workbook_exists

    if not workbook_exists(paths.workbook_path()):
        raise WorkbookMissing()
    code = read_secret("Recovery code: ", load_meanwhile=("osp_cli.workbook.service",))
    from osp_cli.ui.console import console
    from osp_cli.workbook import service

    workbook = service.open_with_recovery(code)
    del code
    console().print("That recovery code is right. Now choose a new passphrase.", markup=False)
    new = _new_passphrase()
    _rekey(workbook, new)
    del new
    console().print(
        "Your new passphrase is set. Your old recovery code no longer opens this workbook.",
        style="green",
        markup=False,
    )


def backup(
    path: Path = typer.Argument(..., help="File or folder to copy the encrypted workbook to."),
) -> None:
    """Copy your workbook somewhere else. The copy stays encrypted.

    Example: osp backup /media/usb/
    """
    from osp_cli import paths
    from osp_cli.ui.lines import say
    from osp_cli.ui.safe import path_text

    workbook = paths.workbook_path()
    if not workbook.exists():
        from osp_cli.errors import WorkbookMissing

        raise WorkbookMissing()
    # Said first: writing to a USB stick and waiting for it to finish can take a while.
    say(f"Copying your encrypted workbook to {path_text(path)}...")
    from osp_cli.vault.store import copy_out

    copy_out(workbook, path)
    say("Encrypted copy saved. It still needs your passphrase to open.")


def restore(
    path: Path = typer.Argument(..., help="An encrypted copy made with 'osp backup'."),
) -> None:
    """Bring back an encrypted copy made with 'osp backup'. Replaces the current workbook.

    Example: osp restore /media/usb/osp-backup-2026-11-21.osp
    """
    from osp_cli import paths
    from osp_cli.ui.console import console
    from osp_cli.ui.secret import read_secret
    from osp_cli.vault.store import check_backup_file, restore_from
    from osp_cli.workbook import service

    if not path.is_file():
        raise UserError(f"There is no file at {path}.")
    check_backup_file(path)
    paths.ensure_home()
    secret = read_secret("Passphrase for that copy: ", load_meanwhile=("osp_cli.workbook.service",))
    restore_from(path, service.workbook_file(), secret)
    console().print(
        "Restored. The workbook you had before is kept as a backup inside osp's folder.",
        markup=False,
    )


def erase() -> None:
    """Destroy your workbook for good, after you type a confirmation.

    Example: osp erase
    """
    from osp_cli import paths
    from osp_cli.cli.common import require_terminal
    from osp_cli.ui.lines import say
    from osp_cli.vault.layout import workbook_exists

    if not workbook_exists(paths.workbook_path()):
        from osp_cli.errors import WorkbookMissing

        raise WorkbookMissing()
    require_terminal("Erasing the workbook")
    say(
        "This destroys your workbook and its backups on this computer. "
        "It cannot be undone, even with the recovery code. Encrypted copies you made "
        "with 'osp backup' are not touched."
    )
    from osp_cli.ui import prompts
    from osp_cli.ui.console import console
    from osp_cli.vault.store import erase as erase_files
    from osp_cli.workbook import service

    out = console()
    typed = prompts.ask_line("To go ahead, type the word ERASE:")
    if typed.strip() != "ERASE":
        out.print("Nothing was erased.", markup=False)
        return
    erase_files(service.workbook_file())
    out.print("Your workbook has been erased.", markup=False)


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(support)
    app.command()(passphrase)
    app.command()(recover)
    app.command()(backup)
    app.command()(restore)
    app.command()(erase)
