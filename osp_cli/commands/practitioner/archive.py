"""osp practitioner archive: remove everything for one participant from the caseload
store, for good, once the reference is typed again (the front has read the passphrase)."""

from __future__ import annotations

from osp_cli.commands.practitioner import inbox
from osp_cli.ui.safe import clean
from osp_cli.ui.views import say


def run(*, passphrase: str, ref: str) -> None:
    _keys, store = inbox.unlock(passphrase)
    found = inbox.history_of(store, ref)
    count = len(found.received)
    who = clean(found.participant_ref, multiline=False)
    say(
        f"This removes {count} summar{'y' if count == 1 else 'ies'} and your notes for "
        f"{who} from this computer. It cannot be undone."
    )
    typed = inbox.read_line("To go ahead, type the reference again:")
    if typed.strip() != found.participant_ref:
        say("Nothing was removed.")
        return
    removed = store.archive(found.participant_ref)
    say(
        f"Removed {removed} summar{'y' if removed == 1 else 'ies'} and every note for {who}.",
        "bold green",
    )
