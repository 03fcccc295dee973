"""osp support, after the numbers: the choice to read more (the front has already shown
the numbers without loading anything heavy)."""

from __future__ import annotations

from osp_cli.ui import prompts
from osp_cli.ui import support as panel


def run() -> None:
    options = [("Close", "close"), ("More help", "more")]
    if prompts.choose("When you are ready:", options) == "more":
        panel.show_more()
