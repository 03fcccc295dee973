"""The caseload store, for the practitioner commands that use it: one passphrase
unlocks the key pairs and then the store (osp_cli/inbox/store.py); one participant's
history in it; a line typed in answer (a note, a reference to confirm)."""

from __future__ import annotations

import sys

from osp_cli.commands.practitioner import keys
from osp_cli.errors import UserError
from osp_cli.inbox.caseload import History, history
from osp_cli.inbox.store import InboxStore
from osp_cli.ui import prompts
from osp_cli.ui.safe import clean
from osp_cli.ui.secret import stdin_is_terminal


def unlock(passphrase: str, *, create: bool = False) -> tuple[keys.Unlocked, InboxStore]:
    """The key pairs (current and retired) and the caseload store, both opened with the
    practitioner passphrase; ``create``: make the store if there is none yet."""
    unlocked = keys.unlock(passphrase)
    return unlocked, InboxStore.open(passphrase, create=create)


def history_of(store: InboxStore, ref: str) -> History:
    """One participant's history; a clear refusal when the reference is not there."""
    found = history(store.inbox, ref)
    if found is None:
        raise UserError(
            f"There is nothing for {clean(ref, multiline=False)[:40]} in your caseload.",
            hint="'osp practitioner caseload' lists the references you have.",
        )
    return found


def read_line(prompt: str) -> str:
    """A line of text: a prompt on a terminal, otherwise the next line of standard input."""
    if stdin_is_terminal():
        return prompts.ask_line(prompt)
    return sys.stdin.readline().rstrip("\r\n")
