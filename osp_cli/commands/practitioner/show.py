"""osp practitioner show: one participant across all his summaries, on screen or as a
printable HTML page (the front has read the passphrase)."""

from __future__ import annotations

from pathlib import Path

from osp_cli.commands.practitioner import inbox
from osp_cli.exchange import files
from osp_cli.report import caseload_view, history_page
from osp_cli.ui import pager
from osp_cli.ui.console import console
from osp_cli.ui.safe import path_text
from osp_cli.ui.views import say


def run(*, passphrase: str, ref: str, html: Path | None) -> None:
    _keys, store = inbox.unlock(passphrase)
    found = inbox.history_of(store, ref)
    if html is None:
        pager.show(lambda: console().print(caseload_view.history_renderable(found)), finish=None)
        return
    files.write_private(html, history_page.render(found).encode("utf-8"))
    say(f"Wrote the history to {path_text(html)}.")
    say("This file is not encrypted: store it as your organisation's policy allows.")
