"""Building an assignment by answering questions, for ``osp practitioner assign`` with no
``--exercise``: the participant, the session, exercises ticked from the catalogue (grouped
by session, with minutes, topics and a running total), custom exercise files, the next
session date, a note and where to write it; then a summary to check. The passphrase is
asked for afterwards, by the command.

Returns plain data (:class:`Choices`); the command builds and signs the file exactly as
it does from flags, so both give the same file.
"""

from __future__ import annotations

import datetime as _dt
import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import questionary

from osp_cli import dates
from osp_cli.errors import OspError
from osp_cli.exchange.identifying import ref_problem
from osp_cli.ui import pager, prompts, views
from osp_cli.ui.safe import clean

if TYPE_CHECKING:
    from osp_cli.exercises.model import Exercise

MAX_DAYS_AHEAD = 366


@dataclass(frozen=True, slots=True)
class Choices:
    participant: str = ""
    session: int = 1
    exercises: tuple[str, ...] = ()
    custom: tuple[Path, ...] = ()
    next_session: str = ""
    note: str = ""
    out: Path = field(default_factory=lambda: Path("assignment.ospa"))

    def as_command(self) -> str:
        """The same choices as flags (to run again in a script)."""
        parts = ["osp", "practitioner", "assign", "--participant", self.participant]
        parts += ["--session", str(self.session)]
        for exercise_id in self.exercises:
            parts += ["--exercise", exercise_id]
        for path in self.custom:
            parts += ["--custom", str(path)]
        parts += ["--next-session", self.next_session]
        if self.note:
            parts += ["--note", self.note]
        parts += ["--out", str(self.out)]
        return clean(" ".join(shlex.quote(p) for p in parts), multiline=False)


def date_problem(text: str, today: _dt.date | None = None) -> str | None:
    """Why ``text`` cannot be a next-session date, or None. A date that has passed is not
    a problem here (see :func:`is_past`): it is questioned, not refused."""
    today = today or _dt.date.today()
    value = text.strip()
    day, problem = dates.check_new_date(value, "The date")
    if day is None:
        return problem  # 31 February, month 13 and bad writing each get their own message
    if len(value) != 10:
        return "Write the date as YYYY-MM-DD, for example 2026-12-03."
    if day > today + _dt.timedelta(days=MAX_DAYS_AHEAD):
        return "That is more than a year away. Check the year."
    return None


def is_past(text: str, today: _dt.date | None = None) -> bool:
    """True when ``text`` (already a good date) is before today."""
    return dates.is_past(_dt.date.fromisoformat(text.strip()), today)


class _Total:
    """The checkbox question with a running total: questionary formats its message on
    every redraw, and its validate callback sees every tick, which keeps this up to date."""

    def __init__(self, minutes: dict[str, int]) -> None:
        self.minutes = minutes
        self.ticked: list[str] = []

    def update(self, ticked: Sequence[str]) -> bool | str:
        self.ticked = list(ticked)
        return True if ticked else "Tick at least one exercise (Space ticks, Enter goes on)."

    def __str__(self) -> str:
        total = sum(self.minutes.get(i, 0) for i in self.ticked)
        count = len(self.ticked)
        message = (
            f"Exercises to set ({count} ticked, about {total} minutes in all). "
            "Space ticks, Enter goes on."
        )
        return prompts.question_layout(message, "")[0]  # wrapped at spaces

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def _exercise_title(exercise: Exercise) -> str:
    topics = ", ".join(exercise.topics)
    if prompts.plain():  # words a screen reader says well, no middle dots
        return clean(f"{exercise.title} ({exercise.minutes} min; {topics})", multiline=False)
    return clean(f"{exercise.title} · {exercise.minutes} min · {topics}", multiline=False)


def ask_exercises(catalogue: dict[str, Exercise], ticked: Sequence[str]) -> tuple[str, ...]:
    if prompts.plain():
        return _plain_exercises(catalogue, ticked)

    choices: list[Any] = []
    label = None
    for exercise in sorted(catalogue.values(), key=lambda e: e.sort_key):
        if exercise.session_label != label:
            label = exercise.session_label
            choices.append(questionary.Separator(f"── {label} ──"))
        choices.append(
            questionary.Choice(
                prompts.menu_title(_exercise_title(exercise), 5),
                exercise.id,
                checked=exercise.id in ticked,
            )
        )
    total = _Total({e.id: e.minutes for e in catalogue.values()})
    total.update([i for i in ticked if i in catalogue])
    result = questionary.checkbox(
        total,  # type: ignore[arg-type]
        choices=choices,
        validate=total.update,
        qmark="?",
        instruction="",
        style=prompts.style(),
    ).unsafe_ask()
    return tuple(str(i) for i in result or ())


