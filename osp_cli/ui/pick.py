"""Picking several things from a list (used by export). ``unsafe_ask`` so Ctrl-C is ours."""

from __future__ import annotations


def pick_many(message: str, options: list[tuple[str, str, bool]]) -> list[str]:
    """Tick any of ``options`` (title, value, ticked at first); returns the ticked values.

    Titles must already be safe text (``safe.clean``).
    """
    import questionary

    from osp_cli.ui.prompts import style

    choices = [questionary.Choice(title, value, checked=ticked) for title, value, ticked in options]
    result = questionary.checkbox(
        message,
        choices=choices,
        instruction="(Space to tick or untick, Enter when done)",
        qmark="?",
        style=style(),
    ).unsafe_ask()
    return [str(value) for value in result or []]
