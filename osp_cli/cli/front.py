"""The front of every command: what runs before the command's own module is loaded.

A command is in two parts:

- its **front**, in the Typer modules of this package (workbook_cmds.py and the others):
  the options and help, and the few light steps before the first prompt or line (check
  the options, check the workbook exists, ask for the passphrase);
- its **body**, one module per command in ``osp_cli/commands/``, with all its imports at
  the top and a ``run`` function.

The front loads the body with :func:`command`, or lets :func:`unlocked` and
:func:`with_secret` load it in the background while the passphrase is typed. So a command
costs Typer plus its front before its first prompt, and what it needs after that has
loaded by the time the key is derived (docs/performance.md, start-up).

This module is the one place the fronts load code (``module``); everything it imports
at its top is light.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from osp_cli import paths
from osp_cli.errors import NoTerminal, WorkbookMissing, WrongPassphrase
from osp_cli.exchange.files import check_outputs
from osp_cli.ui.lines import say
from osp_cli.ui.secret import read_secret, stdin_is_terminal
from osp_cli.vault.layout import workbook_exists

if TYPE_CHECKING:
    from osp_cli.workbook.service import Workbook

#: Where the command bodies are: ``osp_cli.commands.<name>``.
BODIES = "osp_cli.commands"
#: What unlocking a workbook needs, loaded with the command's body.
SERVICE = "osp_cli.workbook.service"
PASSPHRASE_TRIES = 3


def module(name: str) -> Any:
    """The module ``name``, imported now if it is not yet."""
    return importlib.import_module(name)


def body_name(name: str) -> str:
    """The module of command ``name`` ("do", "practitioner.open")."""
    return f"{BODIES}.{name}"


def command(name: str) -> Any:
    """The body of command ``name``, imported now."""
    return module(body_name(name))


def has_terminal() -> bool:
    """True when we can ask questions: a real terminal, or an input injected by tests."""
    if stdin_is_terminal():
        return True
    # create_app_session(input=...) (as the in-process tests do) sets an explicit input.
    session = module("prompt_toolkit.application.current").get_app_session()
    return getattr(session, "_input", None) is not None


def require_terminal(what: str = "This command") -> None:
    if not has_terminal():
        raise NoTerminal(what)


def with_secret(name: str, prompt: str, *, also: Sequence[str] = ()) -> tuple[Any, str]:
    """Ask for a secret (hidden) while the body of ``name`` (and ``also``) loads; return
    the body and the secret. The caller deletes the secret once it is used."""
    secret = read_secret(prompt, load_meanwhile=(body_name(name), *also))
    return command(name), secret


def unlocked(name: str, *, needs_terminal: str | None = None) -> tuple[Any, Workbook]:
    """Open the workbook for command ``name`` (see :func:`open_workbook`) while the
    command's body loads. Returns the body and the open workbook."""
    if needs_terminal:
        require_terminal(needs_terminal)
    workbook = open_workbook(load=(body_name(name),))
    return command(name), workbook


def open_workbook(load: Sequence[str] = ()) -> Workbook:
    """Ask for the passphrase (three tries in a terminal) while ``load`` and the workbook
    code load, open the workbook, and say so if a backup copy was used."""
    if not workbook_exists(paths.workbook_path()):
        raise WorkbookMissing()
    tries = PASSPHRASE_TRIES if stdin_is_terminal() else 1
    for attempt in range(1, tries + 1):
        passphrase = read_secret("Passphrase: ", load_meanwhile=(*load, SERVICE))
        try:
            workbook: Workbook = module(SERVICE).open_with_passphrase(passphrase)
            break
        except WrongPassphrase as error:
            if attempt == tries:
                raise WrongPassphrase(
                    error.message,
                    hint="Nothing has been changed. Forgotten it? "
                    "'osp recover' uses your recovery code to set a new one.",
                ) from None
            say("That did not unlock it. Please try again.")
        finally:
            del passphrase
    if workbook.vault.restored_from_backup is not None:
        say(
            "Your workbook file was damaged, so osp opened the most recent backup copy "
            "instead. Your most recent answers may be missing; please check them with "
            "'osp review'.",
            "yellow",
        )
    return workbook


def guard_outputs(
    outputs: Sequence[Path | None], inputs: Sequence[Path] = (), *, force: bool = False
) -> None:
    """Before anything is read or asked: no output replaces an input, a key file or the
    workbook; another existing file is replaced only after asking (in a terminal) or
    with --force."""
    wanted = [p for p in outputs if p is not None]
    if not wanted:
        return

    def ask(question: str) -> bool:
        return bool(module("osp_cli.ui.prompts").confirm(question, default=False))

    check_outputs(wanted, list(inputs), force=force, ask=ask if has_terminal() else None)
