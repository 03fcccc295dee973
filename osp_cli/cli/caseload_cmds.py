"""The practitioner's caseload commands (receive summaries into the encrypted store,
list the caseload, show one participant's history, mark flagged items discussed,
archive): their fronts only, registered on ``osp practitioner`` by practitioner_cmds.
Each body is in osp_cli/commands/practitioner/ (see osp_cli/cli/front.py).

Before the passphrase is asked for, each front checks that there are keys and (but for
receive, which makes it) a caseload store.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from osp_cli import limits
from osp_cli.cli import front
from osp_cli.errors import OspError, UserError
from osp_cli.exchange import files
from osp_cli.inbox import location
from osp_cli.ui.safe import clean, path_text

#: The practitioner passphrase prompt (practitioner_cmds asks with it too).
PROMPT = "Practitioner passphrase: "


def unlocking(name: str, *, create: bool = False) -> tuple[Any, str]:
    """The light checks before the passphrase (keys, and the store unless ``create``),
    then the passphrase, read while the body of ``practitioner.<name>`` loads."""
    files.existing_key_file()
    if not create:
        location.require()
    body, passphrase = front.with_secret(f"practitioner.{name}", PROMPT)
    return body, passphrase


def receive(
    files_in: list[Path] = typer.Argument(..., metavar="FILE...", help="Sealed summary files."),
) -> None:
    """Keep summaries in your encrypted caseload store (next to your keys).

    The same summary received twice is stored once. Afterwards 'osp practitioner
    caseload' lists every participant, whoever needs attention first.

    Example: osp practitioner receive summaries/*.osps
    """
    files.existing_key_file()
    blobs: list[tuple[Path, bytes]] = []
    skipped: list[tuple[Path, str]] = []
    for path in files_in:
        try:
            blobs.append((path, files.read_limited(path, limits.SEALED_SUMMARY_BYTES, "a summary")))
        except OspError as error:
            skipped.append((path, error.message))
    if not blobs:
        for path, reason in skipped:
            typer.echo(f"osp: skipped {path_text(path)}: {clean(reason)}", err=True)
        raise UserError("None of the files could be read, so nothing was stored.")
    body, passphrase = unlocking("receive", create=True)
    body.run(passphrase=passphrase, blobs=blobs, skipped=skipped)


def caseload() -> None:
    """List your participants, one line each, whoever needs attention first.

    Each line: the last summary and its session, the next session, flagged items not yet
    discussed, the highest check-in since the last session, a yes to the self-harm
    question, and whether the summary's key is verified.

    Example: osp practitioner caseload
    """
    body, passphrase = unlocking("caseload")
    body.run(passphrase=passphrase)


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
    body, passphrase = unlocking("show")
    body.run(passphrase=passphrase, ref=ref, html=html)


def discussed(
    ref: str = typer.Argument(..., help="The participant's reference."),
    item: int = typer.Argument(..., min=1, help="The item's number in 'show REF'."),
) -> None:
    """Mark a flagged item as discussed, with a short private note.

    The note stays in your caseload store. It is never sent to the participant.

    Example: osp practitioner discussed P-0412 2
    """
    body, passphrase = unlocking("discussed")
    body.run(passphrase=passphrase, ref=ref, item=item)


def archive(
    ref: str = typer.Argument(..., help="The participant's reference."),
) -> None:
    """Remove everything for one participant from your caseload store, for good.

    His summaries and your notes are removed, and the older copies of the store that held
    them are destroyed. You type the reference to confirm.

    Example: osp practitioner archive P-0412
    """
    body, passphrase = unlocking("archive")
    body.run(passphrase=passphrase, ref=ref)


def register(app: typer.Typer) -> None:
    app.command()(receive)
    app.command()(caseload)
    app.command()(show)
    app.command()(discussed)
    app.command()(archive)
