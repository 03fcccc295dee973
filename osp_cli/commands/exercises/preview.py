"""osp exercises preview: walk through an exercise as a participant sees it, in a
workbook that lives only in memory (nothing is saved)."""

from __future__ import annotations

from pathlib import Path

from osp_cli.cli.front import require_terminal
from osp_cli.commands import exercise_file
from osp_cli.errors import Interrupted, UserError
from osp_cli.exercises.catalogue import builtin_exercises
from osp_cli.exercises.model import Exercise
from osp_cli.ui import flow, prompts
from osp_cli.ui.console import on_screen
from osp_cli.ui.safe import clean
from osp_cli.ui.views import say
from osp_cli.workbook import model
from osp_cli.workbook.runner import Runner


class Scratch:
    """A workbook that lives only in memory: the preview's answers go nowhere."""

    def __init__(self) -> None:
        self._payload = model.new_payload()

    @property
    def payload(self) -> model.Payload:
        return self._payload

    def save(self, change: model.Change) -> None:
        change(self._payload)


def to_preview(target: str) -> Exercise:
    """The exercise in a .toml file (or any file that exists), else the built-in one."""
    path = Path(target)
    if target.endswith(".toml") or path.is_file():
        return exercise_file.read(path)[0]
    found = builtin_exercises().get(target)
    if found is None:
        raise UserError(
            f"There is no built-in exercise called '{clean(target, multiline=False)[:60]}'.",
            hint="Give an exercise id (see docs/exercises.md) or a .toml file.",
        )
    return found


def run(*, target: str) -> None:
    exercise = to_preview(target)
    require_terminal("Previewing an exercise")
    say("Preview: this is what the participant sees. Nothing you type is saved.", "bold")
    try:
        with on_screen():
            if flow.run(Runner(Scratch(), exercise)) is flow.Outcome.FINISHED:
                prompts.pause()
    except Interrupted:
        raise Interrupted("Stopped. Nothing was saved: this was a preview.") from None
    say("That was a preview. Nothing was saved.")
