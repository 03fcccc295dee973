"""``osp exercises``: tools for exercise authors (practitioners writing their own)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from osp_cli.exercises.model import Exercise
    from osp_cli.workbook import model

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


class _Scratch:
    """A workbook that lives only in memory: the preview's answers go nowhere."""

    def __init__(self) -> None:
        from osp_cli.workbook import model

        self._payload = model.new_payload()

    @property
    def payload(self) -> model.Payload:
        return self._payload

    def save(self, change: model.Change) -> None:
        change(self._payload)


MAX_EXERCISE_FILE = 256 * 1024


def _exercise_to_preview(target: str) -> Exercise:
    from osp_cli.errors import UserError
    from osp_cli.exercises.catalogue import builtin_exercises

    path = Path(target)
    if target.endswith(".toml") or path.is_file():
        from osp_cli.errors import ExerciseError
        from osp_cli.exchange import files
        from osp_cli.exercises.loader import parse_exercise

        raw = files.read_limited(path, MAX_EXERCISE_FILE, "an exercise file")
        try:
            text = raw.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError:
            raise ExerciseError([_plain(f"{target}: is not valid UTF-8")]) from None
        return parse_exercise(text, _plain(target))
    found = builtin_exercises().get(target)
    if found is None:
        raise UserError(
            f"There is no built-in exercise called '{_plain(target)[:60]}'.",
            hint="Give an exercise id (see docs/exercises.md) or a .toml file.",
        )
    return found


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
    from osp_cli.cli.common import on_screen, require_terminal
    from osp_cli.ui import flow
    from osp_cli.ui.views import say
    from osp_cli.workbook.runner import Runner

    exercise = _exercise_to_preview(target)
    require_terminal("Previewing an exercise")
    say("Preview: this is what the participant sees. Nothing you type is saved.", "bold")
    from osp_cli.errors import Interrupted

    try:
        with on_screen():
            if flow.run(Runner(_Scratch(), exercise)) is flow.Outcome.FINISHED:
                from osp_cli.ui import prompts

                prompts.pause()
    except Interrupted:
        raise Interrupted("Stopped. Nothing was saved: this was a preview.") from None
    say("That was a preview. Nothing was saved.")
