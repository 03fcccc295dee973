"""The fronts of the participant's side of the exchange with the practitioner: import,
export and whoami. Options, help and the light first steps only; each body is in
osp_cli/commands/ (see osp_cli/cli/front.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from osp_cli import limits
from osp_cli.cli import front
from osp_cli.errors import DamagedFile
from osp_cli.exchange import files
from osp_cli.exchange.frame import ASSIGNMENT_MAGIC, HANDOVER_MAGIC, SIGNED_MIN

if TYPE_CHECKING:
    from osp_cli.exchange.assignment import Assignment
    from osp_cli.workbook.service import Workbook


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


# For the home screen until it uses osp_cli.commands.import_assignment and
# osp_cli.commands.export itself.


def waiting_assignments(workbook: Workbook, folders: list[Path] | None = None) -> list[Path]:
    found: list[Path] = front.command("import_assignment").waiting_assignments(workbook, folders)
    return found


def _read_assignment(file: Path) -> Assignment:
    a: Assignment = front.command("import_assignment").read_assignment(file)
    return a


def run_import(workbook: Workbook, a: Assignment, *, from_home: bool = False) -> None:
    front.command("import_assignment").run_import(workbook, a, from_home=from_home)


def run_export(workbook: Workbook) -> Path | None:
    written: Path | None = front.command("export").run_export(workbook)
    return written


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
