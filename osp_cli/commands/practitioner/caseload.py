"""osp practitioner caseload: every participant, one line each, whoever needs attention
first (the front has read the passphrase)."""

from __future__ import annotations

from osp_cli.commands.practitioner import inbox
from osp_cli.inbox.caseload import caseload
from osp_cli.report.caseload_view import NOTE, caseload_table
from osp_cli.ui.console import console
from osp_cli.ui.views import say


def run(*, passphrase: str) -> None:
    _keys, store = inbox.unlock(passphrase)
    lines = caseload(store.inbox)
    if not lines:
        say("Your caseload is empty. Add summaries with 'osp practitioner receive FILE...'.")
        return
    out = console()
    out.print(caseload_table(lines, out.width))
    say(NOTE)
    say(
        f"{len(lines)} participant{'s' if len(lines) != 1 else ''}. "
        "See one with 'osp practitioner show REF'."
    )
