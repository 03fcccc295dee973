"""The participant's side of the exchange with the practitioner: import and export.

Only Typer and the standard library are imported at module level (``osp --help`` stays
fast); everything else is imported inside the commands.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from osp_cli.ui.safe import path_text as _shown

if TYPE_CHECKING:
    from osp_cli.exchange.assignment import Assignment
    from osp_cli.exchange.summary import Summary
    from osp_cli.workbook.model import Payload
    from osp_cli.workbook.service import Workbook


def _say(text: str, style: str = "") -> None:
    """Our own wording (never markup); plain mode drops the style."""
    from osp_cli.ui.views import say

    say(text, style)


# --- import ------------------------------------------------------------------------------


def _rejected(message: str, hint: str | None = None) -> Exception:
    from osp_cli.errors import DamagedFile

    return DamagedFile(message, hint=hint or "Nothing was changed in your workbook.")


def _check_against(payload: Payload, a: Assignment) -> bool:
    """Raise if ``a`` cannot be imported into ``payload``; False if it is already there."""
    from osp_cli import crypto
    from osp_cli.exchange.assignment import ForeignSigner

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


def _import_change(a: Assignment, fingerprint: str) -> Any:
    from osp_cli import crypto
    from osp_cli.workbook import model
    from osp_cli.workbook.identity import add_signing_key

    def change(payload: Payload) -> None:
        if not _check_against(payload, a):
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


def _import_handover(h: Any) -> None:
    """Trust the practitioner's new key, after he has seen both fingerprints: only a
    hand-over signed by the key his workbook already trusts is accepted."""
    from osp_cli import crypto
    from osp_cli.cli.common import require_terminal, unlock
    from osp_cli.errors import UserError
    from osp_cli.exchange.assignment import ForeignSigner
    from osp_cli.ui import prompts
    from osp_cli.workbook import model

    workbook = unlock()
    pinned = workbook.payload.practitioner
    if pinned is None:
        raise UserError(
            "This is a practitioner's key hand-over, but your workbook does not trust a "
            "practitioner key yet, so there is nothing to hand over.",
            hint="Import the assignment file from your practitioner first.",
        )
    if crypto.b64d(pinned.ed25519) == h.new_ed25519:
        _say("Your workbook already trusts this new key. Nothing has changed.")
        return
    if crypto.b64d(pinned.ed25519) != h.old_ed25519 or crypto.b64d(pinned.x25519) != h.old_x25519:
        raise ForeignSigner(
            "This hand-over was not signed by the practitioner key your workbook trusts, "
            "so nothing was changed.",
            hint="Check with your practitioner. Do not use files from anyone else.",
        )
    require_terminal("Checking your practitioner's new fingerprint")
    _say("\nYour practitioner has a new key.", "bold")
    _say("The fingerprint you checked before:")
    _say(f"    {h.old_fingerprint}", "bold cyan")
    _say("Their new fingerprint:")
    _say(f"    {h.new_fingerprint}\n", "bold cyan")
    _say(
        "This change is signed with the key you already trust. Check the new fingerprint "
        "with your practitioner (they can read it to you). From now on, osp accepts "
        "assignments only from the new key, and seals your summaries to it."
    )
    if not prompts.confirm("Does the new fingerprint match what your practitioner read out?"):
        raise UserError(
            "Nothing was changed, because the new fingerprint was not confirmed.",
            hint="Check with your practitioner before importing this file.",
        )

    def change(payload: model.Payload) -> None:
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
    _say("Your workbook now trusts your practitioner's new key.", "bold green")


def import_assignment(
    file: Path = typer.Argument(..., help="The assignment file from your practitioner."),
) -> None:
    """Import the signed assignment file your practitioner gave you.

    The first time, osp shows your practitioner's fingerprint and asks you to check it
    matches what they read out. After that, only files signed by them are accepted.

    Example: osp import session-2.ospa
    """
    from osp_cli.cli.common import unlock
    from osp_cli.exchange import assignment, files, handover

    raw = files.read_limited(file, assignment.MAX_FILE, "an assignment")
    if handover.is_handover(raw):
        _import_handover(handover.decode(raw))
        return
    # The signature is verified before anything else in the file is read.
    a = _checked(assignment.decode(raw))
    run_import(unlock(), a)


def _read_assignment(file: Path) -> Assignment:
    """A signed assignment file, checked (signature first) before anything else is read."""
    from osp_cli.exchange import assignment, files

    return _checked(
        assignment.decode(files.read_limited(file, assignment.MAX_FILE, "an assignment"))
    )


def _checked(a: Assignment) -> Assignment:
    from osp_cli.exercises.files import builtin_ids

    clash = sorted(set(a.custom_exercises) & set(builtin_ids()))
    if clash:
        raise _rejected("This assignment's custom exercise clashes with a built-in exercise.")
    return a


def waiting_assignments(workbook: Workbook, folders: list[Path] | None = None) -> list[Path]:
    """Assignment files (``*.ospa``) in this folder or Downloads not yet imported."""
    from osp_cli.errors import OspError

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
                if _check_against(workbook.payload, _read_assignment(path)):
                    found.append(path)
            except (OspError, OSError, ValueError):  # one that does not read is not offered
                continue
    return found


def run_import(workbook: Workbook, a: Assignment, *, from_home: bool = False) -> None:
    """Import a checked assignment into an unlocked workbook (also the home screen's,
    which shows it next, so it does not point to 'osp')."""
    from osp_cli import dates
    from osp_cli.cli.common import require_terminal
    from osp_cli.errors import UserError
    from osp_cli.ui import prompts, safe
    from osp_cli.ui.console import console

    if not _check_against(workbook.payload, a):
        _say("You have already imported this assignment. Nothing has changed.")
        return
    if not workbook.payload.practitioner:
        require_terminal("Checking your practitioner's fingerprint")
        _say("\nThis is the first assignment from your practitioner.", "bold")
        _say("Their fingerprint is:")
        _say(f"    {a.fingerprint}\n", "bold cyan")
        _say(
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
    _say(f"\nImported your personal work for session {a.session}.", "bold green")
    for exercise_id in a.exercises:
        line = safe.text("  - " + titles.get(exercise_id, exercise_id))
        line.append(f"   (osp do {exercise_id})", style="dim")
        out.print(line)
    _say(f"Next session: {dates.day(a.next_session)}")
    if a.note:
        note = safe.text("Note from your practitioner: ")
        note.append_text(safe.text(a.note))
        out.print(note)
    if not from_home:
        _say("Run 'osp' to see it on your home screen.")


# --- export ------------------------------------------------------------------------------


def _started(workbook: Workbook) -> list[str]:
    from osp_cli.workbook import model

    ids = []
    for exercise_id in workbook.exercises():
        state = model.exercise_state(workbook.payload, exercise_id)
        if state and any(e.answers or e.reflection or e.completed for e in state.entries):
            ids.append(exercise_id)
    return ids


def _new_since_export(workbook: Workbook, ids: list[str]) -> list[str]:
    from osp_cli.workbook import model

    since = model.last_export_time(workbook.payload)
    if since is None:
        return ids
    return [
        i
        for i in ids
        if (state := model.exercise_state(workbook.payload, i)) and state.updated > since
    ]


CHECKINS, PLAN = "<check-ins>", "<plan>"  # not exercise ids (ids never contain "<")


def _choose(workbook: Workbook) -> tuple[list[str], dict[str, list[int]]] | None:
    """The exercise ids to export, plus CHECKINS and PLAN when those are to go in too,
    and for repeatable exercises the entry numbers to share; None to export nothing."""
    from osp_cli.ui import prompts

    started = _started(workbook)
    fresh = _new_since_export(workbook, started)
    everything = "Everything" if not workbook.payload.exports else "Everything new"
    count = f"{len(fresh)} exercise{'s' if len(fresh) != 1 else ''}"
    choice = prompts.choose(
        "What would you like to include in your summary?",
        [
            (f"{everything} since your last export ({count}), with your check-ins and plan", "new"),
            ("Let me choose the sessions and exercises", "choose"),
            ("Cancel: export nothing", "cancel"),
        ],
    )
    if choice == "cancel":
        return None
    exercises = workbook.exercises()
    if choice == "new":
        entries = {
            i: _new_entries(workbook, i)
            for i in fresh
            if i in exercises and exercises[i].repeatable
        }
        return [*fresh, CHECKINS, PLAN], entries
    picked = _choose_each(workbook, started, fresh)
    entries = _entries_to_share(workbook, picked)
    # A repeatable exercise with no entry ticked is left out.
    return [
        i for i in picked if i not in exercises or not exercises[i].repeatable or i in entries
    ], entries


def _new_entries(workbook: Workbook, exercise_id: str) -> list[int]:
    """A repeatable exercise's entries changed since the last export (all, before any)."""
    from osp_cli.workbook import model

    state = model.exercise_state(workbook.payload, exercise_id)
    if state is None:
        return []
    since = model.last_export_time(workbook.payload) or ""
    return [entry.number for entry in state.entries if entry.updated > since]


