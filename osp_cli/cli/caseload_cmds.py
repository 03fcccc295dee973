"""The practitioner's caseload: receive summaries into the encrypted inbox, list the
caseload, show one participant's history, mark flagged items discussed, archive.

Registered on ``osp practitioner`` by practitioner_cmds. Each command reads its options,
calls the inbox (osp_cli.inbox) and renders (osp_cli.report). As in practitioner_cmds,
only Typer and the standard library are imported at module level, so that
``osp practitioner --help`` stays fast; the rest is imported inside the commands.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from osp_cli.ui.safe import clean
from osp_cli.ui.safe import path_text as _shown

if TYPE_CHECKING:
    from osp_cli.crypto import KeyPairs
    from osp_cli.exchange.summary import Summary
    from osp_cli.inbox.caseload import History
    from osp_cli.inbox.store import InboxStore

MAX_SUMMARY = 64 * 1024 * 1024 + 18


def _say(text: str, style: str = "") -> None:
    from osp_cli.ui.views import say

    say(text, style)


def unlock_inbox(*, create: bool = False) -> tuple[KeyPairs, InboxStore]:
    """Ask the practitioner passphrase once: unlock the keys, then the inbox with it."""
    from osp_cli.cli.practitioner_cmds import _public, unlock_retired
    from osp_cli.exchange import files, keystore
    from osp_cli.inbox.store import InboxStore, exists, missing
    from osp_cli.ui.secret import read_secret

    _public()
    if not create and not exists():
        raise missing()  # said before the passphrase is asked for, not after
    blob = files.read_limited(files.key_file(), 64 * 1024, "a key file")
    passphrase = read_secret(
        "Practitioner passphrase: ", load_meanwhile=("osp_cli.exchange.keystore",)
    )
    keys = keystore.unlock(blob, passphrase)
    unlock_retired(passphrase)  # summaries sealed to a key before 'rotate' still open
    store = InboxStore.open(passphrase, create=create)
    del passphrase
    return keys, store


def verification_of(summary: Summary) -> str:
    """The caseload's word for a summary's sender check (osp_cli.exchange.pins), as the
    practitioner's osp judged it when the summary was opened."""
    from osp_cli.exchange.pins import Check
    from osp_cli.inbox.caseload import DIFFERENT_KEY, FIRST_SEEN, NOT_SIGNED, VERIFIED

    if summary.sender is None:
        return NOT_SIGNED
    return {
        Check.VERIFIED: VERIFIED,
        Check.FIRST_SEEN: FIRST_SEEN,
        Check.DIFFERENT_KEY: DIFFERENT_KEY,
        Check.UNSIGNED: NOT_SIGNED,
    }[summary.sender.check]


def receive(
    files_in: list[Path] = typer.Argument(..., metavar="FILE...", help="Sealed summary files."),
) -> None:
    """Keep summaries in your encrypted caseload store (next to your keys).

    The same summary received twice is stored once. Afterwards 'osp practitioner
    caseload' lists every participant, whoever needs attention first.

    Example: osp practitioner receive summaries/*.osps
    """
    from dataclasses import replace

    from osp_cli.cli.practitioner_cmds import _public, check_recipient, pair_for
    from osp_cli.errors import OspError, UserError
    from osp_cli.exchange import files, pins, sealed
    from osp_cli.exchange import summary as summary_mod
    from osp_cli.workbook.model import now

    info = _public()
    blobs: list[tuple[Path, bytes]] = []
    skipped: list[tuple[Path, str]] = []
    for path in files_in:
        try:
            blob = files.read_limited(path, MAX_SUMMARY, "a summary")
            check_recipient(blob, info.x25519_public)  # the current key or a retired one
            blobs.append((path, blob))
        except OspError as error:
            skipped.append((path, error.message))
    if not blobs:
        _report_skipped(skipped)
        raise UserError("None of the files could be read, so nothing was stored.")
    keys, store = unlock_inbox(create=True)
    incoming = []

    def check_all(known: pins.Pins) -> None:
        """Each summary's sender is checked against (and first seen keys added to) the
        same pin store 'osp practitioner open' uses."""
        stamp = now()
        for path, blob in blobs:
            try:
                pair = pair_for(blob, keys)
                signed = sealed.open_signed(blob, pair.x25519_private, pair.x25519_public)
                opened = summary_mod.from_bytes(signed.plaintext)
            except OspError as error:
                skipped.append((path, error.message))
                continue
            sender = known.record(opened.participant_ref, signed.signer, stamp, accept_new=False)
            opened = replace(opened, sender=sender)
            incoming.append((opened, verification_of(opened)))

    files.update_pins(pins.store_key(keys.x25519_private), check_all)
    result = store.receive(incoming)
    _report_skipped(skipped)
    if result.stored:
        refs = ", ".join(sorted({s.participant_ref for s in result.stored}))
        noun = "summary" if len(result.stored) == 1 else "summaries"
        _say(f"Stored {len(result.stored)} new {noun} ({clean(refs)}).", "bold green")
    if result.duplicates:
        count = len(result.duplicates)
        _say(
            f"{count} {'was' if count == 1 else 'were'} already in your caseload "
            "and stored only once."
        )
    _say("See them with 'osp practitioner caseload'.")


