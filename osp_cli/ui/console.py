"""The Rich console, configured once for colour, plain mode and screen readers.

Plain mode (``--plain``, ``NO_COLOR`` or ``TERM=dumb``) means no colour, no box drawing
and no cursor tricks: output reads top to bottom in a screen reader.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


@dataclass
class Settings:
    plain: bool = False
    keep_screen: bool = False


SETTINGS = Settings()
_console: Console | None = None


def plain_mode() -> bool:
    return SETTINGS.plain or "NO_COLOR" in os.environ or os.environ.get("TERM", "") == "dumb"


def console() -> Console:
    """The shared console (stdout). Never records, never shows locals."""
    global _console
    if _console is None:
        from rich.console import Console

        from osp_cli.platform import prepare_console

        prepare_console(sys.stdout)
        plain = plain_mode()
        _console = Console(
            no_color=plain,
            color_system=None if plain else "auto",
            emoji=False,
            markup=True,
            highlight=False,
            safe_box=True,
            soft_wrap=False,
        )
    return _console


def reset_console() -> None:
    """Forget the shared console (tests switch settings between runs)."""
    global _console
    _console = None


def box() -> object:
    """The box style for panels and tables: ASCII-free ``None`` in plain mode."""
    from rich import box as rich_box

    return None if plain_mode() else rich_box.ROUNDED


def clear_screen() -> None:
    """Clear the screen and scroll-back so answers do not stay visible."""
    if SETTINGS.keep_screen or not sys.stdout.isatty():
        return
    from osp_cli.platform import clear_terminal

    clear_terminal(sys.stdout)