def _entries_to_share(workbook: Workbook, chosen: list[str]) -> dict[str, list[int]]:
    """For each chosen repeatable exercise with more than one entry: which entries to
    share (the new ones ticked at first); an exercise with none ticked is not named."""
    from osp_cli import dates
    from osp_cli.ui.pick import pick_many
    from osp_cli.ui.safe import clean
    from osp_cli.workbook import model

    exercises = workbook.exercises()
    picked: dict[str, list[int]] = {}
    for exercise_id in chosen:
        exercise = exercises.get(exercise_id)
        state = model.exercise_state(workbook.payload, exercise_id)
        if exercise is None or not exercise.repeatable or state is None:
            continue
        new = set(_new_entries(workbook, exercise_id)) or {state.current.number}
        if len(state.entries) == 1:
            picked[exercise_id] = [state.current.number]
            continue
        options = [
            (
                clean(
                    f"Entry {entry.number}: {dates.day_and_time(entry.started)}"
                    + ("" if entry.completed else " (not finished)"),
                    multiline=False,
                ),
                str(entry.number),
                entry.number in new,
            )
            for entry in state.newest_first()
        ]
        title = clean(exercise.title, multiline=False)[:60]
        numbers = pick_many(f"Which entries of '{title}' would you like to share?", options)
        if numbers:
            picked[exercise_id] = sorted(int(n) for n in numbers)
    return picked


