"""Snapshots of ``osp --help`` and every subcommand's ``--help``, and a lean start-up path.

The snapshots live in ``tests/data/help/<command path joined by '-'>.txt``. After an
intended change to commands or their help, regenerate them with::

    OSP_UPDATE_SNAPSHOTS=1 pytest tests/cli/test_help_snapshots.py

and review the diff like any other change.
"""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from osp_cli.cli.app import app

HELP_DIR = Path(__file__).resolve().parents[1] / "data" / "help"
UPDATE = os.environ.get("OSP_UPDATE_SNAPSHOTS", "") not in ("", "0")
REGENERATE = "OSP_UPDATE_SNAPSHOTS=1 pytest tests/cli/test_help_snapshots.py"
WIDTH = 100
runner = CliRunner()


def _walk(
    command: Any, path: tuple[str, ...], parent: Any = None
) -> Iterator[tuple[tuple[str, ...], bool]]:
    """Every command path, asking each group for its commands as click does (the root
    group loads its commands lazily, so its ``commands`` mapping is empty)."""
    name = path[-1] if path else "osp"
    ctx = command.make_context(name, [], parent=parent, resilient_parsing=True)
    names = command.list_commands(ctx) if hasattr(command, "list_commands") else []
    yield path, not names
    for sub_name in names:
        sub = command.get_command(ctx, sub_name)
        if sub is not None and not sub.hidden:
            yield from _walk(sub, (*path, sub_name), ctx)


COMMANDS = list(_walk(typer.main.get_command(app), ()))


def snapshot_file(path: tuple[str, ...]) -> Path:
    return HELP_DIR / ("-".join(("osp", *path)) + ".txt")


def render_help(path: tuple[str, ...]) -> str:
    result = runner.invoke(
        app, [*path, "--help"], terminal_width=WIDTH, env={"COLUMNS": str(WIDTH), "NO_COLOR": "1"}
    )
    assert result.exit_code == 0, result.output
    return "\n".join(line.rstrip() for line in result.output.splitlines()) + "\n"


@pytest.mark.parametrize(
    ("path", "leaf"), COMMANDS, ids=[" ".join(("osp", *p)) for p, _ in COMMANDS]
)
def test_help_matches_snapshot(path: tuple[str, ...], leaf: bool) -> None:
    shown = render_help(path)
    if leaf:  # the spec: every command's --help has an example
        assert "Example" in shown, f"'osp {' '.join(path)} --help' has no example"
    target = snapshot_file(path)
    if UPDATE:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(shown, encoding="utf-8")
        return
    if not target.exists():
        pytest.fail(f"No help snapshot for 'osp {' '.join(path)}'. Create it with: {REGENERATE}")
    expected = target.read_text(encoding="utf-8")
    if shown != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                shown.splitlines(keepends=True),
                fromfile=str(target.relative_to(HELP_DIR.parents[2])),
                tofile="now",
            )
        )
        pytest.fail(
            f"'osp {' '.join(path)} --help' changed. If that is intended, regenerate the "
            f"snapshots with:\n    {REGENERATE}\nand review the diff.\n\n{diff}"
        )


def test_no_snapshot_is_left_for_a_command_that_is_gone() -> None:
    wanted = {snapshot_file(path).name for path, _ in COMMANDS}
    stale = sorted(p.name for p in HELP_DIR.glob("*.txt") if p.name not in wanted)
    if stale and UPDATE:
        for name in stale:
            (HELP_DIR / name).unlink()
        return
    assert not stale, f"Snapshots for commands that no longer exist: {stale}. Run: {REGENERATE}"


def test_command_index_is_current() -> None:
    """'osp --help' lists commands from osp_cli/cli/command_index.py (so that start-up
    does not import every command module); it must match the commands as they are."""
    from osp_cli.cli import command_index, index

    index_file = Path(command_index.__file__)
    if UPDATE:
        index_file.write_text(index.index_source(), encoding="utf-8")
        return
    current = [tuple(entry) for entry in command_index.COMMANDS]
    assert current == index.index_entries(), (
        "A command was added, removed or re-described: regenerate the command index and "
        f"the help snapshots with:\n    {REGENERATE}"
    )
    assert index_file.read_text(encoding="utf-8") == index.index_source(), (
        f"osp_cli/cli/command_index.py was edited by hand. Regenerate it with: {REGENERATE}"
    )


def test_every_command_is_reachable_by_name() -> None:
    from osp_cli.cli import app as app_module

    root = typer.main.get_command(app)
    ctx = root.make_context("osp", [], resilient_parsing=True)
    listed = set(root.list_commands(ctx))  # type: ignore[attr-defined]
    assert listed == set(app_module.all_commands())
    assert root.get_command(ctx, "no-such-command") is None  # type: ignore[attr-defined]


# --- start-up stays lean --------------------------------------------------------------------

_PROBE = """
import sys
sys.argv = ["osp", *sys.argv[1:]]
from osp_cli.cli.app import main
try:
    main()
except SystemExit:
    pass
sys.stdout.flush()
print("\\nMODULES", " ".join(sorted(sys.modules)))
"""

_BASELINE = """
import sys
import typer
print(" ".join(sorted(sys.modules)))
"""

FORBIDDEN = ("questionary", "rich", "cryptography", "prompt_toolkit", "platformdirs", "tomllib")
#: The command modules: 'osp --help' and 'osp --version' list commands from the index.
LAZY = (
    "workbook_cmds",
    "vault_cmds",
    "exchange_cmds",
    "exercises_cmd",
    "practitioner_cmds",
    "boundary",
)


def _modules(code: str, *args: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env={**os.environ, "NO_COLOR": "1"},
    ).stdout
    return set(out.rsplit("MODULES", 1)[-1].split())


@pytest.fixture(scope="module")
def typer_modules() -> set[str]:
    return _modules(_BASELINE)


@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_help_and_version_import_nothing_heavy(flag: str, typer_modules: set[str]) -> None:
    loaded = _modules(_PROBE, flag)
    for heavy in FORBIDDEN:
        assert not any(m == heavy or m.startswith(heavy + ".") for m in loaded), (
            f"'osp {flag}' imports {heavy}"
        )

    def allowed(name: str) -> bool:
        top = name.split(".")[0]
        return (
            name in typer_modules
            or top in sys.stdlib_module_names
            or top in ("typer", "click")
            or name in ("osp_cli", "osp_cli.errors", "osp_cli.cli")
            or name.startswith("osp_cli.cli.")
        )

    for module in LAZY:
        assert f"osp_cli.cli.{module}" not in loaded, f"'osp {flag}' imports {module}"
    extra = sorted(m for m in loaded if not allowed(m))
    assert not extra, f"'osp {flag}' imports modules beyond Typer and osp's CLI: {extra}"
