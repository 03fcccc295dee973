"""osp practitioner receive: keep summaries in the encrypted caseload store (the front
has read the files and the passphrase)."""

from __future__ import annotations

from pathlib import Path

from osp_cli.commands.practitioner import inbox, keys, public_keys, summaries
from osp_cli.errors import OspError, UserError
from osp_cli.exchange import folder, pins
from osp_cli.exchange.summary import Summary
from osp_cli.ui.safe import clean
from osp_cli.ui.views import say
from osp_cli.workbook.model import now

NONE_READ = "None of the files could be read, so nothing was stored."


def run(
    *, passphrase: str, blobs: list[tuple[Path, bytes]], skipped: list[tuple[Path, str]]
) -> None:
    """``blobs``: the files that could be read; ``skipped``: those that could not, and why."""
    current = public_keys.current().x25519_public
    sealed_to_us: list[tuple[Path, bytes]] = []
    for path, blob in blobs:
        try:
            keys.check_recipient(blob, current)  # the current key or a retired one
            sealed_to_us.append((path, blob))
        except OspError as error:
            skipped.append((path, error.message))
    if not sealed_to_us:  # refused before the store is made or changed
        summaries.report_skipped(skipped)
        raise UserError(NONE_READ)
    unlocked, store = inbox.unlock(passphrase, create=True)
    incoming: list[tuple[Summary, str]] = []

    def check_all(known: pins.Pins) -> None:
        """Each summary's sender is checked against (and first seen keys added to) the
        same pin store 'osp practitioner open' uses."""
        stamp = now()
        for path, blob in sealed_to_us:
            try:
                found = summaries.read(blob, unlocked)
            except OspError as error:
                skipped.append((path, error.message))
                continue
            opened = summaries.with_sender(known, found, stamp, accept_new=False)
            incoming.append((opened, summaries.verification_of(opened)))

    folder.update_pins(pins.store_key(unlocked.current.x25519_private), check_all)
    result = store.receive(incoming)
    summaries.report_skipped(skipped)
    if result.stored:
        refs = ", ".join(sorted({s.participant_ref for s in result.stored}))
        noun = "summary" if len(result.stored) == 1 else "summaries"
        say(f"Stored {len(result.stored)} new {noun} ({clean(refs)}).", "bold green")
    if result.duplicates:
        count = len(result.duplicates)
        say(
            f"{count} {'was' if count == 1 else 'were'} already in your caseload "
            "and stored only once."
        )
    say("See them with 'osp practitioner caseload'.")