def _choose_each(workbook: Workbook, started: list[str], fresh: list[str]) -> list[str]:
    from osp_cli.ui.pick import pick_many
    from osp_cli.ui.safe import clean
    from osp_cli.workbook import progress

    exercises = workbook.exercises()
    options = []
    for exercise_id in started:
        exercise = exercises[exercise_id]
        status = progress.status_of(exercise, workbook.payload)
        title = clean(
            f"{exercise.session_label} · {exercise.title} ({status.label})", multiline=False
        )
        options.append((title[:100], exercise_id, exercise_id in fresh))
    options.append(("My check-ins (ratings and notes)", CHECKINS, True))
    options.append(("My plan (built from all my answers)", PLAN, True))
    return pick_many("What would you like to include?", options)


def _findings(summary: Summary, workbook: Workbook) -> list[tuple[str, str, str, str]]:
    """(exercise id, question id, where, what) for text that looks identifying."""
    from osp_cli.exchange.identifying import find_identifying

    titles = {e.id: e.title for e in summary.exercises}
    prompts_ = {(e.id, q.id): q.prompt for e in summary.exercises for q in e.questions}
    found = []
    for exercise_id, question_id, text in summary.texts():
        for finding in find_identifying(text):
            if question_id == "note":
                where = "your note to your practitioner"
            elif question_id == "check-in":
                where = "a check-in note"
            elif question_id == "_reflection":
                where = f"{titles.get(exercise_id, exercise_id)}: your closing reflection"
            else:
                prompt = prompts_.get((exercise_id, question_id), question_id)
                where = f"{titles.get(exercise_id, exercise_id)}: {prompt}"
            found.append(
                (exercise_id, question_id, where, f"{finding.description}: {finding.match}")
            )
    return found


def _fits_limits(summary: Summary) -> bool:
    """Say what is too long to send (osp_cli/limits.py), if anything. Nothing is cut."""
    from osp_cli import limits
    from osp_cli.exchange.summary import over_limits

    found = over_limits(summary)
    for exercise_id, question_id, problem in found:
        _say(f"  - {problem}.")
        if exercise_id and question_id != "check-in":
            _say(f"    Shorten it with: osp edit {exercise_id} {question_id}")
        elif question_id == "note":
            _say("    Write a shorter note when you export again.")
    if found:
        _say("Some of what you wrote is too long to send. Nothing was exported.", "bold yellow")
        return False
    size = len(summary.to_bytes())
    if size > limits.SUMMARY_BYTES:
        _say(
            f"This summary is too large to send in one go ({size / 1_048_576:.1f} MB; "
            f"up to {limits.SUMMARY_BYTES // 1_048_576} MB). Nothing was exported. Export "
            "again and choose 'Let me choose', with fewer exercises each time.",
            "bold yellow",
        )
        return False
    return True


