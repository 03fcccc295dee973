"""Small helpers shared by commands: unlocking, terminal checks, confirmations."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from osp_cli.errors import NoTerminal, WorkbookMissing, WrongPassphrase

PASSPHRASE_TRIES = 3

if TYPE_CHECKING:
    from osp_cli.workbook.service import Workbook


def has_terminal() -> bool:
    """True when we can ask questions: a real terminal, or an input injected by tests."""
    from osp_cli.ui.secret import stdin_is_terminal

    if stdin_is_terminal():
        return True
    from prompt_toolkit.application.current import get_app_session

    # create_app_session(input=...) (as the in-process tests do) sets an explicit input.
    return getattr(get_app_session(), "_input", None) is not None


def require_terminal(what: str = "This command") -> None:
    if not has_terminal():
        raise NoTerminal(what)


def unlock() -> Workbook:
    """Ask for the passphrase and open the workbook (says so if a backup was used)."""
    from osp_cli import paths
    from osp_cli.ui.secret import read_secret, stdin_is_terminal
    from osp_cli.vault.layout import workbook_exists

    # Nothing heavy is loaded before the prompt: the workbook model, the screens' libraries
    # and cryptography load in the background once the prompt is on screen.
    if not workbook_exists(paths.workbook_path()):
        raise WorkbookMissing()
    tries = PASSPHRASE_TRIES if stdin_is_terminal() else 1
    for attempt in range(1, tries + 1):
        passphrase = read_secret("Passphrase: ", load_meanwhile=True)
        from osp_cli.workbook import service

        try:
            workbook = service.open_with_passphrase(passphrase)
            break
        except WrongPassphrase as error:
            if attempt == tries:
                raise WrongPassphrase(
                    error.message,
                    hint="Nothing has been changed. Forgotten it? "
                    "'osp recover' uses your recovery code to set a new one.",
                ) from None
            from osp_cli.ui.console import console

            console().print("That did not unlock it. Please try again.", markup=False)
        finally:
            del passphrase
    restored = workbook.vault.restored_from_backup
    if restored is not None:
        from osp_cli.ui.console import console

        console().print(
            "Your workbook file was damaged, so osp opened the most recent backup copy "
            "instead. Your most recent answers may be missing; please check them with "
            "'osp review'.",
            style="yellow",
            markup=False,
        )
    return workbook


def guard_outputs(
    outputs: list[Path | None], inputs: list[Path] | None = None, *, force: bool = False
) -> None:
    """Before anything is read or asked: no output replaces an input, a key file or the
    workbook; another existing file is replaced only after asking (in a terminal) or
    with --force."""
    if all(p is None for p in outputs):
        return  # nothing will be written (and nothing needs loading to say so)
    from osp_cli.exchange.files import check_outputs

    def ask(question: str) -> bool:
        from osp_cli.ui import prompts

        return prompts.confirm(question, default=False)

    check_outputs(
        [p for p in outputs if p is not None],
        list(inputs or []),
        force=force,
        ask=ask if has_terminal() else None,
    )


@contextmanager
def on_screen() -> Iterator[None]:
    """Clear the screen on the way out, whatever happens; Ctrl-C becomes a calm exit 130."""
    from osp_cli.errors import Interrupted
    from osp_cli.ui.console import clear_screen

    try:
        yield
    except (KeyboardInterrupt, EOFError):
        clear_screen()
        raise Interrupted() from None
    except BaseException:
        clear_screen()
        raise
    clear_screen()
