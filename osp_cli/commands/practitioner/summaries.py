"""Sealed summaries, for the practitioner commands that open them (open, receive,
evaluation): reading one with the right key pair, its sender check against the pinned
workbook keys, and the files that were skipped."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import typer

from osp_cli import limits
from osp_cli.commands.practitioner.keys import Unlocked
from osp_cli.errors import DamagedFile
from osp_cli.exchange import sealed, summary
from osp_cli.exchange.pins import Check, Pins
from osp_cli.exchange.summary import Summary
from osp_cli.inbox.caseload import DIFFERENT_KEY, FIRST_SEEN, NOT_SIGNED, VERIFIED
from osp_cli.ui.safe import clean, path_text

#: The largest sealed summary file osp writes.
MAX_SUMMARY = limits.SEALED_SUMMARY_BYTES


def read(blob: bytes, keys: Unlocked) -> tuple[Summary, bytes | None]:
    """The summary in a sealed file and the workbook key that signed it (None: unsigned).
    The sender is not checked here (see :func:`with_sender`)."""
    pair = keys.pair_for(blob)
    opened = sealed.open_signed(blob, pair.x25519_private, pair.x25519_public)
    return summary.from_bytes(opened.plaintext), opened.signer


def with_sender(
    store: Pins, found: tuple[Summary, bytes | None], stamp: str, *, accept_new: bool
) -> Summary:
    """The summary with its sender check; a first-seen key is pinned in ``store`` (and,
    with ``accept_new``, a different key replaces the pinned one)."""
    result, signer = found
    sender = store.record(result.participant_ref, signer, stamp, accept_new=accept_new)
    return replace(result, sender=sender)


def refuse_different(result: Summary, path: Path) -> None:
    """Refuse a summary signed by a different key than the one pinned for its reference."""
    if result.sender is None or result.sender.check is not Check.DIFFERENT_KEY:
        return
    raise DamagedFile(
        f"DIFFERENT KEY: do not rely on this. {path_text(path)} says it is from participant "
        f"{clean(result.participant_ref, multiline=False)[:60]}, but it was signed by a "
        f"workbook key ({result.sender.fingerprint}) that is not the one you have for "
        f"that reference ({result.sender.pinned_fingerprint}). It was not opened.",
        hint="Ask the participant to read you his fingerprint ('osp whoami'). Only if it "
        "matches the new key (he may have a new workbook), open the file again with "
        "--accept-new-key.",
    )


def verification_of(result: Summary) -> str:
    """The caseload's word for a summary's sender check (osp_cli.exchange.pins), as the
    practitioner's osp judged it when the summary was opened."""
    if result.sender is None:
        return NOT_SIGNED
    return {
        Check.VERIFIED: VERIFIED,
        Check.FIRST_SEEN: FIRST_SEEN,
        Check.DIFFERENT_KEY: DIFFERENT_KEY,
        Check.UNSIGNED: NOT_SIGNED,
    }[result.sender.check]


def report_skipped(skipped: list[tuple[Path, str]]) -> None:
    """One line on standard error for each file that was left out, and why."""
    for path, reason in skipped:
        typer.echo(f"osp: skipped {path_text(path)}: {clean(reason)}", err=True)
