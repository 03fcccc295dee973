"""Questionary prompts. Every prompt uses ``unsafe_ask`` so Ctrl-C reaches the caller
(which saves, says so calmly and exits 130) instead of being swallowed."""

from __future__ import annotations

from typing import Any


def _style() -> Any:
    from questionary import Style

    from osp_cli.ui.console import plain_mode

    if plain_mode():
        return Style([])
    return Style([("qmark", "fg:ansicyan bold"), ("question", "bold"), ("answer", "fg:ansicyan")])


def ask_line(message: str, default: str = "") -> str:
    """One line of text."""
    import questionary

    result = questionary.text(message, default=default, qmark="?", style=_style()).unsafe_ask()
    return str(result or "")


def confirm(message: str, default: bool = False) -> bool:
    import questionary

    return bool(questionary.confirm(message, default=default, style=_style()).unsafe_ask())