PLAIN_TICKS = (
    "Type the numbers of the exercises to set, with spaces or commas between them "
    "(for example: 1 3 5, or 1,3,5), then press Enter."
)


def _plain_exercises(catalogue: dict[str, Exercise], ticked: Sequence[str]) -> tuple[str, ...]:
    """Plain mode: the catalogue as one numbered list under session headings, printed
    once (a page at a time if it is longer than the screen), then the numbers typed on
    one line. Nothing is redrawn; the running total is said after the choice."""
    ordered = sorted(catalogue.values(), key=lambda e: e.sort_key)
    lines: list[str] = ["Exercises to set:"]
    label = None
    for number, exercise in enumerate(ordered, start=1):
        if exercise.session_label != label:
            label = exercise.session_label
            lines.append(clean(f"{label}:", multiline=False))
        mark = "  (ticked)" if exercise.id in ticked else ""
        lines.append(f"{number}. {_exercise_title(exercise)}{mark}")

    def draw() -> None:
        for line in lines:
            prompts.say_line(line)

    pager.show(draw, finish=None)
    keep = [e.id for e in ordered if e.id in ticked]
    prompts.say_line(PLAIN_TICKS)
    if keep:
        prompts.say_line("Press Enter on its own to keep the ticked ones.")
    while True:
        typed = prompts.read_line("Numbers: ").replace(",", " ").split()
        if not typed and keep:
            picked = keep
        elif typed and all(t.isdigit() and 1 <= int(t) <= len(ordered) for t in typed):
            wanted = {int(t) - 1 for t in typed}
            picked = [e.id for i, e in enumerate(ordered) if i in wanted]
        elif not typed:
            prompts.say_line("Please choose at least one exercise.")
            continue
        else:
            prompts.say_line(
                f"Please type numbers from 1 to {len(ordered)}, with spaces or commas between them."
            )
            continue
        minutes = sum(catalogue[i].minutes for i in picked)
        count = len(picked)
        prompts.say_line(
            f"{count} {'exercise' if count == 1 else 'exercises'} chosen, "
            f"about {minutes} minutes in all."
        )
        return tuple(picked)


def ask_participant(known: Sequence[str], current: str) -> str:
    if known:
        options = [(clean(ref, multiline=False), ref) for ref in known]
        options.append(("Someone else (type the reference)", ""))
        picked = prompts.choose(
            "Which participant is this for?", options, default=current or known[0]
        )
        if picked:
            return picked
    while True:
        typed = prompts.ask_line("Participant reference (never a name):", current).strip()
        problem = ref_problem(typed)
        if not problem:
            return typed
        views.say(problem)


def ask_session(current: int) -> int:
    picked = prompts.choose(
        "Which session is this work for?",
        [(f"Session {n}", str(n)) for n in range(1, 7)],
        default=str(current),
    )
    return int(picked)


def ask_custom(current: Sequence[Path], read: Callable[[Path], str]) -> tuple[Path, ...]:
    """Custom exercise files, one at a time; each is checked as it is given."""
    chosen = list(current)
    if chosen:
        names = ", ".join(clean(str(p), multiline=False) for p in chosen)
        views.say(f"Custom exercise files so far: {names}.")
        if not prompts.confirm("Keep them?", default=True):
            chosen = []
    while True:
        typed = prompts.ask_line(
            "A custom exercise file to add (.toml), or press Enter for none:"
        ).strip()
        if not typed:
            return tuple(chosen)
        path = Path(typed).expanduser()
        try:
            exercise_id = read(path)
        except OspError as error:
            views.say(f"That file cannot be used: {clean(error.message)}")
            for problem in getattr(error, "problems", [])[:10]:
                views.say(f"  {clean(problem)}")
            continue
        views.say(f"Added '{clean(exercise_id, multiline=False)}'.")
        chosen.append(path)


