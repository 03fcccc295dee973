"""The Rich console, configured once for colour, plain mode and screen readers.

Plain mode (``--plain``, ``NO_COLOR`` or ``TERM=dumb``) means no colour, no box drawing
and no cursor tricks: output reads top to bottom in a screen reader.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from osp_cli.errors import Interrupted

if TYPE_CHECKING:
    from rich.console import Console


class Settings:
    """The global options (--plain, --keep-screen). A plain class: every command loads
    this module, and a dataclass costs ten times as much to define."""

    __slots__ = ("keep_screen", "plain")

    def __init__(self) -> None:
        self.plain = False
        self.keep_screen = False


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


def current() -> Console | None:
    """The shared console if one has been made (Rich is loaded), else None. While the
    pager gathers a screen, this is the console it gathers into."""
    return _console


def reset_console() -> None:
    """Forget the shared console (tests switch settings between runs)."""
    global _console
    _console = None


def wrap(value: str, *, stream: object = None) -> str:
    """Fixed wording wrapped to the terminal's width at spaces, never inside a word
    (a word longer than the line, such as a file path, is left whole)."""
    import shutil
    import textwrap

    columns = shutil.get_terminal_size((80, 24)).columns
    fileno = getattr(stream, "fileno", None)
    if fileno is not None:
        with contextlib.suppress(OSError, ValueError):
            columns = os.get_terminal_size(fileno()).columns
    return "\n".join(
        textwrap.fill(line, max(columns - 1, 20), break_long_words=False, break_on_hyphens=False)
        or line
        for line in value.split("\n")
    )


NARROW = 60  # below this many columns, boxes give way to plain text


def width() -> int:
    """The terminal's width in columns (80 when it cannot be told)."""
    return console().width or 80


def narrow() -> bool:
    """True when the screen is too narrow for boxes (or in plain mode)."""
    return plain_mode() or width() < NARROW


def box() -> object:
    """The box style for tables: ``None`` in plain mode or below 60 columns. (A panel
    needs a box: check ``narrow()`` and print its parts instead.)"""
    from rich import box as rich_box

    return None if narrow() else rich_box.ROUNDED


def clear_screen(*, between: bool = False, always: bool = False) -> None:
    """Clear the screen and scroll-back so answers do not stay visible.

    ``between`` marks a clear in the middle of a run (between two menu actions): plain
    mode skips it, so a screen reader's output stays in order and nothing is redrawn.
    ``always`` clears even with ``--keep-screen`` (the recovery code).
    """
    if not sys.stdout.isatty():
        return
    if SETTINGS.keep_screen and not always:
        return
    if between and plain_mode():
        return
    from osp_cli.platform import clear_terminal

    clear_terminal(sys.stdout)


@contextlib.contextmanager
def on_screen() -> Iterator[None]:
    """Clear the screen on the way out, whatever happens; Ctrl-C becomes a calm exit 130."""
    try:
        yield
    except (KeyboardInterrupt, EOFError):
        clear_screen()
        raise Interrupted() from None
    except BaseException:
        clear_screen()
        raise
    clear_screen()