def _report_skipped(skipped: list[tuple[Path, str]]) -> None:
    for path, reason in skipped:
        typer.echo(f"osp: skipped {_shown(path)}: {clean(reason)}", err=True)


def caseload() -> None:
    """List your participants, one line each, whoever needs attention first.

    Each line: the last summary and its session, the next session, flagged items not yet
    discussed, the highest check-in since the last session, a yes to the self-harm
    question, and whether the summary's key is verified.

    Example: osp practitioner caseload
    """
    from osp_cli.inbox.caseload import caseload as caseload_lines
    from osp_cli.report.caseload_view import NOTE, caseload_table
    from osp_cli.ui.console import console

    _keys, store = unlock_inbox()
    lines = caseload_lines(store.inbox)
    if not lines:
        _say("Your caseload is empty. Add summaries with 'osp practitioner receive FILE...'.")
        return
    out = console()
    out.print(caseload_table(lines, out.width))
    _say(NOTE)
    _say(
        f"{len(lines)} participant{'s' if len(lines) != 1 else ''}. "
        "See one with 'osp practitioner show REF'."
    )


def _history(store: InboxStore, ref: str) -> History:
    from osp_cli.errors import UserError
    from osp_cli.inbox.caseload import history

    found = history(store.inbox, ref)
    if found is None:
        raise UserError(
            f"There is nothing for {clean(ref, multiline=False)[:40]} in your caseload.",
            hint="'osp practitioner caseload' lists the references you have.",
        )
    return found


def show(
    ref: str = typer.Argument(..., help="The participant's reference, e.g. P-0412."),
    html: Path | None = typer.Option(
        None, "--html", help="Write the whole history as one printable HTML page."
    ),
) -> None:
    """One participant across all his summaries: check-ins over time, flagged items,
    exercises by session, diary entries and the plan as it stands now.

    Example: osp practitioner show P-0412 --html P-0412-history.html
    """
    from osp_cli.exchange import files
    from osp_cli.report import caseload_view, history_page
    from osp_cli.ui.console import console

    _keys, store = unlock_inbox()
    found = _history(store, ref)
    if html is None:
        from osp_cli.ui import pager

        pager.show(lambda: console().print(caseload_view.history_renderable(found)), finish=None)
        return
    files.write_private(html, history_page.render(found).encode("utf-8"))
    _say(f"Wrote the history to {_shown(html)}.")
    _say("This file is not encrypted: store it as your organisation's policy allows.")


def _read_line(prompt: str) -> str:
    """A line of text: a prompt on a terminal, otherwise the next line of standard input."""
    from osp_cli.ui.secret import stdin_is_terminal

    if stdin_is_terminal():
        from osp_cli.ui import prompts

        return prompts.ask_line(prompt)
    import sys

    return sys.stdin.readline().rstrip("\r\n")


def discussed(
    ref: str = typer.Argument(..., help="The participant's reference."),
    item: int = typer.Argument(..., min=1, help="The item's number in 'show REF'."),
) -> None:
    """Mark a flagged item as discussed, with a short private note.

    The note stays in your caseload store. It is never sent to the participant.

    Example: osp practitioner discussed P-0412 2
    """
    from osp_cli.errors import UserError

    _keys, store = unlock_inbox()
    found = _history(store, ref)
    if item > len(found.items):
        raise UserError(
            f"There is no flagged item {item}; there are {len(found.items)}.",
            hint="'osp practitioner show REF' numbers them.",
        )
    chosen = found.items[item - 1]
    note = _read_line("A short private note (optional, stays on this computer):")
    store.mark_discussed(found.participant_ref, chosen.key, note.strip())
    _say(f"Marked item {item} as discussed.", "bold green")


def archive(
    ref: str = typer.Argument(..., help="The participant's reference."),
) -> None:
    """Remove everything for one participant from your caseload store, for good.

    His summaries and your notes are removed, and the older copies of the store that held
    them are destroyed. You type the reference to confirm.

    Example: osp practitioner archive P-0412
    """
    _keys, store = unlock_inbox()
    found = _history(store, ref)
    count = len(found.received)
    _say(
        f"This removes {count} summar{'y' if count == 1 else 'ies'} and your notes for "
        f"{clean(found.participant_ref, multiline=False)} from this computer. It cannot be undone."
    )
    typed = _read_line("To go ahead, type the reference again:")
    if typed.strip() != found.participant_ref:
        _say("Nothing was removed.")
        return
    removed = store.archive(found.participant_ref)
    _say(
        f"Removed {removed} summar{'y' if removed == 1 else 'ies'} and every note for "
        f"{clean(found.participant_ref, multiline=False)}.",
        "bold green",
    )


def register(app: typer.Typer) -> None:
    app.command()(receive)
    app.command()(caseload)
    app.command()(show)
    app.command()(discussed)
    app.command()(archive)
