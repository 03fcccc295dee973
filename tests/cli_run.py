"""Running osp's commands in-process for tests: its own OSP_HOME, keys typed through
prompt_toolkit's pipe input, passphrases as the first lines of standard input."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from typer.testing import CliRunner, Result

from osp_cli.cli.app import app

PRAC = "practitioner secret phrase"
PART = "correct horse battery staple"


@contextmanager
def home(path: Path) -> Iterator[None]:
    """OSP_HOME points at ``path`` for the block (the practitioner's or another home)."""
    before = os.environ.get("OSP_HOME")
    os.environ["OSP_HOME"] = str(path)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("OSP_HOME", None)
        else:
            os.environ["OSP_HOME"] = before


def run(args: Sequence[str], stdin: str = "", keys: Sequence[str] = ()) -> Result:
    """``osp ARGS`` with ``keys`` typed into its prompts (then the input closes)."""
    from osp_cli.ui.console import reset_console

    reset_console()
    with create_pipe_input() as inp:
        inp.send_text("".join(keys))
        inp.close()
        with create_app_session(input=inp, output=DummyOutput()):
            return CliRunner().invoke(app, list(args), input=stdin)


def flat(result: Result) -> str:
    """The output with line wrapping undone (Rich wraps at the terminal width)."""
    return " ".join(result.output.split())


def practitioner(tmp: Path, args: Sequence[str], stdin: str = PRAC + "\n") -> Result:
    """``osp practitioner ARGS`` with the practitioner's home under ``tmp``."""
    with home(tmp / "prac"):
        return run(["practitioner", *args], stdin=stdin)
