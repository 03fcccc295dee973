"""The single error boundary around every command, and the global options' effect.

Loaded by ``osp_cli.cli.app`` only when a command runs (``osp --help`` and
``osp --version`` never get here): domain errors become a calm message and their exit
code, Ctrl-C and SIGTERM/SIGHUP a calm stop, and the saves a command made are folded into
the workbook file at its end.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from typing import Any

import typer

from osp_cli.errors import ExitCode, Interrupted, OspError
from osp_cli.platform import limit_core_files, stop_on_signals, was_signalled
from osp_cli.ui.console import SETTINGS, clear_screen, reset_console, wrap
from osp_cli.ui.safe import clean


def report_error(error: OspError) -> None:
    """Print a user-facing error. Messages are fixed wording, never answers or secrets;
    they still go through the safe-text path, as some quote ids or file names."""
    # Stopping is not a failure: say so calmly, without the "osp:" error prefix.
    prefix = "" if isinstance(error, Interrupted) else "osp: "
    typer.echo(wrap(f"{prefix}{clean(error.message)}", stream=sys.stderr), err=True)
    if error.hint:
        typer.echo(wrap(clean(error.hint), stream=sys.stderr), err=True)


def apply_options(*, plain: bool, keep_screen: bool) -> None:
    SETTINGS.plain = plain
    SETTINGS.keep_screen = keep_screen
    reset_console()


def _clear() -> None:
    with contextlib.suppress(OSError, ValueError):  # after SIGHUP the terminal may be gone
        clear_screen()


def run(command: Callable[[], Any]) -> Any:
    """Run one command inside the boundary."""
    limit_core_files()  # no core file from any command (the rest: before a secret)
    stop_on_signals()  # SIGTERM, SIGHUP: the same calm way out as Ctrl-C
    try:
        return command()
    except OspError as error:
        if was_signalled():
            _clear()
        report_error(error)
        raise typer.Exit(int(error.exit_code)) from None
    except KeyboardInterrupt:
        _clear()  # answers may be on screen (a command outside on_screen, a signal)
        typer.echo("\nStopped. Nothing you had already saved has been lost.", err=True)
        raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
    finally:
        # Saves made by this command went to the journal: fold them into the workbook
        # file now (docs/vault-format.md). Looked up, not imported: a command that never
        # opened a workbook does not load the vault.
        vault_store = sys.modules.get("osp_cli.vault.store")
        if vault_store is not None:
            vault_store.fold_pending()
