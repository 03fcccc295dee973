"""``osp exercises``: tools for exercise authors (practitioners writing their own)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from osp_cli.exercises.model import Exercise

exercises_app = typer.Typer(
    help="Tools for writing your own exercises.\n\nExample: osp exercises validate my-exercises/",
    no_args_is_help=True,
    add_completion=False,
)


@exercises_app.callback()
def exercises() -> None:
    """Tools for writing your own exercises (see docs/exercise-format.md)."""


def _plain(text: str) -> str:
    """Problem lines quote the author's text: show it through the safe-text path."""
    from osp_cli.ui.safe import clean

    return clean(text, multiline=False)


def _count(n: int) -> str:
    return f"{n} exercise" if n == 1 else f"{n} exercises"


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
    from osp_cli.errors import ExerciseError
    from osp_cli.exercises.loader import duplicate_id_problems, load_paths

    failed = False
    loaded: dict[Path, Exercise] = {}  # by file, so a file given twice is not a duplicate
    for path in paths:
        try:
            exercises = load_paths([path])
        except ExerciseError as error:
            failed = True
            for problem in error.problems:
                typer.echo(_plain(problem))
            continue
        if not exercises:
            failed = True
            typer.echo(_plain(f"{path}: no exercise files (*.toml) found"))
            continue
        for exercise in exercises:
            loaded.setdefault(Path(exercise.source).resolve(), exercise)
        typer.echo(_plain(f"ok  {path} ({_count(len(exercises))})"))
    for problem in duplicate_id_problems(loaded.values()):
        failed = True
        typer.echo(_plain(problem))
    if failed:
        raise typer.Exit(1)
