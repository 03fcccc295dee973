"""Showing a long screen: whole if it fits, else through the pager (shared by commands)."""

from __future__ import annotations

from collections.abc import Callable

from osp_cli.cli.front import has_terminal
from osp_cli.ui import pager


def page(draw: Callable[[], None], finish: str | None = None) -> None:
    """Show what ``draw`` prints: whole if it fits the screen, else through the pager.
    When a terminal is attached, the participant reads it before the screen clears."""
    pager.show(draw, finish=finish or pager.FINISHED, interactive=has_terminal())
