"""The interactive walk through one exercise: intro, care note and check-in, one question
at a time, the closing reflection and the check-in after.

Decisions about order, validation and saving live in ``osp_cli.workbook.runner``; this
module only shows things and asks. Every answer is saved by the runner the moment it is
given, so Ctrl-C (``KeyboardInterrupt``) can simply propagate: the caller clears the
screen and says calmly that everything is saved.
"""

from __future__ import annotations

import datetime as dt
import enum
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from osp_cli import dates, safeguarding
from osp_cli.exercises.model import Kind, PlanSection, is_empty_answer
from osp_cli.ui import pager, prompts, safe, views
from osp_cli.ui import support as panel
from osp_cli.ui.ask import (
    TYPING,
    Action,
    Context,
    Reply,
    as_command,
    ask,
    ask_checkin,
    multiline_hint,
    text_prompt,
)
from osp_cli.ui.console import clear_screen, console
from osp_cli.ui.exercise_intro import care_note, exercise_intro
from osp_cli.ui.safe import clean
from osp_cli.workbook import model, progress
from osp_cli.workbook.plan import build_plan

if TYPE_CHECKING:
    from osp_cli.exercises.model import Exercise, Question
    from osp_cli.workbook.runner import Runner, Store


class Outcome(enum.Enum):
    FINISHED = "finished"
    STOPPED = "stopped"  # the participant chose to stop for now
    CLOSED = "closed"  # finished, but the last check-in was high: close, offer nothing more


class _Stop(Exception):
    """The participant chose to stop for now."""


def checkin(store: Store, context: str, *, offer: bool = True) -> bool:
    """Ask a check-in, save it, and if it is high show support (and offer to stop).

    At distress 7 or more, one more gentle, optional question asks about thoughts of
    suicide or self-harm; a yes brings a short crisis panel first. Returns True when the
    rating was high and the participant would like to stop for now (or, with
    ``offer=False``, simply when the rating was high).
    """
    feeling, urge, note = ask_checkin()
    self_harm = ask_self_harm() if feeling >= progress.HIGH_RATING else None
    store.save(model.add_checkin(feeling, urge, note, context, self_harm=self_harm))
    views.say("Thank you. Your check-in is saved.", "green")
    if not progress.is_high(feeling, urge):
        return False
    return offer_stop(store, crisis=self_harm is True, offer=offer)


def ask_self_harm() -> bool | None:
    """The optional question about thoughts of suicide or self-harm (None: not answered)."""
    views.say("You said you feel very upset. One more question, to help keep you safe.", "bold")
    views.say(safeguarding.SELF_HARM_SHARED, "dim")
    answer = prompts.choose(
        safeguarding.SELF_HARM_PROMPT,
        [("No", "no"), ("Yes", "yes"), ("I would rather not say", "skip")],
    )
    return {"yes": True, "no": False}.get(answer)


def offer_stop(
    store: object = None,
    *,
    crisis: bool = False,
    offer: bool = True,
    heading: str = "That sounds hard. Help is here:",
) -> bool:
    """Support that stays on screen: the numbers (and his own people and steps), then a
    short menu under them. After a yes to the self-harm question, the crisis panel comes
    first. Returns True if he chose to stop for now (with ``offer=False``: always True)."""
    while True:
        if crisis:
            panel.show_crisis()
            views.say(
                "Please think about telling your practitioner about these thoughts. "
                "They will want to help.",
            )
        else:
            people, steps = _own_plan(store)
            panel.show_support(
                people=people,
                steps=steps,
                more_hint=panel.MORE_HINT,
                heading=heading,
            )
        options = (
            [("Stop for now (everything is saved)", "stop"), ("Carry on", "carry-on")]
            if offer
            else [("Close", "close")]
        )
        options.append(("More help", "more"))
        choice = prompts.choose(
            "What would you like to do?" if offer else "When you are ready:",
            options,
            default=options[0][1],
        )
        if choice != "more":
            return choice == "stop" or not offer
        panel.show_more()
        crisis = False  # after the longer text, the full list of numbers comes back


@contextmanager
def keeping_typing(runner: Runner, key: str) -> Iterator[None]:
    """If Ctrl-C or a closed terminal ends the typing of an answer, keep what was typed
    as a draft of it (saved encrypted with the workbook), then let the stop go on."""
    TYPING.text = ""
    try:
        yield
    except (KeyboardInterrupt, EOFError, OSError):  # OSError: the terminal went away
        typed, TYPING.text = TYPING.text, ""
        if typed.strip() and typed != _as_text(runner, key):
            runner.save_draft(key, typed)
        raise


def _as_text(runner: Runner, key: str) -> str:
    if key == REFLECTION_ID:
        return runner.reflection or ""
    value = runner.answers.get(key)
    return value if isinstance(value, str) else ""


