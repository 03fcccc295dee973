"""The practitioner's commands: keys, signed assignments, opening summaries, evaluation data.

Only Typer and the standard library are imported at module level (``osp --help`` stays
fast); everything else is imported inside the commands.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from osp_cli import limits
from osp_cli.ui.safe import path_text as _shown

if TYPE_CHECKING:
    from osp_cli.crypto import KeyPairs
    from osp_cli.exchange.assignment import Assignment
    from osp_cli.exchange.keystore import PublicInfo
    from osp_cli.exchange.pins import Pins
    from osp_cli.exchange.summary import Summary
    from osp_cli.inbox.store import InboxStore

practitioner_app = typer.Typer(
    help="For practitioners: keys, signed assignments, summaries, your caseload, evaluation data.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

MAX_CUSTOM_FILE = limits.CUSTOM_EXERCISE_BYTES
#: An evaluation names this many unverified files, then counts the rest (10,000 files
#: from an older osp would otherwise print 10,000 warnings).
WARNINGS_SHOWN = 10
MAX_SUMMARY = limits.SEALED_SUMMARY_BYTES  # the largest sealed summary file osp writes


def _say(text: str, style: str = "") -> None:
    """Our own wording (never markup); plain mode drops the style. Written without Rich
    until Rich has loaded (osp_cli/ui/lines.py), so a first line costs no import."""
    from osp_cli.ui.lines import say

    say(text, style)


def _public() -> PublicInfo:
    from osp_cli.errors import UserError
    from osp_cli.exchange import files, keystore

    path = files.key_file()
    if not path.exists():
        raise UserError(
            "There are no practitioner keys on this computer yet.",
            hint="Run 'osp practitioner init' to create them.",
        )
    return keystore.public_info(files.read_limited(path, 64 * 1024, "a key file"))


#: Earlier key pairs unlocked with the current ones, by key id (to open summaries that
#: were sealed to a key before 'osp practitioner rotate').
_RETIRED: dict[bytes, KeyPairs] = {}


def _unlock_keys() -> KeyPairs:
    from osp_cli.exchange import files, keystore
    from osp_cli.ui.secret import read_secret

    _public()
    blob = files.read_limited(files.key_file(), 64 * 1024, "a key file")
    passphrase = read_secret(
        "Practitioner passphrase: ", load_meanwhile=("osp_cli.exchange.keystore",)
    )
    keys = keystore.unlock(blob, passphrase)
    unlock_retired(passphrase)
    del passphrase
    return keys


def unlock_retired(passphrase: str) -> None:
    """Unlock the key pairs kept by 'osp practitioner rotate' (same passphrase)."""
    from osp_cli import crypto
    from osp_cli.errors import OspError
    from osp_cli.exchange import files, keystore

    for path in files.retired_key_files():
        try:
            old = keystore.unlock(files.read_limited(path, 64 * 1024, "a key file"), passphrase)
        except OspError:  # locked with another passphrase, or damaged: skip it
            continue
        _RETIRED[crypto.key_id(old.x25519_public)] = old


def check_recipient(blob: bytes, current_x25519: bytes) -> None:
    """Sealed to the current key or to a retired one (no passphrase needed)."""
    from osp_cli import crypto
    from osp_cli.exchange import files, keystore, sealed

    wanted = sealed.recipient(blob)
    for path in files.retired_key_files():
        try:
            info = keystore.public_info(files.read_limited(path, 64 * 1024, "a key file"))
        except Exception:  # noqa: S112 - a damaged retired file is just skipped
            continue
        if crypto.key_id(info.x25519_public) == wanted:
            return
    sealed.check_recipient(blob, current_x25519)


def pair_for(blob: bytes, keys: KeyPairs) -> KeyPairs:
    """The key pair a sealed summary is for: the current one, or a retired one."""
    from osp_cli.exchange import sealed

    return _RETIRED.get(sealed.recipient(blob), keys)


@practitioner_app.command()
def init() -> None:
    """Create your key pairs (to receive summaries and to sign assignments).

    The private keys are stored encrypted under a passphrase you choose. The fingerprint
    shown at the end is what you read aloud to each participant at their first session.

    Example: osp practitioner init
    """
    from osp_cli.errors import UserError
    from osp_cli.exchange import files
    from osp_cli.ui.secret import passphrase_problem, read_secret

    path = files.key_file()
    if path.exists():
        raise UserError(
            "Practitioner keys already exist on this computer.",
            hint="Run 'osp practitioner whoami' to see the fingerprint.",
        )
    _say("Choose a passphrase for your practitioner keys. Nothing shows while you type.")
    for _ in range(3):
        first = read_secret(
            "New practitioner passphrase: ", load_meanwhile=("osp_cli.exchange.keystore",)
        )
        problem = passphrase_problem(first)
        if problem:
            _say(f"That passphrase is too weak. {problem}")
            continue
        if read_secret("Type it again: ") != first:
            _say("The two did not match. Let's try again.")
            continue
        break
    else:
        raise UserError("No passphrase was set, so no keys were made.")
    _say("Creating your keys (this takes a moment)...")
    from osp_cli.crypto import new_key_pairs
    from osp_cli.exchange import keystore

    blob = keystore.encode(new_key_pairs(), first)
    del first
    files.practitioner_dir(create=True)
    files.write_private(path, blob, overwrite=False)
    info = keystore.public_info(blob)
    _say("\nYour practitioner keys are ready.", "bold green")
    _say(f"Fingerprint: {info.fingerprint}", "bold")
    _say(
        "Read this fingerprint aloud to each participant when you give them their first "
        "assignment; osp asks them to check it. Keep a backup of the folder "
        f"{_shown(files.practitioner_dir())}: without it you cannot open summaries."
    )


@practitioner_app.command()
def whoami() -> None:
    """Show your key fingerprint (to read aloud to a participant). No passphrase needed.

    Example: osp practitioner whoami
    """
    from osp_cli.dates import day_and_time
    from osp_cli.exchange import files, keystore

    info = _public()
    _say(f"Fingerprint: {info.fingerprint}", "bold")
    for path in files.retired_key_files():
        try:
            old = keystore.public_info(files.read_limited(path, 64 * 1024, "a key file"))
        except Exception:  # noqa: S112 - a damaged retired file is just skipped
            continue
        _say(f"Earlier key (still opens older summaries): {old.fingerprint}")
    created = day_and_time(info.created)
    _say(f"Keys created {created}, stored in {_shown(files.practitioner_dir())}.")


@practitioner_app.command()
def rotate(
    out: Path = typer.Option(
        ..., "--out", help="Where to write the signed hand-over file for your participants."
    ),
    force: bool = typer.Option(
        False, "--force", help="Replace the hand-over file if it already exists."
    ),
) -> None:
    """Make a new key pair, with a hand-over signed by the old key.

    Give the hand-over file to each participant ('osp import FILE'): their osp shows the
    old and the new fingerprint and, once they confirm, trusts the new key. Your old key
    pair is kept (locked with the same passphrase), so summaries sealed to it still open.

    Example: osp practitioner rotate --out new-key-handover.osph
    """
    from osp_cli import crypto
    from osp_cli.cli.common import guard_outputs
    from osp_cli.exchange import files, handover, keystore, pins
    from osp_cli.ui.secret import read_secret

    guard_outputs([out], force=force)
    before = _public()
    path = files.key_file()
    blob = files.read_limited(path, 64 * 1024, "a key file")
    passphrase = read_secret(
        "Practitioner passphrase: ", load_meanwhile=("osp_cli.exchange.keystore",)
    )
    old = keystore.unlock(blob, passphrase)
    _say("Making your new keys (this takes a moment)...")
    new = crypto.new_key_pairs()
    new_blob = keystore.encode(new, passphrase)
    del passphrase
    # The hand-over first: if it cannot be written, nothing has changed.
    files.write_private(out, handover.encode(old, new))
    retired = files.practitioner_dir() / files.RETIRED_DIR
    retired.mkdir(mode=0o700, exist_ok=True)
    kept = retired / f"keys-{before.fingerprint.replace(' ', '')}.osppk"
    files.write_private(kept, blob, overwrite=False)
    # The pins move to the new keys' store key (read with the old one).
    known = files.load_pins(pins.store_key(old.x25519_private))
    files.write_private(path, new_blob)
    if known.pins:
        files.update_pins(
            pins.store_key(new.x25519_private), lambda store: store.pins.update(known.pins)
        )
    after = keystore.public_info(new_blob)
    _say("\nYour new keys are ready.", "bold green")
    _say(f"Old fingerprint: {before.fingerprint}")
    _say(f"New fingerprint: {after.fingerprint}", "bold")
    _say(
        f"Give {_shown(out)} to each participant with their next assignment, and read "
        "both fingerprints to them. Summaries sealed to your old key still open."
    )


def _read_custom(path: Path) -> tuple[str, str]:
    from osp_cli.exchange import files
    from osp_cli.exercises.loader import parse_exercise

    raw = files.read_limited(path, MAX_CUSTOM_FILE, "an exercise file")
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        from osp_cli.errors import ExerciseError

        raise ExerciseError([f"{_shown(path)}: is not valid UTF-8"]) from None
    exercise = parse_exercise(text, _shown(path))
    return exercise.id, text


def _checked_next_session(text: str) -> str:
    """The next-session date, checked: an impossible date is refused with its own
    message; a date in the past is questioned (refused when no one can answer)."""
    from osp_cli import dates
    from osp_cli.cli.common import has_terminal
    from osp_cli.errors import UsageError, UserError
    from osp_cli.ui import prompts

    value, problem = dates.check_new_date(text, "The next session date (--next-session)")
    if value is None:
        raise UsageError(problem or "The next session date is not a date.")
    if dates.is_past(value):
        shown = dates.day(value.isoformat())
        if not has_terminal():
            raise UserError(
                f"The next session date, {shown}, is in the past.",
                hint="Check the date; give a date from today on.",
            )
        if not prompts.confirm(f"The next session date, {shown}, is in the past. Use it anyway?"):
            raise UserError("Nothing was written.", hint="Run it again with the right date.")
    return value.isoformat()


@practitioner_app.command()
def assign(
    participant: str | None = typer.Option(
        None, "--participant", help="The participant's reference, e.g. P-0142 (never a name)."
    ),
    session: int | None = typer.Option(None, "--session", min=1, max=6, help="Session, 1-6."),
    exercise: list[str] = typer.Option(
        [], "--exercise", help="A built-in exercise id (repeat for more)."
    ),
    custom: list[Path] = typer.Option(
        [], "--custom", help="A custom exercise file (.toml) to embed (repeat for more)."
    ),
    next_session: str | None = typer.Option(
        None, "--next-session", help="Date of the next session, YYYY-MM-DD."
    ),
    note: str = typer.Option("", "--note", help="A short note shown to the participant."),
    out: Path | None = typer.Option(
        None, "--out", help="Where to write the signed assignment file."
    ),
    force: bool = typer.Option(
        False, "--force", help="Replace output files that already exist without asking."
    ),
) -> None:
    """Write a signed assignment file for one participant.

    With no --exercise or --custom it asks, step by step: the participant, the session,
    the exercises (ticked from the catalogue), custom files, the date and a note; then
    shows a summary and asks your passphrase last.

    Example: osp practitioner assign

    Example: osp practitioner assign --participant P-0142 --session 2
    --exercise life-timeline --custom extra.toml --next-session 2026-05-12
    --note "See you on Tuesday" --out P-0142-session-2.ospa
    """
    from osp_cli.errors import UsageError
    from osp_cli.ui.assign_wizard import Choices

    if not exercise and not custom:
        _assign_interactively()
        return
    missing = [
        flag
        for flag, value in (
            ("--participant", participant),
            ("--session", session),
            ("--next-session", next_session),
            ("--out", out),
        )
        if value is None
    ]
    if missing:
        raise UsageError(
            f"Missing {', '.join(missing)}.",
            hint="Give every flag, or run 'osp practitioner assign' alone to be asked.",
        )
    assert participant is not None and session is not None
    assert next_session is not None and out is not None
    next_session = _checked_next_session(next_session)
    choices = Choices(participant, session, tuple(exercise), tuple(custom), next_session, note, out)
    from osp_cli.cli.common import guard_outputs

    guard_outputs([out], list(custom), force=force)
    info = _public()
    built = _build(choices, info)
    _finish(built, choices, _unlock_keys(), info)


def _build(choices: Any, info: PublicInfo) -> Assignment:
    """The checked assignment for these choices (before any passphrase is asked)."""
    from osp_cli.errors import UserError
    from osp_cli.exchange import assignment
    from osp_cli.exercises.files import builtin_ids

    customs: dict[str, str] = {}
    for path in choices.custom:
        exercise_id, text = _read_custom(path)
        if exercise_id in customs:
            raise UserError(f"Two custom files have the same exercise id '{exercise_id}'.")
        customs[exercise_id] = text
    ids = list(dict.fromkeys([*choices.exercises, *customs]))
    return assignment.build(
        participant_ref=choices.participant,
        session=choices.session,
        exercises=ids,
        custom_exercises=customs,
        next_session=choices.next_session,
        note=choices.note,
        x25519_public=info.x25519_public,
        ed25519_public=info.ed25519_public,
        sequence=1,
        builtin_ids=builtin_ids(),
    )


def _finish(built: Assignment, choices: Any, keys: KeyPairs, info: PublicInfo) -> None:
    """Sign and write: the one path for flags and questions alike."""
    from dataclasses import replace

    from osp_cli.exchange import assignment, files

    built = replace(built, sequence=files.next_sequence())
    blob = assignment.encode(built, keys.ed25519_private)
    files.write_private(choices.out, blob)
    count = len(built.exercises)
    _say(f"Wrote the signed assignment to {_shown(choices.out)}.", "bold green")
    _say(
        f"Session {built.session}, {count} exercise{'s' if count != 1 else ''}, "
        f"next session {built.next_session}."
    )
    _say(f"Fingerprint to read aloud: {info.fingerprint}", "bold")


PASSPHRASE_TRIES = 3


def _unlock_keeping_choices(choices: Any) -> KeyPairs:
    """The passphrase, asked up to three times; the choices are never lost (after the last
    try they are printed as the equivalent command)."""
    from osp_cli.errors import WrongPassphrase

    for attempt in range(1, PASSPHRASE_TRIES + 1):
        try:
            return _unlock_keys()
        except WrongPassphrase:
            left = PASSPHRASE_TRIES - attempt
            if not left:
                _say("Your choices, as a command you can run again:")
                _say(choices.as_command())
                raise
            _say(
                "That passphrase did not unlock your keys. Your choices are kept. "
                f"Try again ({left} {'try' if left == 1 else 'tries'} left)."
            )
    raise AssertionError("unreachable")


def _assign_interactively() -> None:
    from osp_cli.cli.common import require_terminal
    from osp_cli.exchange.assignment import MAX_NOTE
    from osp_cli.exercises.catalogue import builtin_exercises
    from osp_cli.ui import assign_wizard

    info = _public()
    require_terminal("Assigning work step by step")

    def read(path: Path) -> str:
        return _read_custom(path)[0]

    keys: KeyPairs | None = None
    known: list[str] = []
    from osp_cli.inbox.store import exists as inbox_exists
    from osp_cli.ui import prompts

    try:
        # The caseload is encrypted: picking from it means unlocking now, not last.
        if inbox_exists() and prompts.confirm(
            "Pick the participant from your caseload? (This asks your passphrase now.)",
            default=False,
        ):
            from osp_cli.cli.caseload_cmds import unlock_inbox

            keys, store = unlock_inbox()
            known = store.inbox.refs()
        choices = assign_wizard.run(dict(builtin_exercises()), known, read, MAX_NOTE)
    except (KeyboardInterrupt, EOFError):
        from osp_cli.errors import Interrupted

        raise Interrupted("Stopped. No assignment was written.") from None
    if choices is None:
        _say("Nothing was written.")
        return
    built = _build(choices, info)
    _finish(built, choices, keys or _unlock_keeping_choices(choices), info)


def _read_summary(path: Path, keys: KeyPairs) -> tuple[Summary, bytes | None]:
    """The summary in a sealed file and the workbook key that signed it (None: unsigned).
    The sender is not checked here (see :func:`_with_sender`)."""
    from osp_cli.exchange import files, sealed, summary

    blob = files.read_limited(path, MAX_SUMMARY, "a summary")
    pair = pair_for(blob, keys)
    opened = sealed.open_signed(blob, pair.x25519_private, pair.x25519_public)
    return summary.from_bytes(opened.plaintext), opened.signer


def _with_sender(
    store: Pins, found: tuple[Summary, bytes | None], stamp: str, *, accept_new: bool
) -> Summary:
    """The summary with its sender check; a first-seen key is pinned in ``store`` (and,
    with ``accept_new``, a different key replaces the pinned one)."""
    from dataclasses import replace

    result, signer = found
    sender = store.record(result.participant_ref, signer, stamp, accept_new=accept_new)
    return replace(result, sender=sender)


def _refuse_different(result: Summary, path: Path) -> None:
    from osp_cli.errors import DamagedFile
    from osp_cli.exchange.pins import Check
    from osp_cli.ui.safe import clean

    if result.sender is None or result.sender.check is not Check.DIFFERENT_KEY:
        return
    raise DamagedFile(
        f"DIFFERENT KEY: do not rely on this. {_shown(path)} says it is from participant "
        f"{clean(result.participant_ref, multiline=False)[:60]}, but it was signed by a "
        f"workbook key ({result.sender.fingerprint}) that is not the one you have for "
        f"that reference ({result.sender.pinned_fingerprint}). It was not opened.",
        hint="Ask the participant to read you his fingerprint ('osp whoami'). Only if it "
        "matches the new key (he may have a new workbook), open the file again with "
        "--accept-new-key.",
    )


@practitioner_app.command("open")
def open_summary(
    file: Path = typer.Argument(..., help="The sealed summary file."),
    html: Path | None = typer.Option(None, "--html", help="Write a print-ready HTML page."),
    markdown: Path | None = typer.Option(None, "--markdown", help="Write Markdown."),
    json_out: Path | None = typer.Option(None, "--json", help="Write the versioned JSON."),
    accept_new_key: bool = typer.Option(
        False,
        "--accept-new-key",
        help="Open a summary signed by a different workbook key than before, and trust "
        "that key for this participant from now on (check his 'osp whoami' first).",
    ),
    force: bool = typer.Option(
        False, "--force", help="Replace output files that already exist without asking."
    ),
) -> None:
    """Open a participant's sealed summary: in the terminal, or as HTML, Markdown or JSON.

    Every view says whether the summary is signed by the workbook key you have seen
    before for this participant reference ("verified"), by a key seen for the first
    time, or by a DIFFERENT key (then it is not opened unless you accept the new key).

    Example: osp practitioner open osp-summary-2026-05-10.osps --html P-0142.html
    """
    from osp_cli.cli.common import guard_outputs
    from osp_cli.exchange import files
    from osp_cli.report import render

    guard_outputs([html, markdown, json_out], [file], force=force)
    info = _public()
    # Framing and recipient are checked before the passphrase is asked for.
    check_recipient(files.read_limited(file, MAX_SUMMARY, "a summary"), info.x25519_public)
    keys = _unlock_keys()
    from osp_cli.exchange import pins
    from osp_cli.workbook.model import now

    found = _read_summary(file, keys)
    result = files.update_pins(
        pins.store_key(keys.x25519_private),
        lambda store: _with_sender(store, found, now(), accept_new=accept_new_key),
    )
    if not accept_new_key:
        _refuse_different(result, file)
    outputs = [(html, "html"), (markdown, "markdown"), (json_out, "json")]
    wanted = [(path, name) for path, name in outputs if path is not None]
    if not wanted:
        from osp_cli.report.terminal_view import renderable
        from osp_cli.ui import pager
        from osp_cli.ui.console import console

        pager.show(lambda: console().print(renderable(result)), finish=None)
        return
    for path, name in wanted:
        files.write_private(path, render(name, result).encode("utf-8"))
        _say(f"Wrote {name.upper() if name != 'markdown' else 'Markdown'} to {_shown(path)}.")
    _say("These files are not encrypted: store them as your organisation's policy allows.")


@practitioner_app.command()
def evaluation(
    files_in: list[Path] = typer.Argument(
        None, metavar="FILE", help="Sealed summary files (or --inbox, or both)."
    ),
    csv_out: Path | None = typer.Option(None, "--csv", help="Where to write the CSV."),
    inbox: bool = typer.Option(
        False, "--inbox", help="Read the summaries kept in your caseload store as well."
    ),
    table: bool = typer.Option(False, "--table", help="Show the rows as a table on screen."),
    accept_new_key: bool = typer.Option(
        False,
        "--accept-new-key",
        help="Trust a workbook key that differs from the one pinned for a participant "
        "(its rows are still marked).",
    ),
    force: bool = typer.Option(
        False, "--force", help="Replace output files that already exist without asking."
    ),
) -> None:
    """Anonymised evaluation data from many summaries: one CSV row per participant,
    measure and time (check-in ratings, exercise completion, evaluation answers).

    The 'sender' column says whether each row's summary was verified, first seen, signed
    by a DIFFERENT KEY or unverified (unsigned); 'duplicate' marks rows that another
    summary gives differently for the same participant, measure and time.

    Example: osp practitioner evaluation summaries/*.osps --csv evaluation.csv

    Example: osp practitioner evaluation --inbox --table
    """
    from osp_cli.cli.common import guard_outputs
    from osp_cli.errors import DamagedFile, UsageError
    from osp_cli.exchange import files

    files_in = files_in or []
    if not files_in and not inbox:
        raise UsageError("Name summary files, or use --inbox for your caseload store.")
    if csv_out is None and not table:
        raise UsageError("Say where the rows go: --csv FILE, --table, or both.")
    guard_outputs([csv_out], list(files_in), force=force)
    unlocked: tuple[KeyPairs, InboxStore | None]
    if inbox:
        from osp_cli.cli.caseload_cmds import unlock_inbox

        unlocked = unlock_inbox()
    else:
        unlocked = (_unlock_keys(), None)
    # Loaded once the passphrase has been typed, not before its prompt.
    from osp_cli.exchange import pins
    from osp_cli.report import evaluation as streamed
    from osp_cli.workbook.model import now

    keys, store = unlocked
    ready: list[streamed.Ready] = []
    if store is not None:
        checks = {c.value: c for c in pins.Check}
        for received in store.inbox.summaries:
            # The sender check made when it was received (caseload_cmds.verification_of).
            check = checks.get(received.verification, pins.Check.UNSIGNED)
            part = streamed.part_of(received.summary, None, "", keep_rows=table)
            ready.append((part, check.value))
    warned: list[Path] = []
    stamp = now()

    def run(pin_store: pins.Pins) -> streamed.Outcome:
        """Under the pin store's lock: each file's sender is checked (and first-seen keys
        pinned) in the order given, while the rows stream to the CSV."""

        def judge(path: Path, ref: str, signer: bytes | None) -> tuple[str, str]:
            sender = pin_store.record(ref, signer, stamp, accept_new=accept_new_key)
            if sender.check in (pins.Check.DIFFERENT_KEY, pins.Check.UNSIGNED):
                warned.append(path)
            return sender.check.value, sender.fingerprint or ""

        opening = streamed.Keys(keys, dict(_RETIRED))
        if csv_out is None:
            return streamed.gather(files_in, opening, judge, ready=ready)
        return streamed.write_csv(csv_out, files_in, opening, judge, ready=ready, keep_rows=table)

    try:
        if files_in:
            outcome = files.update_pins(pins.store_key(keys.x25519_private), run)
        else:
            outcome = run(pins.Pins())  # the inbox alone: its checks were made on receipt
    except streamed.NothingRead as nothing:
        outcome = nothing.outcome
    from osp_cli.ui.safe import clean

    for path, reason in outcome.skipped:
        typer.echo(f"osp: skipped {_shown(path)}: {clean(reason)}", err=True)
    read = outcome.read
    if not read:
        raise DamagedFile("None of the summaries could be read, so there are no rows.")
    for path in warned[:WARNINGS_SHOWN]:
        typer.echo(
            f"osp: {_shown(path)} is not verified (see the 'sender' column): do not rely "
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
    noun = "summary" if read == 1 else "summaries"
    tail = f"; skipped {len(outcome.skipped)} (listed above)." if outcome.skipped else "."
    if table:
        from osp_cli.report.caseload_view import evaluation_table
        from osp_cli.ui.console import console

        console().print(evaluation_table(outcome.rows_kept))
        _say(f"Rows from {read} {noun}{tail}")
    if csv_out is not None:
        _say(f"Wrote {_shown(csv_out)} from {read} {noun}{tail}")


def _register_caseload() -> None:
    from osp_cli.cli import caseload_cmds

    caseload_cmds.register(practitioner_app)


_register_caseload()
