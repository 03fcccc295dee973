"""The ``osp`` command: global options, command registration and lazy loading (the error
boundary around each command is in boundary.py).

Commands are loaded lazily: ``osp --help`` lists them from ``command_index`` (generated,
and checked by tests/cli/test_help_snapshots.py) and ``osp do ...`` imports only the
module that defines ``do``. So start-up costs little more than importing Typer (SPEC
budget: 1.15 x; see docs/performance.md).
"""

from __future__ import annotations

import importlib
import inspect
import sys
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from osp_cli import __version__
from osp_cli.cli.command_index import COMMANDS
from osp_cli.errors import ExitCode

#: The error boundary and the global options' effect, loaded once a command runs.
BOUNDARY = "osp_cli.cli.boundary"

#: The modules that define commands, in the order their commands are listed.
COMMAND_MODULES = (
    "workbook_cmds",
    "vault_cmds",
    "exchange_cmds",
    "exercises_cmd",
    "practitioner_cmds",
)
_loaded: dict[str, dict[str, Any]] = {}
_CONTEXT: dict[str, Any] = {"help_option_names": ["-h", "--help"]}


def _attach(module_name: str, target: typer.Typer) -> None:
    """Register one module's commands on ``target`` (the only place that knows how)."""
    module: Any = importlib.import_module(f"osp_cli.cli.{module_name}")
    if module_name == "exercises_cmd":
        target.add_typer(module.exercises_app, name="exercises")
    elif module_name == "practitioner_cmds":
        target.add_typer(module.practitioner_app, name="practitioner")
    else:
        module.register(target)


def _command_name(info: Any) -> str:
    callback = info.callback
    return str(info.name or (typer.main.get_command_name(callback.__name__) if callback else ""))


def _convert(info: Any) -> Any:
    return typer.main.get_command_from_info(
        info, pretty_exceptions_short=True, rich_markup_mode=None
    )


class LazyGroup(TyperGroup):
    """``osp practitioner``: a group whose commands are converted one at a time, when one
    is run (converting its two dozen commands costs more start-up time than the command
    being run); its help lists them from their docstrings."""

    def __init__(self, name: str, app: typer.Typer) -> None:
        info = app.info
        super().__init__(
            name=name,
            commands={},
            help=info.help if isinstance(info.help, str) else None,
            no_args_is_help=bool(info.no_args_is_help),
            rich_markup_mode=None,
        )
        self._infos = {_command_name(one): one for one in app.registered_commands}

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self._infos)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in self._infos:
            self.commands[cmd_name] = _convert(self._infos[cmd_name])
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The command list from the docstrings, without converting the commands."""
        shown = [
            (name, info.help if isinstance(info.help, str) else inspect.getdoc(info.callback))
            for name, info in self._infos.items()
            if not info.hidden
        ]
        if not shown:
            return
        limit = formatter.width - 6 - max(len(name) for name, _text in shown)
        rows = [
            (
                name,
                TyperCommand(name, help=(text or "").split("\n\n")[0].strip()).get_short_help_str(
                    limit
                ),
            )
            for name, text in shown
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def module_commands(module_name: str) -> dict[str, Any]:
    """The click commands one module defines, by name (imported and converted once)."""
    if module_name == "practitioner_cmds" and module_name not in _loaded:
        module: Any = importlib.import_module("osp_cli.cli.practitioner_cmds")
        _loaded[module_name] = {"practitioner": LazyGroup("practitioner", module.practitioner_app)}
    if module_name not in _loaded:
        holder = typer.Typer(rich_markup_mode=None, add_completion=False, context_settings=_CONTEXT)
        _attach(module_name, holder)
        _loaded[module_name] = dict(typer.main.get_group(holder).commands)
    return _loaded[module_name]


def one_command(module_name: str, cmd_name: str) -> Any:
    """One command converted on its own: converting every command of its module costs
    start-up time that the command being run does not need. Groups (practitioner,
    exercises) come whole, from ``module_commands``."""
    if module_name in _loaded:
        return _loaded[module_name].get(cmd_name)
    holder = typer.Typer(rich_markup_mode=None, add_completion=False, context_settings=_CONTEXT)
    _attach(module_name, holder)
    for info in holder.registered_commands:
        if _command_name(info) == cmd_name:
            return _convert(info)
    return module_commands(module_name).get(cmd_name)


def all_commands() -> dict[str, Any]:
    found: dict[str, Any] = {}
    for module_name in COMMAND_MODULES:
        found.update(module_commands(module_name))
    return found


class OspGroup(TyperGroup):
    """The lazy loading of commands, and each command run inside the error boundary
    (boundary.py: domain errors become a message and their exit code)."""

    def list_commands(self, ctx: Any) -> list[str]:
        return [name for name, _module, _help in COMMANDS]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        for name, module_name, _help in COMMANDS:
            if name == cmd_name:
                return one_command(module_name, cmd_name)
        return all_commands().get(cmd_name)  # a command not yet in the index

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The command list from the index, without importing the command modules."""
        if not COMMANDS:
            return
        limit = formatter.width - 6 - max(len(name) for name, _m, _h in COMMANDS)
        rows = [
            (name, TyperCommand(name, help=text).get_short_help_str(limit))
            for name, _module, text in COMMANDS
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: Any) -> Any:
        # The error boundary is loaded here, when a command runs: 'osp --help' stops
        # before this and imports nothing but Typer and this package's CLI modules.
        run_command = super().invoke
        return importlib.import_module(BOUNDARY).run(lambda: run_command(ctx))


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
    context_settings=_CONTEXT,
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
    importlib.import_module(BOUNDARY).apply_options(plain=plain, keep_screen=keep_screen)
    if ctx.invoked_subcommand is None:
        importlib.import_module("osp_cli.cli.workbook_cmds").home()


def main() -> None:
    """Console-script entry point."""
    if sys.argv[1:] == ["--version"]:
        # The same answer as the eager --version option, without building the command
        # tree first (see docs/performance.md, start-up).
        sys.stdout.write(f"osp {__version__}\n")
        return
    if sys.platform == "win32":  # redirected output in the ANSI code page (see platform.py)
        importlib.import_module("osp_cli.platform").prepare_streams()
    try:
        app()
    except KeyboardInterrupt:  # pressed outside any command (during start-up)
        sys.exit(int(ExitCode.INTERRUPTED))