def offer_draft(runner: Runner, key: str) -> str | None:
    """'You had started this answer': keep it (returned) or start again (dropped)."""
    draft = runner.draft(key)
    if draft is None:
        return None
    views.say("You had started this answer:", "bold")
    console().print(safe.text(draft), end="\n")
    choice = prompts.choose(
        "Keep it, or start again?",
        [("Keep it and carry on from there", "keep"), ("Start again", "again")],
        default="keep",
    )
    if choice == "keep":
        return draft
    runner.drop_draft(key)
    return None


def _default(runner: Runner, question: Question) -> Any:
    previous = runner.previous_answer(question)
    if previous is not None:
        return previous
    default = question.default
    return list(default) if isinstance(default, tuple) else default


def ask_one(
    runner: Runner, question: Question, *, can_go_back: bool, resume: bool = False
) -> Reply:
    """Ask one question until it is answered (and saved) or an action moves us on.

    Help and flag are handled here (the question is asked again); back, skip and stop
    are returned to the caller. A skip of a required question is refused here.
    """
    pending: Any = None  # ticks made before asking for help or a flag come back ticked
    while True:
        questions = runner.questions()
        number = next(i for i, q in enumerate(questions, 1) if q.id == question.id)
        views.question_header(
            question, number, len(questions), runner.is_flagged(question), runner.exercise.title
        )
        partial = None
        if question.kind in (Kind.LIST, Kind.TABLE):

            def partial(value: Any) -> None:
                runner.save_partial(question, value)

        start_from = pending if pending is not None else _default(runner, question)
        draft = offer_draft(runner, question.id) if pending is None else None
        if draft is not None and question.kind in (Kind.TEXT, Kind.LONG_TEXT):
            start_from = draft
        with keeping_typing(runner, question.id):
            reply = ask(
                question,
                start_from,
                Context(
                    can_go_back=can_go_back,
                    flagged=runner.is_flagged(question),
                    on_partial=partial,
                    resume=resume and runner.is_partial(question),
                    draft=draft if question.kind in (Kind.LIST, Kind.TABLE) else None,
                ),
            )
        pending = reply.value if reply.action in (Action.HELP, Action.FLAG) else None
        if reply.action is Action.HELP:
            views.help_text(question)
            continue
        if reply.action is Action.FLAG:
            if runner.toggle_flag(question):
                views.say("Flagged: you can talk about this at your next session.", "yellow")
            else:
                views.say("The flag is removed.", "yellow")
            continue
        if reply.action is Action.SKIP:
            problem = runner.skip(question)
            if problem:
                views.say(problem, "yellow")
                continue
            views.say("Skipped.", "dim")
            return reply
        if reply.action is Action.BACK and not can_go_back:
            views.say("This is the first question, so there is nothing to go back to.", "yellow")
            continue
        if reply.action is not None:
            return reply
        newly_flagged = runner.flags_by_default(question, reply.value)
        problem = runner.answer(question, reply.value)
        if problem:
            views.say(problem, "yellow")
            continue
        if newly_flagged:
            views.say(
                "Saved, and flagged so you can talk about it at your next session. "
                "If you would rather not, go back to it with /back and choose /flag.",
                "yellow",
            )
        elif is_empty_answer(reply.value):
            views.say("Skipped. You can come back to it later.", "dim")
        else:
            views.say("Saved.", "dim")
        return reply


def _questions(runner: Runner, start: int) -> None:
    index = start
    while True:
        questions = runner.questions()
        if index >= len(questions):
            return
        question = questions[index]
        reply = ask_one(runner, question, can_go_back=index > 0, resume=True)
        if reply.action is Action.STOP:
            raise _Stop
        if reply.action is Action.BACK:
            index = max(0, index - 1)
            continue
        index = runner.index_of(question.id) + 1


REFLECTION_ID = "_reflection"  # how 'osp edit ID _reflection' names the closing reflection


def ask_reflection(runner: Runner) -> Action | None:
    """The closing reflection (optional, several lines). Returns an action typed instead."""
    views.heading("To finish")
    views.say("This one is optional: leave it blank to skip it.")
    views.say("Instead of an answer you can type: /stop")
    start_from = offer_draft(runner, REFLECTION_ID) or runner.reflection or ""
    with keeping_typing(runner, REFLECTION_ID):
        typed = text_prompt(
            runner.exercise.reflection,
            default=start_from,
            multiline=True,
            instruction=multiline_hint(),
        )
    action = as_command(typed)
    if action is None:
        runner.set_reflection(typed.rstrip())
    return action


def _reflection(runner: Runner) -> None:
    if ask_reflection(runner) is Action.STOP:
        raise _Stop


def checked_in_today(store: Store, exercise_id: str) -> bool:
    """True when this exercise's opening check-in was given earlier today (local time)."""
    today = dt.datetime.now().astimezone().date()
    for entry in reversed(progress.checkins(store.payload)):
        if entry.context == f"before:{exercise_id}":
            when = dates.parse(entry.at)
            return when is not None and when.astimezone().date() == today
    return False


