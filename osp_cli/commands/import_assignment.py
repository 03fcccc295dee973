"""osp import FILE: the signed assignment (or key hand-over) from the practitioner, into
the open workbook. The front has read the file and looked at its first bytes only;
here the signature is verified before anything else in it is read.

Also what the home screen uses to offer and import a waiting assignment file:
:func:`waiting_assignments`, :func:`read_assignment` and :func:`run_import`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from osp_cli import crypto, dates, limits
from osp_cli.cli.front import require_terminal
from osp_cli.errors import DamagedFile, OspError, UserError
from osp_cli.exchange import assignment, files, handover
from osp_cli.exchange.assignment import Assignment, ForeignSigner
from osp_cli.exchange.handover import Handover
from osp_cli.exercises.files import builtin_ids
from osp_cli.ui import prompts, safe
from osp_cli.ui.console import console
from osp_cli.ui.views import say
from osp_cli.workbook import model
from osp_cli.workbook.identity import add_signing_key
from osp_cli.workbook.model import Payload
from osp_cli.workbook.service import Workbook


def _rejected(message: str, hint: str | None = None) -> DamagedFile:
    return DamagedFile(message, hint=hint or "Nothing was changed in your workbook.")


def check_against(payload: Payload, a: Assignment) -> bool:
    """Raise if ``a`` cannot be imported into ``payload``; False if it is already there."""
    pinned = payload.practitioner
    if pinned:  # noqa: SIM102 - the pinned key is read only when there is one
        if (
            crypto.b64d(pinned.ed25519) != a.ed25519_public
            or crypto.b64d(pinned.x25519) != a.x25519_public
        ):
            raise ForeignSigner(
                "This assignment was signed by a different practitioner key from the one "
                "your workbook trusts, so it was not imported.",
                hint="Check with your practitioner. Do not use files from anyone else.",
            )
    ref = payload.participant_ref
    if ref and ref != a.participant_ref:
        raise _rejected(
            "This assignment is for a different participant reference, so it was not imported.",
            "Check with your practitioner that you have the right file.",
        )
    earlier = payload.assignments
    if any(e.id == a.id for e in earlier):
        return False
    newest = max((e.sequence for e in earlier), default=0)
    if a.sequence <= newest:
        raise _rejected(
            "This assignment is older than one you have already imported, so it was not "
            "imported again.",
            "Use the newest file your practitioner gave you.",
        )
    return True


def checked(raw: bytes) -> Assignment:
    """The assignment in ``raw``: its signature verified before anything else in it is
    read (``assignment.decode``), then its custom exercises checked against ours."""
    a = assignment.decode(raw)
    clash = sorted(set(a.custom_exercises) & set(builtin_ids()))
    if clash:
        raise _rejected("This assignment's custom exercise clashes with a built-in exercise.")
    return a


def read_assignment(file: Path) -> Assignment:
    """A signed assignment file, checked (signature first) before anything else is read."""
    return checked(files.read_limited(file, limits.ASSIGNMENT_FILE_BYTES, "an assignment"))


def waiting_assignments(workbook: Workbook, folders: list[Path] | None = None) -> list[Path]:
    """Assignment files (``*.ospa``) in this folder or Downloads not yet imported."""
    if folders is None:
        folders = [Path.cwd(), Path.home() / "Downloads"]
    found: list[Path] = []
    for folder in folders:
        try:
            candidates = sorted(folder.glob("*.ospa"))[:20]
        except OSError:
            continue
        for path in candidates:
            try:
                if check_against(workbook.payload, read_assignment(path)):
                    found.append(path)
            except (OspError, OSError, ValueError):  # one that does not read is not offered
                continue
    return found


def _import_change(a: Assignment, fingerprint: str) -> Callable[[Payload], None]:
    def change(payload: Payload) -> None:
        if not check_against(payload, a):
            return
        add_signing_key(payload)  # a workbook made by an older osp gets its key now
        pin = model.PractitionerPin(
            x25519=crypto.b64e(a.x25519_public),
            ed25519=crypto.b64e(a.ed25519_public),
            fingerprint=fingerprint,
            pinned=model.now(),
        )
        record = model.ImportedAssignment(
            id=a.id,
            sequence=a.sequence,
            issued=a.issued,
            session=a.session,
            exercises=tuple(a.exercises),
            due=a.next_session,
            next_session=a.next_session,
            note=a.note,
            imported=model.now(),
        )
        model.add_assignment(record, pin, a.participant_ref, a.custom_exercises)(payload)

    return change


def run_import(workbook: Workbook, a: Assignment, *, from_home: bool = False) -> None:
    """Import a checked assignment into an unlocked workbook (also the home screen's,
    which shows it next, so it does not point to 'osp')."""
    if not check_against(workbook.payload, a):
        say("You have already imported this assignment. Nothing has changed.")
        return
    if not workbook.payload.practitioner:
        require_terminal("Checking your practitioner's fingerprint")
        say("\nThis is the first assignment from your practitioner.", "bold")
        say("Their fingerprint is:")
        say(f"    {a.fingerprint}\n", "bold cyan")
        say(
            "Your practitioner read a fingerprint out to you. Check it is exactly the same. "
            "From now on, osp accepts assignments only from this practitioner."
        )
        if not prompts.confirm("Does it match what your practitioner read out?", default=False):
            raise UserError(
                "Nothing was imported, because the fingerprint was not confirmed.",
                hint="Check with your practitioner before importing this file.",
            )
    workbook.save(_import_change(a, a.fingerprint))
    titles = {}
    try:
        known = workbook.exercises()
        titles = {i: known[i].title for i in a.exercises if i in known}
    except Exception:
        titles = {}
    out = console()
    say(f"\nImported your personal work for session {a.session}.", "bold green")
    for exercise_id in a.exercises:
        line = safe.text("  - " + titles.get(exercise_id, exercise_id))
        line.append(f"   (osp do {exercise_id})", style="dim")
        out.print(line)
    say(f"Next session: {dates.day(a.next_session)}")
    if a.note:
        note = safe.text("Note from your practitioner: ")
        note.append_text(safe.text(a.note))
        out.print(note)
    if not from_home:
        say("Run 'osp' to see it on your home screen.")


def run_handover(workbook: Workbook, h: Handover) -> None:
    """Trust the practitioner's new key, after he has seen both fingerprints: only a
    hand-over signed by the key his workbook already trusts is accepted."""
    pinned = workbook.payload.practitioner
    if pinned is None:
        raise UserError(
            "This is a practitioner's key hand-over, but your workbook does not trust a "
            "practitioner key yet, so there is nothing to hand over.",
            hint="Import the assignment file from your practitioner first.",
        )
    if crypto.b64d(pinned.ed25519) == h.new_ed25519:
        say("Your workbook already trusts this new key. Nothing has changed.")
        return
    if crypto.b64d(pinned.ed25519) != h.old_ed25519 or crypto.b64d(pinned.x25519) != h.old_x25519:
        raise ForeignSigner(
            "This hand-over was not signed by the practitioner key your workbook trusts, "
            "so nothing was changed.",
            hint="Check with your practitioner. Do not use files from anyone else.",
        )
    require_terminal("Checking your practitioner's new fingerprint")
    say("\nYour practitioner has a new key.", "bold")
    say("The fingerprint you checked before:")
    say(f"    {h.old_fingerprint}", "bold cyan")
    say("Their new fingerprint:")
    say(f"    {h.new_fingerprint}\n", "bold cyan")
    say(
        "This change is signed with the key you already trust. Check the new fingerprint "
        "with your practitioner (they can read it to you). From now on, osp accepts "
        "assignments only from the new key, and seals your summaries to it."
    )
    if not prompts.confirm("Does the new fingerprint match what your practitioner read out?"):
        raise UserError(
            "Nothing was changed, because the new fingerprint was not confirmed.",
            hint="Check with your practitioner before importing this file.",
        )

    def change(payload: Payload) -> None:
        current = payload.practitioner
        if current is None or crypto.b64d(current.ed25519) != h.old_ed25519:
            return  # changed meanwhile by another osp: leave it
        payload.practitioner = model.PractitionerPin(
            x25519=crypto.b64e(h.new_x25519),
            ed25519=crypto.b64e(h.new_ed25519),
            fingerprint=h.new_fingerprint,
            pinned=model.now(),
        )

    workbook.save(change)
    say("Your workbook now trusts your practitioner's new key.", "bold green")


def run(*, workbook: Workbook, raw: bytes) -> None:
    """``raw``: the file's bytes, which the front has only looked at the start of."""
    if handover.is_handover(raw):
        run_handover(workbook, handover.decode(raw))
        return
    run_import(workbook, checked(raw))
