"""The practitioner's commands (keys, signed assignments, opening summaries, evaluation
data): their fronts only, with the options and help and the light first steps. Each
body is in osp_cli/commands/practitioner/ (see osp_cli/cli/front.py); the caseload
commands' fronts are in caseload_cmds.py.

The key file is checked to exist before the passphrase is asked for; it is read, with
the summary or assignment's heavier checks, while and after the passphrase is typed.
"""

from __future__ import annotations

from pathlib import Path

import typer

from osp_cli import dates, limits
from osp_cli.cli import caseload_cmds, front
from osp_cli.cli.caseload_cmds import PROMPT
from osp_cli.errors import UsageError, UserError
from osp_cli.exchange import files
from osp_cli.inbox import location
from osp_cli.ui.lines import say

practitioner_app = typer.Typer(
    help="For practitioners: keys, signed assignments, summaries, your caseload, evaluation data.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@practitioner_app.command()
def init() -> None:
    """Create your key pairs (to receive summaries and to sign assignments).

    The private keys are stored encrypted under a passphrase you choose. The fingerprint
    shown at the end is what you read aloud to each participant at their first session.

    Example: osp practitioner init
    """
    if files.key_file().exists():
        raise UserError(
            "Practitioner keys already exist on this computer.",
            hint="Run 'osp practitioner whoami' to see the fingerprint.",
        )
    say("Choose a passphrase for your practitioner keys. Nothing shows while you type.")
    # The same choosing as 'osp init' (loaded here only: its module brings the
    # confidentiality wording, which no other practitioner command needs).
    passphrase = front.module("osp_cli.cli.new_workbook").choose_passphrase(
        (front.body_name("practitioner.init"),),
        prompt="New practitioner passphrase: ",
        refusal="No passphrase was set, so no keys were made.",
    )
    front.command("practitioner.init").run(passphrase=passphrase)


@practitioner_app.command()
def whoami() -> None:
    """Show your key fingerprint (to read aloud to a participant). No passphrase needed.

    Example: osp practitioner whoami
    """
    files.existing_key_file()
    front.command("practitioner.whoami").run()


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
    front.guard_outputs([out], force=force)
    files.existing_key_file()
    body, passphrase = front.with_secret("practitioner.rotate", PROMPT)
    body.run(passphrase=passphrase, out=out)


def checked_next_session(text: str) -> str:
    """The next-session date, checked: an impossible date is refused with its own
    message; a date in the past is questioned (refused when no one can answer)."""
    value, problem = dates.check_new_date(text, "The next session date (--next-session)")
    if value is None:
        raise UsageError(problem or "The next session date is not a date.")
    if dates.is_past(value):
        shown = dates.day(value.isoformat())
        if not front.has_terminal():
            raise UserError(
                f"The next session date, {shown}, is in the past.",
                hint="Check the date; give a date from today on.",
            )
        question = f"The next session date, {shown}, is in the past. Use it anyway?"
        if not front.module("osp_cli.ui.prompts").confirm(question):
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
    if not exercise and not custom:
        files.existing_key_file()
        front.require_terminal("Assigning work step by step")
        front.command("practitioner.assign").run_step_by_step()
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
    next_session = checked_next_session(next_session)
    front.guard_outputs([out], list(custom), force=force)
    files.existing_key_file()
    for path in custom:  # there and not too large; its contents are checked with the keys
        files.read_limited(path, limits.CUSTOM_EXERCISE_BYTES, "an exercise file")
    body, passphrase = front.with_secret("practitioner.assign", PROMPT)
    body.run(
        passphrase=passphrase,
        participant=participant,
        session=session,
        exercises=exercise,
        custom=custom,
        next_session=next_session,
        note=note,
        out=out,
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
    front.guard_outputs([html, markdown, json_out], [file], force=force)
    files.existing_key_file()
    blob = files.read_limited(file, limits.SEALED_SUMMARY_BYTES, "a summary")
    body, passphrase = front.with_secret("practitioner.open", PROMPT)
    body.run(
        passphrase=passphrase,
        file=file,
        blob=blob,
        html=html,
        markdown=markdown,
        json_out=json_out,
        accept_new_key=accept_new_key,
    )


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
    files_in = files_in or []
    if not files_in and not inbox:
        raise UsageError("Name summary files, or use --inbox for your caseload store.")
    if csv_out is None and not table:
        raise UsageError("Say where the rows go: --csv FILE, --table, or both.")
    front.guard_outputs([csv_out], list(files_in), force=force)
    files.existing_key_file()
    if inbox:
        location.require()
    body, passphrase = front.with_secret("practitioner.evaluation", PROMPT)
    body.run(
        passphrase=passphrase,
        files_in=files_in,
        csv_out=csv_out,
        inbox=inbox,
        table=table,
        accept_new_key=accept_new_key,
    )


caseload_cmds.register(practitioner_app)
