"""Picking several things from a list (used by export). ``unsafe_ask`` so Ctrl-C is ours.
In plain mode the numbers are typed on one line (``prompts.plain_ticks``)."""

from __future__ import annotations


def pick_many(message: str, options: list[tuple[str, str, bool]]) -> list[str]:
    """Tick any of ``options`` (title, value, ticked at first); returns the ticked values.

    Titles must already be safe text (``safe.clean``).
    """
    from osp_cli.ui.prompts import menu_title, plain, plain_ticks, style

    if plain():
        picked = plain_ticks(
            message, [title for title, _, _ in options], [ticked for _, _, ticked in options]
        )
        return [options[i][1] for i in picked]
    import questionary

    choices = [
        questionary.Choice(menu_title(title, 6), value, checked=ticked)
        for title, value, ticked in options
    ]
    result = questionary.checkbox(
        message,
        choices=choices,
        instruction="(Space to tick or untick, Enter when done)",
        qmark="?",
        style=style(),
    ).unsafe_ask()
    return [str(value) for value in result or []]
