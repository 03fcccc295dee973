"""osp practitioner discussed: mark a flagged item as discussed, with a private note
(the front has read the passphrase)."""

from __future__ import annotations

from osp_cli.commands.practitioner import inbox
from osp_cli.errors import UserError
from osp_cli.ui.views import say


def run(*, passphrase: str, ref: str, item: int) -> None:
    _keys, store = inbox.unlock(passphrase)
    found = inbox.history_of(store, ref)
    if item > len(found.items):
        raise UserError(
            f"There is no flagged item {item}; there are {len(found.items)}.",
            hint="'osp practitioner show REF' numbers them.",
        )
    chosen = found.items[item - 1]
    note = inbox.read_line("A short private note (optional, stays on this computer):")
    store.mark_discussed(found.participant_ref, chosen.key, note.strip())
    say(f"Marked item {item} as discussed.", "bold green")
