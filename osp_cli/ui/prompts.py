"""Questionary prompts. Every prompt uses ``unsafe_ask`` so Ctrl-C reaches the caller
(which saves, says so calmly and exits 130) instead of being swallowed."""

from __future__ import annotations

from typing import Any


def style() -> Any:
    """The questionary style: none at all in plain mode."""
    from questionary import Style

    from osp_cli.ui.console import plain_mode

    if plain_mode():
        return Style([])
    return Style([("qmark", "fg:ansicyan bold"), ("question", "bold"), ("answer", "fg:ansicyan")])


def from_terminal(text: object) -> str:
    """Typed text as valid Unicode.

    prompt_toolkit decodes undecodable bytes (a non-UTF-8 terminal, an odd paste) as lone
    surrogates, which cannot be saved. Decode those bytes again, with U+FFFD for what
    cannot be read, so the answer is kept rather than lost.
    """
    value = str(text or "")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        value = value.encode("utf-8", "replace").decode("utf-8")
    return value


def ask_line(message: str, default: str = "", limit: int | None = None) -> str:
    """One line of text (refused, and kept in the box, when over ``limit`` characters)."""
    import questionary

    def check(text: str) -> bool | str:
        from osp_cli.limits import too_long

        return (too_long(text, limit, "This") if limit is not None else None) or True

    result = questionary.text(
        message, default=default, qmark="?", style=style(), validate=check
    ).unsafe_ask()
    return from_terminal(result)


def confirm(message: str, default: bool = False) -> bool:
    import questionary

    return bool(questionary.confirm(message, default=default, style=style()).unsafe_ask())


def pause(message: str = "Press Enter to carry on.") -> None:
    """Wait for Enter (any typed text is ignored)."""
    ask_line(message)


def choose(message: str, options: list[tuple[str, str]], default: str | None = None) -> str:
    """Pick one of ``options`` (title, value); returns the value. Titles must be safe text."""
    import questionary

    choices = [questionary.Choice(title, value) for title, value in options]
    pointed = next((c for c in choices if c.value == default), None)
    result = questionary.select(
        message,
        choices=choices,
        default=pointed,
        instruction="(use the arrow keys, then Enter)",
        qmark="?",
        style=style(),
    ).unsafe_ask()
    return str(result)
