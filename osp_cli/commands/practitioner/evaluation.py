"""osp practitioner evaluation: anonymised rows from many summaries, to a CSV file or a
table (the front has checked the options and outputs and read the passphrase)."""

from __future__ import annotations

from pathlib import Path

import typer

from osp_cli.commands.practitioner import inbox as caseload_store
from osp_cli.commands.practitioner import keys, summaries
from osp_cli.errors import DamagedFile
from osp_cli.exchange import folder, pins
from osp_cli.inbox.store import InboxStore
from osp_cli.report import evaluation as streamed
from osp_cli.report.caseload_view import evaluation_table
from osp_cli.ui.console import console
from osp_cli.ui.lines import say
from osp_cli.ui.safe import path_text
from osp_cli.workbook.model import now

#: An evaluation names this many unverified files, then counts the rest (10,000 files
#: from an older osp would otherwise print 10,000 warnings).
WARNINGS_SHOWN = 10


def from_store(store: InboxStore, *, keep_rows: bool) -> list[streamed.Ready]:
    """The rows of the summaries in the caseload store, with the sender check made when
    each was received (summaries.verification_of)."""
    checks = {c.value: c for c in pins.Check}
    ready: list[streamed.Ready] = []
    for received in store.inbox.summaries:
        check = checks.get(received.verification, pins.Check.UNSIGNED)
        part = streamed.part_of(received.summary, None, "", keep_rows=keep_rows)
        ready.append((part, check.value))
    return ready


def warn_unverified(warned: list[Path]) -> None:
    for path in warned[:WARNINGS_SHOWN]:
        typer.echo(
            f"osp: {path_text(path)} is not verified (see the 'sender' column): do not rely "
            "on its rows until you have checked with the participant.",
            err=True,
        )
    if len(warned) > WARNINGS_SHOWN:
        more = len(warned) - WARNINGS_SHOWN
        typer.echo(
            f"osp: {more} more {'summary is' if more == 1 else 'summaries are'} not verified "
            "either; the 'sender' column marks every row.",
            err=True,
        )


def run(
    *,
    passphrase: str,
    files_in: list[Path],
    csv_out: Path | None,
    inbox: bool,
    table: bool,
    accept_new_key: bool,
) -> None:
    if inbox:
        unlocked, store = caseload_store.unlock(passphrase)
        ready = from_store(store, keep_rows=table)
    else:
        unlocked, ready = keys.unlock(passphrase), []
    warned: list[Path] = []
    stamp = now()

    def run_locked(pin_store: pins.Pins) -> streamed.Outcome:
        """Under the pin store's lock: each file's sender is checked (and first-seen keys
        pinned) in the order given, while the rows stream to the CSV."""

        def judge(path: Path, ref: str, signer: bytes | None) -> tuple[str, str]:
            sender = pin_store.record(ref, signer, stamp, accept_new=accept_new_key)
            if sender.check in (pins.Check.DIFFERENT_KEY, pins.Check.UNSIGNED):
                warned.append(path)
            return sender.check.value, sender.fingerprint or ""

        opening = streamed.Keys(unlocked.current, dict(unlocked.retired))
        if csv_out is None:
            return streamed.gather(files_in, opening, judge, ready=ready)
        return streamed.write_csv(csv_out, files_in, opening, judge, ready=ready, keep_rows=table)

    try:
        if files_in:
            outcome = folder.update_pins(
                pins.store_key(unlocked.current.x25519_private), run_locked
            )
        else:
            outcome = run_locked(pins.Pins())  # the inbox alone: its checks were made on receipt
    except streamed.NothingRead as nothing:
        outcome = nothing.outcome
    summaries.report_skipped(outcome.skipped)
    read = outcome.read
    if not read:
        raise DamagedFile("None of the summaries could be read, so there are no rows.")
    warn_unverified(warned)
    noun = "summary" if read == 1 else "summaries"
    tail = f"; skipped {len(outcome.skipped)} (listed above)." if outcome.skipped else "."
    if table:
        console().print(evaluation_table(outcome.rows_kept))
        say(f"Rows from {read} {noun}{tail}")
    if csv_out is not None:
        say(f"Wrote {path_text(csv_out)} from {read} {noun}{tail}")