def _edit_answers(workbook: Workbook, findings: list[tuple[str, str, str, str]]) -> bool:
    """Let him change each flagged answer now. False if that is not possible here."""
    try:
        from osp_cli.ui import flow
        from osp_cli.workbook.runner import Runner
    except ImportError:  # pragma: no cover - the walkthrough is part of osp
        return False
    seen = set()
    for exercise_id, question_id, _where, _what in findings:
        if not exercise_id or question_id.startswith("_") or (exercise_id, question_id) in seen:
            continue
        seen.add((exercise_id, question_id))
        exercise = workbook.exercise(exercise_id)
        flow.edit_one(Runner(workbook, exercise), exercise.question(question_id))
    return True


def _default_path(today: _dt.date | None = None) -> Path:
    today = today or _dt.date.today()
    base = Path.cwd() / f"osp-summary-{today.isoformat()}.osps"
    candidate, n = base, 2
    while candidate.exists():
        candidate = base.with_name(f"osp-summary-{today.isoformat()}-{n}.osps")
        n += 1
    return candidate


def run_export(
    workbook: Workbook,
    out: Path | None = None,
    markdown: Path | None = None,
    html: Path | None = None,
) -> Path | None:
    """The export conversation on an unlocked workbook (also the home screen's 'export').

    Returns where the sealed summary was written, or None when nothing was exported."""
    from osp_cli import __version__, crypto, limits, messages
    from osp_cli.cli.common import require_terminal
    from osp_cli.errors import UserError
    from osp_cli.exchange import files, sealed
    from osp_cli.exchange import summary as summary_mod
    from osp_cli.report import render
    from osp_cli.report.terminal_view import renderable
    from osp_cli.ui import prompts, safe
    from osp_cli.ui.console import console
    from osp_cli.workbook import model

    require_terminal("Exporting a summary")
    pinned = workbook.payload.practitioner
    if not pinned:
        raise UserError(
            "There is no practitioner key in your workbook yet, so there is no one to seal "
            "a summary for.",
            hint="Import the assignment file from your practitioner first: osp import FILE",
        )
    recipient = crypto.b64d(pinned.x25519)
    picked = _choose(workbook)
    if picked is None:
        _say("Nothing was exported.")
        return None
    chosen, entries = picked
    out_console = console()
    _say(messages.NO_NAMES)
    note = prompts.ask_line(
        "A note for your practitioner (optional, press Enter to skip):", limit=limits.NOTE_CHARS
    )
    while True:
        summary = summary_mod.build(
            workbook.payload,
            workbook.exercises(),
            [item for item in chosen if item not in (CHECKINS, PLAN)],
            note,
            osp_version=__version__,
            include_checkins=CHECKINS in chosen,
            include_plan=PLAN in chosen,
            entries=entries,
        )
        findings = _findings(summary, workbook)
        if not findings:
            break
        _say("\nSome of what you wrote might identify someone:", "bold yellow")
        for _eid, _qid, where, what in findings:
            line = safe.text(f"  - {where}", multiline=False)
            line.append("\n      looks like ")
            line.append_text(safe.text(what, multiline=False))
            out_console.print(line)
        _say(messages.NO_NAMES)
        only_note = all(qid == "note" for _e, qid, _w, _x in findings)
        options = [
            ("Change my note" if only_note else "Go back and change them", "edit"),
            ("They are fine: carry on", "keep"),
            ("Cancel: export nothing", "cancel"),
        ]
        choice = prompts.choose("What would you like to do?", options)
        if choice == "cancel":
            _say("Nothing was exported.")
            return None
        if choice == "keep":
            break
        if any(qid == "note" for _e, qid, _w, _x in findings):
            note = prompts.ask_line(
                "Your note for your practitioner:", default=note, limit=limits.NOTE_CHARS
            )
        answers = [f for f in findings if f[0] and not f[1].startswith("_")]
        if answers and not _edit_answers(workbook, answers):
            for exercise_id, question_id, _w, _x in answers:
                _say(f"  osp edit {exercise_id} {question_id}")
            _say("Nothing was exported. Change those answers, then export again.")
            return None
        others = [f for f in findings if f[1] in ("_reflection", "check-in")]
        if others:
            reflections = sorted({e for e, qid, _w, _x in others if qid == "_reflection"})
            if reflections:
                _say("Change your closing reflection with:")
                for exercise_id in reflections:
                    _say(f"  osp edit {exercise_id} _reflection")
            if any(qid == "check-in" for _e, qid, _w, _x in others):
                _say(
                    "A check-in note cannot be changed. If it is fine to send, choose "
                    "'They are fine: carry on' when you export again."
                )
            _say("Nothing was exported yet.")
            return None
    if not _fits_limits(summary):
        return None
    _say("\nThis is what your practitioner will see:\n", "bold")
    from osp_cli.ui import pager

    pager.show(
        lambda: console().print(renderable(summary, for_participant=True)),
        finish=None,
    )
    _say("")
    _say(messages.CONFIDENTIALITY_SHORT, "bold")
    if not prompts.confirm("Seal this summary for your practitioner and save it?", default=True):
        _say("Nothing was exported.")
        return None
    from osp_cli.workbook import identity

    if identity.signing_key(workbook.payload) is None:
        workbook.save(identity.add_signing_key)
    signing_key = identity.signing_key(workbook.payload)
    assert signing_key is not None  # just added if it was missing
    path = out.expanduser() if out else _default_path()
    files.write_private(path, sealed.seal(summary.to_bytes(), recipient, signing_key))
    workbook.save(
        model.record_export(
            [i for i in chosen if i not in (CHECKINS, PLAN)],
            {eid: tuple(numbers) for eid, numbers in entries.items()},
        )
    )
    _say(f"\nSaved your sealed summary to {_shown(path)}", "bold green")
    written = path
    _say(
        "Only your practitioner can open it. Send or bring it the way they asked you to, "
        "then you can delete it."
    )
    for target, name in ((markdown, "markdown"), (html, "html")):
        if target is None:
            continue
        _say(
            f"\nThe {'Markdown' if name == 'markdown' else 'HTML'} copy {_shown(target)} "
            "will NOT be encrypted. Anyone who can use this computer, or who gets hold of "
            "the file, could read your answers.",
            "bold yellow",
        )
        if prompts.confirm("Write this unencrypted copy anyway?", default=False):
            files.write_private(target, render(name, summary).encode("utf-8"))
            _say(f"Wrote the unencrypted copy to {_shown(target)}. Delete it when you can.")
        else:
            _say(f"Did not write {_shown(target)}.")
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
    from osp_cli.cli.common import guard_outputs, on_screen, require_terminal, unlock

    require_terminal("Exporting a summary")
    guard_outputs([out, markdown, html], force=force)
    workbook = unlock()
    # The preview shows answers: clear the screen afterwards, then say where the file is.
    with on_screen():
        written = run_export(workbook, out=out, markdown=markdown, html=html)
    if written is not None:
        _say(f"Your sealed summary is in {_shown(written)}")
        _say("Only your practitioner can open it.")


def whoami() -> None:
    """Show your workbook's fingerprint, to read aloud to your practitioner.

    Every summary you export is signed with your workbook's own key. Your practitioner
    can check it came from you when they open it. Reading this fingerprint to them in
    a session lets them check the key is really yours.

    Example: osp whoami
    """
    from osp_cli.cli.common import unlock
    from osp_cli.workbook import identity

    workbook = unlock()
    if identity.signing_key(workbook.payload) is None:
        workbook.save(identity.add_signing_key)
    shown = identity.fingerprint(workbook.payload)
    _say("Your workbook's fingerprint is:")
    _say(f"    {shown}\n", "bold cyan")
    _say(
        "If your practitioner asks, read it out to them. It is not secret, and it says "
        "nothing about your answers: it only lets them check that summaries come from you."
    )


def register(app: typer.Typer) -> None:
    app.command("import")(import_assignment)
    app.command("export")(export)
    app.command("whoami")(whoami)
