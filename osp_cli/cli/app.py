"""The ``osp`` command: global options, command registration and the one error boundary."""

from __future__ import annotations

import sys
from typing import Any

import typer
from typer.core import TyperGroup

from osp_cli import __version__
from osp_cli.errors import ExitCode, OspError


def report_error(error: OspError) -> None:
    """Print a user-facing error. Messages are fixed wording: never answers or secrets."""
    typer.echo(f"osp: {error.message}", err=True)
    if error.hint:
        typer.echo(error.hint, err=True)


class OspGroup(TyperGroup):
    """The single error boundary: domain errors become a message and their exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except OspError as error:
            report_error(error)
            raise typer.Exit(int(error.exit_code)) from None
        except KeyboardInterrupt:
            typer.echo("\nStopped. Nothing you had already saved has been lost.", err=True)
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None


app = typer.Typer(
    name="osp",
    cls=OspGroup,
    help=(
        "osp: your private workbook for the personal work between sessions.\n\n"
        "Run 'osp' on its own for the home screen. Help now: 'osp support'."
    ),
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    add_completion=False,
    invoke_without_command=True,
    no_args_is_help=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"osp {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    plain: bool = typer.Option(
        False, "--plain", help="No colour or box drawing; reads well with a screen reader."
    ),
    keep_screen: bool = typer.Option(
        False, "--keep-screen", help="Do not clear the screen when osp finishes."
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Your private workbook. Example: osp   (opens the home screen)"""
    from osp_cli.ui.console import SETTINGS, reset_console

    SETTINGS.plain = plain
    SETTINGS.keep_screen = keep_screen
    reset_console()
    if ctx.invoked_subcommand is None:
        from osp_cli.cli.workbook_cmds import home

        home()


def _register() -> None:
    from osp_cli.cli import (
        exchange_cmds,
        exercises_cmd,
        practitioner_cmds,
        vault_cmds,
        workbook_cmds,
    )

    workbook_cmds.register(app)
    vault_cmds.register(app)
    exchange_cmds.register(app)
    app.add_typer(exercises_cmd.exercises_app, name="exercises")
    app.add_typer(practitioner_cmds.practitioner_app, name="practitioner")


_register()


def main() -> None:
    """Console-script entry point."""
    if sys.argv[1:] == ["--version"]:
        # The same answer as the eager --version option, without building the command
        # tree first (see docs/performance.md, start-up).
        sys.stdout.write(f"osp {__version__}\n")
        return
    try:
        app()
    except KeyboardInterrupt:  # pressed outside any command (during start-up)
        sys.exit(int(ExitCode.INTERRUPTED))
