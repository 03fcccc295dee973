"""``osp exercises``: tools for exercise authors (practitioners writing their own).

The fronts only (options and help); each body is in osp_cli/commands/exercises/ (see
osp_cli/cli/front.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from osp_cli.cli import front

exercises_app = typer.Typer(
    help="Tools for writing your own exercises.\n\nExample: osp exercises validate my-exercises/",
    no_args_is_help=True,
    add_completion=False,
)


@exercises_app.callback()
def exercises() -> None:
    """Tools for writing your own exercises (see docs/exercise-format.md)."""


@exercises_app.command()
def validate(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Exercise files (.toml) or folders (every .toml file in them).",
            metavar="PATH",
            show_default=False,
        ),
    ],
) -> None:
    """Check exercise files and list every problem in them.

    Prints 'ok' for each valid file or folder, and one line per problem naming the
    file, exercise, question and field. Exits with 1 if anything has a problem.

    \b
    Example:
        osp exercises validate my-exercises/ breathing.toml
    """
    front.command("exercises.validate").run(paths=paths)


@exercises_app.command()
def preview(
    target: Annotated[
        str,
        typer.Argument(
            help="A built-in exercise id or an exercise file (.toml).", metavar="FILE|ID"
        ),
    ],
) -> None:
    """Walk through an exercise exactly as a participant will see it. Nothing is saved.

    \b
    Example:
        osp exercises preview my-exercise.toml
        osp exercises preview life-timeline
    """
    front.command("exercises.preview").run(target=target)
