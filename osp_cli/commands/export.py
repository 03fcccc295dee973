"""osp export: choose what to share, check it for identifying details and limits, show
the preview, then seal the summary to the practitioner's key (and, only after asking,
write unencrypted copies).

``run_export`` is also the home screen's 'export'.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from osp_cli import __version__, crypto, dates, limits, messages
from osp_cli.cli.front import require_terminal
from osp_cli.errors import UserError
from osp_cli.exchange import files, sealed
from osp_cli.exchange import summary as summary_mod
from osp_cli.exchange.identifying import find_identifying
from osp_cli.exchange.summary import Summary, over_limits
from osp_cli.report import render
from osp_cli.report.terminal_view import renderable
from osp_cli.ui import flow, pager, prompts, safe
from osp_cli.ui.console import console, on_screen
from osp_cli.ui.pick import pick_many
from osp_cli.ui.safe import clean, path_text
from osp_cli.ui.views import say
from osp_cli.workbook import identity, model, progress
from osp_cli.workbook.runner import Runner
from osp_cli.workbook.service import Workbook


def _started(workbook: Workbook) -> list[str]:

    ids = []
    for exercise_id in workbook.exercises():
        state = model.exercise_state(workbook.payload, exercise_id)
        if state and any(e.answers or e.reflection or e.completed for e in state.entries):
            ids.append(exercise_id)
    return ids


def _new_since_export(workbook: Workbook, ids: list[str]) -> list[str]:

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

    state = model.exercise_state(workbook.payload, exercise_id)
    if state is None:
        return []
    since = model.last_export_time(workbook.payload) or ""
    return [entry.number for entry in state.entries if entry.updated > since]


def _entries_to_share(workbook: Workbook, chosen: list[str]) -> dict[str, list[int]]:
    """For each chosen repeatable exercise with more than one entry: which entries to
    share (the new ones ticked at first); an exercise with none ticked is not named."""

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

    found = over_limits(summary)
    for exercise_id, question_id, problem in found:
        say(f"  - {problem}.")
        if exercise_id and question_id != "check-in":
            say(f"    Shorten it with: osp edit {exercise_id} {question_id}")
        elif question_id == "note":
            say("    Write a shorter note when you export again.")
    if found:
        say("Some of what you wrote is too long to send. Nothing was exported.", "bold yellow")
        return False
    size = len(summary.to_bytes())
    if size > limits.SUMMARY_BYTES:
        say(
            f"This summary is too large to send in one go ({size / 1_048_576:.1f} MB; "
            f"up to {limits.SUMMARY_BYTES // 1_048_576} MB). Nothing was exported. Export "
            "again and choose 'Let me choose', with fewer exercises each time.",
            "bold yellow",
        )
        return False
    return True


def _edit_answers(workbook: Workbook, findings: list[tuple[str, str, str, str]]) -> None:
    """Let him change each flagged answer now."""
    seen = set()
    for exercise_id, question_id, _where, _what in findings:
        if not exercise_id or question_id.startswith("_") or (exercise_id, question_id) in seen:
            continue
        seen.add((exercise_id, question_id))
        exercise = workbook.exercise(exercise_id)
        flow.edit_one(Runner(workbook, exercise), exercise.question(question_id))


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
        say("Nothing was exported.")
        return None
    chosen, entries = picked
    out_console = console()
    say(messages.NO_NAMES)
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
        say("\nSome of what you wrote might identify someone:", "bold yellow")
        for _eid, _qid, where, what in findings:
            line = safe.text(f"  - {where}", multiline=False)
            line.append("\n      looks like ")
            line.append_text(safe.text(what, multiline=False))
            out_console.print(line)
        say(messages.NO_NAMES)
        only_note = all(qid == "note" for _e, qid, _w, _x in findings)
        options = [
            ("Change my note" if only_note else "Go back and change them", "edit"),
            ("They are fine: carry on", "keep"),
            ("Cancel: export nothing", "cancel"),
        ]
        choice = prompts.choose("What would you like to do?", options)
        if choice == "cancel":
            say("Nothing was exported.")
            return None
        if choice == "keep":
            break
        if any(qid == "note" for _e, qid, _w, _x in findings):
            note = prompts.ask_line(
                "Your note for your practitioner:", default=note, limit=limits.NOTE_CHARS
            )
        answers = [f for f in findings if f[0] and not f[1].startswith("_")]
        if answers:
            _edit_answers(workbook, answers)
        others = [f for f in findings if f[1] in ("_reflection", "check-in")]
        if others:
            reflections = sorted({e for e, qid, _w, _x in others if qid == "_reflection"})
            if reflections:
                say("Change your closing reflection with:")
                for exercise_id in reflections:
                    say(f"  osp edit {exercise_id} _reflection")
            if any(qid == "check-in" for _e, qid, _w, _x in others):
                say(
                    "A check-in note cannot be changed. If it is fine to send, choose "
                    "'They are fine: carry on' when you export again."
                )
            say("Nothing was exported yet.")
            return None
    if not _fits_limits(summary):
        return None
    say("\nThis is what your practitioner will see:\n", "bold")

    pager.show(
        lambda: console().print(renderable(summary, for_participant=True)),
        finish=None,
    )
    say("")
    say(messages.CONFIDENTIALITY_SHORT, "bold")
    if not prompts.confirm("Seal this summary for your practitioner and save it?", default=True):
        say("Nothing was exported.")
        return None

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
    say(f"\nSaved your sealed summary to {path_text(path)}", "bold green")
    written = path
    say(
        "Only your practitioner can open it. Send or bring it the way they asked you to, "
        "then you can delete it."
    )
    for target, name in ((markdown, "markdown"), (html, "html")):
        if target is None:
            continue
        say(
            f"\nThe {'Markdown' if name == 'markdown' else 'HTML'} copy {path_text(target)} "
            "will NOT be encrypted. Anyone who can use this computer, or who gets hold of "
            "the file, could read your answers.",
            "bold yellow",
        )
        if prompts.confirm("Write this unencrypted copy anyway?", default=False):
            files.write_private(target, render(name, summary).encode("utf-8"))
            say(f"Wrote the unencrypted copy to {path_text(target)}. Delete it when you can.")
        else:
            say(f"Did not write {path_text(target)}.")
    return written


def run(*, workbook: Workbook, out: Path | None, markdown: Path | None, html: Path | None) -> None:
    # The preview shows answers: clear the screen afterwards, then say where the file is.
    with on_screen():
        written = run_export(workbook, out=out, markdown=markdown, html=html)
    if written is not None:
        say(f"Your sealed summary is in {path_text(written)}")
        say("Only your practitioner can open it.")
