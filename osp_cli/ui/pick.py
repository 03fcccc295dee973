"""Picking several things from a list (used by export). ``unsafe_ask`` so Ctrl-C is ours.
In plain mode the numbers are typed on one line (``prompts.plain_ticks``)."""

from __future__ import annotations

import questionary

from osp_cli.ui.console import NARROW, width
from osp_cli.ui.prompts import menu_title, plain, plain_ticks, question_layout, style


def pick_many(message: str, options: list[tuple[str, str, bool]]) -> list[str]:
    """Tick any of ``options`` (title, value, ticked at first); returns the ticked values.

    Titles must already be safe text (``safe.clean``).
    """
    if plain():
        picked = plain_ticks(
            message, [title for title, _, _ in options], [ticked for _, _, ticked in options]
        )
        return [options[i][1] for i in picked]

    choices = [
        questionary.Choice(menu_title(title, 5), value, checked=ticked)
        for title, value, ticked in options
    ]
    keys = (
        "(Space to tick or untick, Enter when done)"
        if width() >= NARROW
        else "(Space ticks, Enter when done)"
    )
    shown, hint = question_layout(message, keys)
    result = questionary.checkbox(
        shown,
        choices=choices,
        instruction=hint,
        qmark="?",
        style=style(),
    ).unsafe_ask()
    return [str(value) for value in result or []]
