"""A new recovery code: showing it once, and the re-keying that makes one (shared by
osp init, osp passphrase and osp recover)."""

from __future__ import annotations

from osp_cli import messages
from osp_cli.cli.front import has_terminal
from osp_cli.ui import prompts
from osp_cli.ui.console import clear_screen, console
from osp_cli.vault.format import normalise_recovery_code
from osp_cli.workbook.service import Workbook


def show(code: str) -> None:
    """Show a new recovery code once, on a screen of its own, and in a terminal check
    he has written it down: the screen is cleared before the check, so the code is
    not on show while he types part of it back (or afterwards)."""
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
    out = console()
    if wait:
        clear_screen(always=True)
    out.print("\nYour recovery code:\n", style="bold", markup=False)
    out.print(f"    {code}\n", style="bold cyan", markup=False)
    out.print(messages.RECOVERY_EXPLAINED + "\n", markup=False)
    if wait:
        prompts.pause("Press Enter once you have written it down (the screen will be cleared).")
        clear_screen(always=True)


def rekey(workbook: Workbook, new: str) -> None:
    """A new data key, passphrase and recovery code; say what old copies still open."""
    console().print("Re-encrypting your workbook and its backups...", markup=False)
    code = workbook.vault.change_passphrase(new)
    show(code)
    del code
    if has_terminal():
        clear_screen()  # the code does not stay on screen
    console().print(messages.OLD_COPIES, markup=False)
