"""The fronts of the participant's side of the exchange with the practitioner: import,
export and whoami. Options, help and the light first steps only; each body is in
osp_cli/commands/ (see osp_cli/cli/front.py).
"""

from __future__ import annotations

from pathlib import Path

import typer

from osp_cli import limits
from osp_cli.cli import front
from osp_cli.errors import DamagedFile
from osp_cli.exchange import files
from osp_cli.exchange.frame import ASSIGNMENT_MAGIC, HANDOVER_MAGIC, SIGNED_MIN


def import_assignment(
    file: Path = typer.Argument(..., help="The assignment file from your practitioner."),
) -> None:
    """Import the signed assignment file your practitioner gave you.

    The first time, osp shows your practitioner's fingerprint and asks you to check it
    matches what they read out. After that, only files signed by them are accepted.

    Example: osp import session-2.ospa
    """
    raw = files.read_limited(file, limits.ASSIGNMENT_FILE_BYTES, "an assignment")
    # Only its first bytes are looked at before the passphrase: the signature is
    # verified once the workbook is open, before anything else in the file is read.
    if len(raw) < SIGNED_MIN or not raw.startswith((ASSIGNMENT_MAGIC, HANDOVER_MAGIC)):
        raise DamagedFile(
            "This assignment file cannot be used: it is not an osp assignment, "
            "or it has been cut short.",
            hint="Ask your practitioner for a fresh copy of the assignment file.",
        )
    body, workbook = front.unlocked("import_assignment")
    body.run(workbook=workbook, raw=raw)


def export(
    out: Path | None = typer.Option(
        None, "--out", help="Where to save the sealed summary (default: a dated file here)."
    ),
    markdown: Path | None = typer.Option(
        None, "--markdown", help="Also write an UNENCRYPTED Markdown copy (asks first)."
    ),
    html: Path | None = typer.Option(
        None, "--html", help="Also write an UNENCRYPTED HTML copy (asks first)."
    ),
    force: bool = typer.Option(
        False, "--force", help="Replace output files that already exist without asking."
    ),
) -> None:
    """Make a sealed summary that only your practitioner can open.

    You choose what goes in, can add a note, and see a preview first.

    Example: osp export --out session-3-summary.osps
    """
    front.require_terminal("Exporting a summary")
    front.guard_outputs([out, markdown, html], force=force)
    body, workbook = front.unlocked("export")
    body.run(workbook=workbook, out=out, markdown=markdown, html=html)


def whoami() -> None:
    """Show your workbook's fingerprint, to read aloud to your practitioner.

    Every summary you export is signed with your workbook's own key. Your practitioner
    can check it came from you when they open it. Reading this fingerprint to them in
    a session lets them check the key is really yours.

    Example: osp whoami
    """
    body, workbook = front.unlocked("whoami")
    body.run(workbook)


def register(app: typer.Typer) -> None:
    app.command("import")(import_assignment)
    app.command("export")(export)
    app.command("whoami")(whoami)