def ask_date(current: str) -> str:
    """The next session's date: an impossible or badly written date is asked again with
    its own message; a date that has passed is questioned (he may be catching up)."""
    while True:
        typed = prompts.ask_line("Date of the next session (YYYY-MM-DD):", current).strip()
        problem = date_problem(typed)
        if problem:
            views.say(problem)
            continue
        if is_past(typed) and not prompts.confirm(
            "That date has passed. Use it anyway?", default=False
        ):
            current = typed  # kept in the box, to correct
            continue
        return typed


def ask_note(current: str, limit: int) -> str:
    while True:
        typed = prompts.ask_line(
            "A short note for him (optional; shown when he imports it):", current
        ).strip()
        if len(typed) <= limit:
            return typed
        views.say(f"Please keep the note to {limit} characters.")


def ask_out(current: Path) -> Path:
    typed = prompts.ask_line("Where to write the file:", str(current)).strip()
    return Path(typed).expanduser() if typed else current


def summary_lines(
    choices: Choices, catalogue: dict[str, Exercise], custom_ids: Sequence[str]
) -> list[str]:
    lines = [
        f"Participant:   {choices.participant}",
        f"Session:       {choices.session}",
        "Exercises:",
    ]
    total = 0
    for exercise_id in choices.exercises:
        exercise = catalogue.get(exercise_id)
        if exercise is not None:
            total += exercise.minutes
            lines.append(f"  - {exercise.title} ({exercise.minutes} min)")
    for exercise_id in custom_ids:
        lines.append(f"  - {exercise_id} (custom)")
    lines.append(
        f"  About {total} minutes in all" + (" plus the custom ones." if custom_ids else ".")
    )
    lines += [
        f"Next session:  {dates.day(choices.next_session)}",
        f"Note:          {choices.note or '(none)'}",
        f"File:          {choices.out}",
    ]
    return [clean(line, multiline=False) for line in lines]


def run(
    catalogue: dict[str, Exercise],
    known_refs: Sequence[str],
    read_custom: Callable[[Path], str],
    note_limit: int,
    start: Choices | None = None,
) -> Choices | None:
    """Ask everything, show a summary, and let any part be changed. None if cancelled."""
    c = start or Choices()
    c = replace(c, participant=ask_participant(known_refs, c.participant))
    c = replace(c, session=ask_session(c.session))
    c = replace(c, exercises=ask_exercises(catalogue, c.exercises))
    c = replace(c, custom=ask_custom(c.custom, read_custom))
    c = replace(c, next_session=ask_date(c.next_session))
    c = replace(c, note=ask_note(c.note, note_limit))
    c = replace(c, out=ask_out(Path(f"{c.participant}-session-{c.session}.ospa")))
    steps: dict[str, Callable[[Choices], Choices]] = {
        "participant": lambda c: replace(c, participant=ask_participant(known_refs, c.participant)),
        "session": lambda c: replace(c, session=ask_session(c.session)),
        "exercises": lambda c: replace(c, exercises=ask_exercises(catalogue, c.exercises)),
        "custom": lambda c: replace(c, custom=ask_custom(c.custom, read_custom)),
        "date": lambda c: replace(c, next_session=ask_date(c.next_session)),
        "note": lambda c: replace(c, note=ask_note(c.note, note_limit)),
        "out": lambda c: replace(c, out=ask_out(c.out)),
    }
    while True:
        custom_ids = [read_custom(p) for p in c.custom]
        views.say("")
        views.say("Please check the assignment:", "bold")
        for line in summary_lines(c, catalogue, custom_ids):
            views.say(line)
        picked = prompts.choose(
            "Is this right?",
            [
                ("Yes: sign and write it (asks your passphrase)", "write"),
                ("Change the participant", "participant"),
                ("Change the session", "session"),
                ("Change the exercises", "exercises"),
                ("Change the custom exercise files", "custom"),
                ("Change the date", "date"),
                ("Change the note", "note"),
                ("Change where the file goes", "out"),
                ("Cancel: write nothing", "cancel"),
            ],
            default="write",
        )
        if picked == "write":
            return c
        if picked == "cancel":
            return None
        c = steps[picked](c)
