"""The start of an exercise: its title, what it involves, its introduction and its care
note. Exercise text is Markdown, so this is the one screen that loads Rich's Markdown
renderer (about as slow to import as the rest of Rich): only the screens that run an
exercise import this module."""

from __future__ import annotations

import re

from rich.console import Group, RenderableType
from rich.markdown import Markdown

from osp_cli.exercises.model import Exercise
from osp_cli.ui import safe
from osp_cli.ui.console import plain_mode
from osp_cli.ui.views import fixed, section, user_text


def markdown(source: str) -> RenderableType:
    """Exercise Markdown, made inert first. Plain mode shows the cleaned text as it is."""
    cleaned = safe.clean(source.strip())
    if plain_mode():  # keep the words, drop the emphasis marks a screen reader would read out
        return user_text(re.sub(r"(\*\*|__|`)(.+?)\1", r"\2", cleaned))

    return Markdown(cleaned, hyperlinks=False)


def exercise_intro(exercise: Exercise, answered: int, total: int) -> None:
    title = user_text(exercise.title)
    if not plain_mode():
        title.stylize("bold")
    meta = f"{exercise.session_label} · about {exercise.minutes} minutes · {total} questions"
    if answered:
        meta += f" · you have done {answered} of {total}"

    section(title, Group(fixed(meta, "dim"), fixed(""), markdown(exercise.intro)))


def care_note(exercise: Exercise) -> None:
    if not exercise.care:
        return
    section(fixed("Before you start", "bold"), markdown(exercise.care))
