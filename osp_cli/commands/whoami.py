"""osp whoami: the workbook's own fingerprint, to read aloud to the practitioner (a
workbook made by an older osp gets its signing key now)."""

from __future__ import annotations

from osp_cli.ui.views import say
from osp_cli.workbook import identity
from osp_cli.workbook.service import Workbook


def run(workbook: Workbook) -> None:
    if identity.signing_key(workbook.payload) is None:
        workbook.save(identity.add_signing_key)
    shown = identity.fingerprint(workbook.payload)
    say("Your workbook's fingerprint is:")
    say(f"    {shown}\n", "bold cyan")
    say(
        "If your practitioner asks, read it out to them. It is not secret, and it says "
        "nothing about your answers: it only lets them check that summaries come from you."
    )