def first_time(store: Store) -> bool:
    """True until the participant has started any exercise: 'How this works' in full."""
    return not store.payload.exercises


def opening_screens(runner: Runner, *, from_start: bool) -> None:
    """Before the first question: the title and time, the intro, and for a sensitive
    exercise the care note, each on a clear screen, whole or a page at a time, with
    Enter to go on. Nothing scrolls away unread."""
    exercise = runner.exercise
    total = len(runner.questions())
    done = 0 if from_start else progress.status_of(exercise, runner.store.payload).answered

    def intro() -> None:
        exercise_intro(exercise, done, total)

    def care() -> None:
        care_note(exercise)

    def both() -> None:
        intro()
        care()

    caring = exercise.sensitive and bool(exercise.care)
    clear_screen(between=True)
    if not caring or not pager.on_terminal() or pager.fits(pager.render(both)):
        pager.show(both if caring else intro, finish=GO_ON)
        return
    pager.show(intro, finish=GO_ON)
    clear_screen(between=True)
    pager.show(care, finish=GO_ON)


GO_ON = "Press Enter to go on."


@contextmanager
def hangup_as_interrupt() -> Iterator[None]:
    """A closed terminal (SIGHUP) stops like Ctrl-C, so the typing is kept as a draft."""
    hangup = getattr(signal, "SIGHUP", None)
    if hangup is None:
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(hangup, interrupt)
    try:
        yield
    finally:
        signal.signal(hangup, previous)


def run(runner: Runner, *, from_start: bool = False) -> Outcome:
    """Do (or carry on with) one exercise. Raises ``KeyboardInterrupt`` on Ctrl-C."""
    with hangup_as_interrupt():
        return _run(runner, from_start=from_start)


def _run(runner: Runner, *, from_start: bool) -> Outcome:
    exercise = runner.exercise
    store = runner.store
    start = 0 if from_start else runner.start_index()
    total = len(runner.questions())
    show_help_in_full = first_time(store)
    opening_screens(runner, from_start=from_start)
    try:
        if exercise.sensitive:
            if not from_start and runner.started and checked_in_today(store, exercise.id):
                views.say("You checked in earlier today, so there is no check-in now.")
            else:
                views.say("First, a quick check-in.", "bold")
                if checkin(store, f"before:{exercise.id}"):
                    raise _Stop
            clear_screen(between=True)
        if show_help_in_full:
            views.navigation_help()
        else:
            views.navigation_reminder()
        if start and start < total:
            views.say(f"Welcome back. Carrying on from question {start + 1}.", "bold")
        prompts.pause("Press Enter when you are ready.")
        _questions(runner, start)
        _reflection(runner)
        runner.complete()
        views.done_message(exercise)
        if exercise.sensitive:
            views.say("Now a last check-in, to see how you are after this.", "bold")
            # The exercise is over: nothing to stop or carry on with. Show support only.
            if checkin(store, f"after:{exercise.id}", offer=False):
                return Outcome.CLOSED
        return Outcome.FINISHED
    except _Stop:
        return Outcome.STOPPED


def edit_one(runner: Runner, question: Question) -> None:
    """Change one answer (earlier answer as the default)."""
    ask_one(runner, question, can_go_back=False)


def edit_reflection(runner: Runner) -> None:
    """Change the closing reflection (earlier text as the default)."""
    ask_reflection(runner)


def pick_question(
    exercise: Exercise, runner: Runner, *, again: bool = False
) -> Question | str | None:
    """Which answer to change: a question, ``REFLECTION_ID``, or None for nothing.
    ``again``: one has been changed already, so the way out says "finished"."""
    questions = runner.questions()
    options = [
        (f"{n}. {clean(q.prompt, multiline=False)[:90]}", q.id)
        for n, q in enumerate(questions, start=1)
    ]
    if exercise.reflection:
        shown = clean(exercise.reflection, multiline=False)[:70]
        options.append((f"Closing reflection: {shown}", REFLECTION_ID))
    options.append(
        ("That is all: I have finished changing answers", "")
        if again
        else ("Never mind, change nothing", "")
    )
    chosen = prompts.choose("Which answer would you like to change?", options)
    if chosen == REFLECTION_ID:
        return REFLECTION_ID
    return exercise.question(chosen) if chosen else None


def _own_plan(store: object) -> tuple[list[str], list[str]]:
    """His people (contacts) and steps (coping) from his plan, if the workbook is open."""
    exercises_of = getattr(store, "exercises", None)
    payload = getattr(store, "payload", None)
    if not callable(exercises_of) or payload is None:
        return [], []
    try:
        plan = build_plan(exercises_of(), payload)
    except Exception:  # support must never fail because of the plan
        return [], []
    people: list[str] = []
    steps: list[str] = []
    for part in plan.parts:
        if part.section == PlanSection.CONTACTS.value:
            people += [item.text for item in part.items]
        elif part.section == PlanSection.COPING.value:
            steps += [item.text for item in part.items]
    return people, steps
