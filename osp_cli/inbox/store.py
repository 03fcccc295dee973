"""The practitioner's inbox file: received summaries and private notes, kept in an osp
vault (the participant's workbook design: Argon2id-wrapped data key, Fernet body, HMAC,
atomic locked writes, rolling backups, 0600) next to the key file.

It opens with the practitioner's own passphrase. Its recovery slot holds a random code
that is never shown: the practitioner's key backup is the way back, as for the keys.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from osp_cli.errors import DamagedFile, WrongPassphrase
from osp_cli.exchange import files
from osp_cli.exchange.summary import Summary
from osp_cli.inbox import records
from osp_cli.inbox.location import INBOX_FILE as INBOX_FILE
from osp_cli.inbox.location import exists as exists
from osp_cli.inbox.location import inbox_path as inbox_path
from osp_cli.inbox.location import missing as missing
from osp_cli.inbox.records import Discussed, Inbox, Received
from osp_cli.vault import store as vault_store

MAX_NOTE = 2000


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class ReceiveResult:
    stored: tuple[Summary, ...]
    duplicates: tuple[Summary, ...]


class InboxStore:
    """An unlocked inbox. Every change is applied to the latest file under its lock."""

    def __init__(self, vault: vault_store.Vault[dict[str, Any]]) -> None:
        self._vault = vault

    # --- opening ------------------------------------------------------------------

    @classmethod
    def open(cls, passphrase: str, *, create: bool = False) -> InboxStore:
        path = inbox_path()
        if not exists():
            if not create:
                raise missing()
            files.practitioner_dir(create=True)
            vault, _code = vault_store.Vault.create(path, passphrase, records.new_payload())
            return cls(vault)
        try:
            vault = vault_store.Vault.open(path, passphrase)
        except WrongPassphrase as exc:
            raise WrongPassphrase(
                "That passphrase does not open your caseload store.",
                hint="It opens with the passphrase your practitioner keys had when it was made.",
            ) from exc
        except DamagedFile as exc:
            raise DamagedFile(
                "Your caseload store (inbox.osp) cannot be used: it is damaged.",
                hint="Nothing has been changed. Restore the practitioner folder from a backup.",
            ) from exc
        records.from_json(vault.payload)  # fails now, clearly, rather than half way
        return cls(vault)

    @property
    def inbox(self) -> Inbox:
        return records.from_json(self._vault.payload)

    def _change(self, change: Callable[[Inbox], Inbox]) -> Inbox:
        result: list[Inbox] = []

        def apply(payload: dict[str, object]) -> None:
            new = change(records.from_json(payload))
            payload.clear()
            payload.update(new.to_json())
            result.append(new)

        self._vault.update(apply)
        return result[0]

    # --- changing -----------------------------------------------------------------

    def receive(self, incoming: Iterable[tuple[Summary, str]]) -> ReceiveResult:
        """Store each (summary, verification state) unless the same summary is there."""
        wanted = [(records.digest_of(s), s, state) for s, state in incoming]
        stored: list[Summary] = []
        duplicates: list[Summary] = []

        def change(inbox: Inbox) -> Inbox:
            stored.clear()
            duplicates.clear()
            known = {r.digest for r in inbox.summaries}
            added = []
            for digest, summary, state in wanted:
                if digest in known:
                    duplicates.append(summary)
                    continue
                known.add(digest)
                added.append(Received(digest, _now(), state, summary))
                stored.append(summary)
            return replace(inbox, summaries=inbox.summaries + tuple(added))

        if wanted:
            self._change(change)
        return ReceiveResult(tuple(stored), tuple(duplicates))

    def mark_discussed(self, ref: str, item: str, note: str) -> None:
        """Record that a flagged item was talked about, with a private note (replacing an
        earlier note on the same item). The note never leaves this store."""
        entry = Discussed(ref, item, _now(), note[:MAX_NOTE])

        def change(inbox: Inbox) -> Inbox:
            kept = tuple(d for d in inbox.discussed if (d.participant_ref, d.item) != (ref, item))
            return replace(inbox, discussed=(*kept, entry))

        self._change(change)

    def archive(self, ref: str) -> int:
        """Remove every summary and note for ``ref``, then destroy the older copies of the
        store (its backups) that still held them. Returns the summaries removed."""
        removed: list[int] = []

        def change(inbox: Inbox) -> Inbox:
            keep = tuple(r for r in inbox.summaries if r.summary.participant_ref != ref)
            removed[:] = [len(inbox.summaries) - len(keep)]
            notes = tuple(d for d in inbox.discussed if d.participant_ref != ref)
            return Inbox(keep, notes)

        self._change(change)
        vault_store.drop_older_copies(inbox_path())
        return removed[0]
