"""osp exercises validate: check exercise files and folders, one line per problem."""

from __future__ import annotations

from pathlib import Path

import typer

from osp_cli.errors import ExerciseError
from osp_cli.exercises.loader import duplicate_id_problems, load_paths
from osp_cli.exercises.model import Exercise
from osp_cli.ui.safe import clean


def plain(text: str) -> str:
    """Problem lines quote the author's text: show it through the safe-text path."""
    return clean(text, multiline=False)


def count(n: int) -> str:
    return f"{n} exercise" if n == 1 else f"{n} exercises"


def run(*, paths: list[Path]) -> None:
    """'ok' for each valid file or folder, a line per problem; exit 1 if any."""
    failed = False
    loaded: dict[Path, Exercise] = {}  # by file, so a file given twice is not a duplicate
    for path in paths:
        try:
            exercises = load_paths([path])
        except ExerciseError as error:
            failed = True
            for problem in error.problems:
                typer.echo(plain(problem))
            continue
        if not exercises:
            failed = True
            typer.echo(plain(f"{path}: no exercise files (*.toml) found"))
            continue
        for exercise in exercises:
            loaded.setdefault(Path(exercise.source).resolve(), exercise)
        typer.echo(plain(f"ok  {path} ({count(len(exercises))})"))
    for problem in duplicate_id_problems(loaded.values()):
        failed = True
        typer.echo(plain(problem))
    if failed:
        raise typer.Exit(1)
