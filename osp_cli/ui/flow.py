"""The interactive walk through one exercise: intro, care note and check-in, one question
at a time, the closing reflection and the check-in after.

Decisions about order, validation and saving live in ``osp_cli.workbook.runner``; this
module only shows things and asks. Every answer is saved by the runner the moment it is
given, so Ctrl-C (``KeyboardInterrupt``) can simply propagate: the caller clears the
screen and says calmly that everything is saved.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any

from osp_cli.ui import views
from osp_cli.ui.ask import Action, Context, Reply, ask

if TYPE_CHECKING:
    from osp_cli.exercises.model import Exercise, Question
    from osp_cli.workbook.runner import Runner, Store


class Outcome(enum.Enum):
    FINISHED = "finished"
    STOPPED = "stopped"  # the participant chose to stop for now


class _Stop(Exception):
    """The participant chose to stop for now."""


def checkin(store: Store, context: str, *, offer: bool = True) -> bool:
    """Ask a check-in, save it, and if it is high show support (and offer to stop).

    At distress 7 or more, one more gentle, optional question asks about thoughts of
    suicide or self-harm; a yes brings a short crisis panel first. Returns True when the
    rating was high and the participant would like to stop for now (or, with
    ``offer=False``, simply when the rating was high).
    """
    from osp_cli.ui.ask import ask_checkin
    from osp_cli.workbook import model, progress

    feeling, urge, note = ask_checkin()
    self_harm = ask_self_harm() if feeling >= progress.HIGH_RATING else None
    store.save(model.add_checkin(feeling, urge, note, context, self_harm=self_harm))
    views.say("Thank you. Your check-in is saved.", "green")
    if not progress.is_high(feeling, urge):
        return False
    return offer_stop(store, crisis=self_harm is True, offer=offer)


def ask_self_harm() -> bool | None:
    """The optional question about thoughts of suicide or self-harm (None: not answered)."""
    from osp_cli import safeguarding
    from osp_cli.ui import prompts

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
    from osp_cli.ui import prompts
    from osp_cli.ui import support as panel

    while True:
        if crisis:
            panel.show_crisis()
            views.say(
                "Please think about telling your practitioner about these thoughts. "
                "They will want to help.",
            )
        else:
            people, steps = panel.own_plan(store)
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


def _default(runner: Runner, question: Question) -> Any:
    previous = runner.previous_answer(question)
    if previous is not None:
        return previous
    default = question.default
    return list(default) if isinstance(default, tuple) else default


def ask_one(runner: Runner, question: Question, *, can_go_back: bool) -> Reply:
    """Ask one question until it is answered (and saved) or an action moves us on.

    Help and flag are handled here (the question is asked again); back, skip and stop
    are returned to the caller. A skip of a required question is refused here.
    """
    from osp_cli.exercises.model import Kind, is_empty_answer

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

        reply = ask(
            question,
            pending if pending is not None else _default(runner, question),
            Context(
                can_go_back=can_go_back, flagged=runner.is_flagged(question), on_partial=partial
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
        reply = ask_one(runner, question, can_go_back=index > 0)
        if reply.action is Action.STOP:
            raise _Stop
        if reply.action is Action.BACK:
            index = max(0, index - 1)
            continue
        index = runner.index_of(question.id) + 1


REFLECTION_ID = "_reflection"  # how 'osp edit ID _reflection' names the closing reflection


def ask_reflection(runner: Runner) -> Action | None:
    """The closing reflection (optional, several lines). Returns an action typed instead."""
    from osp_cli.ui.ask import MULTILINE_HINT, as_command, text_prompt

    views.heading("To finish")
    views.say("This one is optional: leave it blank to skip it.", "dim")
    views.say("Instead of an answer you can type: /stop", "dim")
    typed = text_prompt(
        runner.exercise.reflection,
        default=runner.reflection or "",
        multiline=True,
        instruction=MULTILINE_HINT,
    )
    action = as_command(typed)
    if action is None:
        runner.set_reflection(typed.rstrip())
    return action


def _reflection(runner: Runner) -> None:
    if ask_reflection(runner) is Action.STOP:
        raise _Stop


def run(runner: Runner, *, from_start: bool = False) -> Outcome:
    """Do (or carry on with) one exercise. Raises ``KeyboardInterrupt`` on Ctrl-C."""
    from osp_cli.ui import prompts
    from osp_cli.workbook import progress

    exercise = runner.exercise
    store = runner.store
    start = 0 if from_start else runner.start_index()
    total = len(runner.questions())
    done = progress.status_of(exercise, store.payload).answered
    views.exercise_intro(exercise, 0 if from_start else done, total)
    try:
        if exercise.sensitive:
            views.care_note(exercise)
            views.say("First, a quick check-in.", "bold")
            if checkin(store, f"before:{exercise.id}"):
                raise _Stop
        views.navigation_help()
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
                return Outcome.FINISHED
        prompts.pause()
        return Outcome.FINISHED
    except _Stop:
        return Outcome.STOPPED


def edit_one(runner: Runner, question: Question) -> None:
    """Change one answer (earlier answer as the default)."""
    ask_one(runner, question, can_go_back=False)


def edit_reflection(runner: Runner) -> None:
    """Change the closing reflection (earlier text as the default)."""
    ask_reflection(runner)


def pick_question(exercise: Exercise, runner: Runner) -> Question | str | None:
    """Which answer to change: a question, ``REFLECTION_ID``, or None for nothing."""
    from osp_cli.ui import prompts
    from osp_cli.ui.safe import clean

    questions = runner.questions()
    options = [
        (f"{n}. {clean(q.prompt, multiline=False)[:90]}", q.id)
        for n, q in enumerate(questions, start=1)
    ]
    if exercise.reflection:
        shown = clean(exercise.reflection, multiline=False)[:70]
        options.append((f"Closing reflection: {shown}", REFLECTION_ID))
    options.append(("Never mind, change nothing", ""))
    chosen = prompts.choose("Which answer would you like to change?", options)
    if chosen == REFLECTION_ID:
        return REFLECTION_ID
    return exercise.question(chosen) if chosen else None
