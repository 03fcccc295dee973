"""Safeguarding at the point of use, in-process: the path back after a slip (urge diary).

Keys for every prompt are queued up front through prompt_toolkit's pipe input.
"""

from __future__ import annotations

from typing import Any

from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from typer.testing import CliRunner, Result

from osp_cli.cli.app import app
from osp_cli.workbook import model
from osp_cli.workbook.service import Workbook

DOWN, ENTER, ESC_ENTER = "\x1b[B", "\r", "\x1b\r"
STEPS = (
    "Stop.",
    "Do not reply to any messages.",
    "Block the account or contact.",
    "Tell your practitioner.",
    "Stop It Now on 0808 1000 900",
)


def drive(args: list[str], keys: list[str], passphrase: str) -> Result:
    from osp_cli.ui.console import reset_console

    reset_console()
    with create_pipe_input() as inp:
        inp.send_text("".join(keys))
        inp.close()
        with create_app_session(input=inp, output=DummyOutput()):
            return CliRunner().invoke(app, args, input=passphrase + "\n")


def diary_keys(*, acted: bool) -> list[str]:
    keys = [
        ENTER,  # the opening screen: title, time and introduction
        ENTER,  # ready
        ENTER,  # had an urge: yes
        "home alone, bored" + ESC_ENTER,  # situation
        "7" + ENTER,  # urge at its peak: 7 (a scale takes a typed number)
        "went for a walk" + ESC_ENTER,  # what I did
        " " + ENTER,  # steps used: the first one...
        ENTER,  # ...and that is right
        "3" + ENTER,  # urge afterwards: 3
        (ENTER if acted else DOWN + ENTER),  # acted on it? yes / no
    ]
    if acted:
        keys.append("leave my phone downstairs at night" + ESC_ENTER)  # what differently
    keys += [
        ENTER,  # what worked (optional): blank
        ESC_ENTER,  # reflection: blank
        ENTER,  # done
    ]
    return keys


def diary_state(workbook: Workbook) -> model.ExerciseState:
    workbook.vault.reload()
    found = model.exercise_state(workbook.payload, "urge-diary")
    assert found is not None
    return found


def test_a_lapse_in_the_urge_diary_shows_the_steps_and_flags_the_entry(
    new_workbook: tuple[Workbook, str], passphrase: str
) -> None:
    workbook = new_workbook[0]
    result = drive(["do", "urge-diary"], diary_keys(acted=True), passphrase)
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    for step in STEPS:
        assert step in out, step
    assert "What will you do differently next time?" in out
    assert "flagged so you can talk about it at your next session" in out
    state = diary_state(workbook)
    assert state.answers["acted"].value is True
    assert state.answers["after-slip"].value == "leave my phone downstairs at night"
    assert "acted" in state.flagged


def test_no_lapse_no_steps_and_no_flag(new_workbook: tuple[Workbook, str], passphrase: str) -> None:
    workbook = new_workbook[0]
    result = drive(["do", "urge-diary"], diary_keys(acted=False), passphrase)
    assert result.exit_code == 0, result.output
    assert "Do not reply to any messages." not in result.output
    state = diary_state(workbook)
    assert state.answers["acted"].value is False
    assert "after-slip" not in state.answers
    assert state.flagged == []


def test_he_can_remove_the_flag_and_answering_yes_again_keeps_his_choice(
    new_workbook: tuple[Workbook, str],
) -> None:
    from osp_cli.exercises.catalogue import builtin_exercises
    from osp_cli.workbook.runner import Runner

    workbook = new_workbook[0]
    runner = Runner(workbook, builtin_exercises()["urge-diary"])
    acted = runner.exercise.question("acted")
    assert runner.answer(runner.exercise.question("had-urge"), True) is None
    assert runner.answer(acted, True) is None
    assert runner.is_flagged(acted)
    assert runner.toggle_flag(acted) is False  # he unflags it
    assert runner.answer(acted, True) is None  # the same answer again (going back)
    assert not runner.is_flagged(acted)


# --- the self-harm question in the check-in ------------------------------------------------

CHECKIN_INTRO = "One more question, to help keep you safe."


def checkin_keys(distress: int, *, self_harm: str | None, then: str = ENTER) -> list[str]:
    """Keys for 'osp checkin': distress, urges 0, a note, the self-harm answer if asked
    ("no", "yes" or "skip"), then the support menu's choice (Close is the default)."""
    keys = [f"{distress}" + ENTER, "0" + ENTER, "a hard evening" + ENTER]  # typed ratings
    if self_harm is not None:
        keys.append({"no": ENTER, "yes": DOWN + ENTER, "skip": DOWN * 2 + ENTER}[self_harm])
    if distress >= 7:
        keys.append(then)
    return keys


def last_checkin(workbook: Workbook) -> model.CheckIn:
    workbook.vault.reload()
    return workbook.payload.checkins[-1]


def test_self_harm_question_is_not_asked_below_distress_seven(
    new_workbook: tuple[Workbook, str], passphrase: str
) -> None:
    workbook = new_workbook[0]
    result = drive(["checkin"], checkin_keys(6, self_harm=None), passphrase)
    assert result.exit_code == 0, result.output
    assert CHECKIN_INTRO not in result.output
    assert last_checkin(workbook).self_harm is None


def test_self_harm_yes_shows_the_crisis_panel_first_and_is_recorded(
    new_workbook: tuple[Workbook, str], passphrase: str
) -> None:
    workbook = new_workbook[0]
    result = drive(["checkin"], checkin_keys(7, self_harm="yes"), passphrase)
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert CHECKIN_INTRO in out
    assert "this answer is included" in out  # he is told it is shared if he exports
    crisis = out[out.index(CHECKIN_INTRO) :]
    assert "Samaritans 116 123" in crisis
    assert "NHS 111" in crisis and "mental health option" in crisis
    assert "999" in crisis and "A&E" in crisis
    assert "telling your practitioner" in crisis
    # The crisis panel comes before the general support screen (not shown at all here).
    assert "That sounds hard. Help is here" not in crisis
    assert last_checkin(workbook).self_harm is True
    assert last_checkin(workbook).feeling == 7


def test_self_harm_no_and_rather_not_say_are_recorded(
    new_workbook: tuple[Workbook, str], passphrase: str
) -> None:
    workbook = new_workbook[0]
    result = drive(["checkin"], checkin_keys(9, self_harm="no"), passphrase)
    assert result.exit_code == 0, result.output
    assert last_checkin(workbook).self_harm is False
    assert "That sounds hard. Help is here" in result.output
    result = drive(["checkin"], checkin_keys(8, self_harm="skip"), passphrase)
    assert result.exit_code == 0, result.output
    assert last_checkin(workbook).self_harm is None


def test_self_harm_yes_in_an_exercise_offers_to_stop(
    new_workbook: tuple[Workbook, str], passphrase: str
) -> None:
    """Before a sensitive exercise: the crisis panel, then Stop (the default) ends it."""
    workbook = new_workbook[0]
    keys = [ENTER, *checkin_keys(8, self_harm="yes")]  # the opening screen, then the check-in
    result = drive(["do", "grooming-stages"], keys, passphrase)
    assert result.exit_code == 0, result.output
    assert "Samaritans 116 123" in result.output
    workbook.vault.reload()
    assert model.exercise_state(workbook.payload, "grooming-stages") is None
    assert workbook.payload.checkins[-1].self_harm is True


def _summary_with_self_harm() -> Any:
    from exchange_data import payload_with_answers

    from osp_cli.exchange import summary as summary_mod
    from osp_cli.exercises.catalogue import builtin_exercises

    payload = payload_with_answers()
    model.add_checkin(9, 2, "cannot see a way forward", "manual", self_harm=True)(payload)
    return summary_mod.build(
        payload,
        builtin_exercises(),
        ["hopes-and-fears"],
        "",
        osp_version="test",
        now="2026-03-09T18:30:00+00:00",
    )


def test_self_harm_answer_reaches_the_summary_json() -> None:
    import json

    from osp_cli.exchange import summary as summary_mod

    built = _summary_with_self_harm()
    raw = json.loads(built.to_bytes())
    assert raw["checkins"][-1]["self_harm"] is True
    assert all(c["self_harm"] is None for c in raw["checkins"][:-1])
    again = summary_mod.from_bytes(built.to_bytes())
    assert again.checkins[-1].self_harm is True
    # A summary from before the question (no self_harm key) still opens, as "not asked".
    for checkin in raw["checkins"]:
        del checkin["self_harm"]
    old = summary_mod.from_json(raw)
    assert all(c.self_harm is None for c in old.checkins)


def test_practitioner_views_put_the_self_harm_answer_first() -> None:
    from osp_cli.report import html_page, markdown_doc, terminal_view

    built = _summary_with_self_harm()
    for name, text in (
        ("terminal", terminal_view.render(built)),
        ("markdown", markdown_doc.render(built)),
        ("html", html_page.render(built)),
    ):
        flat = " ".join(text.split())
        attention = flat.index("Needs attention")
        first_other = min(
            flat.index(heading, attention)
            for heading in ("To talk about", "Check-ins", "Exercises")
            if heading in flat[attention:]
        )
        top = flat[attention:first_other]
        assert "YES to thoughts of suicide or self-harm" in top, name
        assert "cannot see a way forward" in top, name  # the note of the check-in
        assert "High check-in" in top and "rough day" in top, name  # the other one at 8
        assert "1 flagged item" in top, name
        assert top.index("YES to thoughts") < top.index("High check-in"), name
        for heading in ("To talk about", "Check-ins", "Exercises (", "## Exercises", "My plan"):
            assert heading not in flat[:attention], (name, heading)


# --- honest confidentiality ----------------------------------------------------------------


def test_support_states_the_limits_of_confidentiality_without_a_passphrase() -> None:
    from confidentiality_ideas import missing_ideas

    from osp_cli.ui.console import reset_console

    reset_console()
    result = CliRunner().invoke(app, ["support"])  # piped: both screens, plainly
    assert result.exit_code == 0, result.output
    assert missing_ideas(result.output) == []
    assert "\x1b[" not in result.output
    out = result.output
    assert out.index("0808 1000 900") < out.index("Confidentiality")  # numbers first
    for number in ("0808 1000 900", "116 123", "111", "999"):
        assert number in out


def test_init_states_the_limits_of_confidentiality(monkeypatch: Any) -> None:
    from confidentiality_ideas import missing_ideas

    from osp_cli.vault import format as fmt

    code = "ABCDE-FGHJK-MNPQR-STVWX-YZ012"
    monkeypatch.setattr(fmt, "new_recovery_code", lambda: code)
    with create_pipe_input() as inp:
        inp.close()
        with create_app_session(input=inp, output=DummyOutput()):
            phrase = "a calm river at dawn"
            # --plain reads lines: the passphrase twice, Enter once the code is written
            # down, its last group, then Quit (the tenth and last item of the menu).
            lines = f"{phrase}\n{phrase}\n\nyz012\n10\n"
            result = CliRunner().invoke(app, ["--plain"], input=lines)
    assert result.exit_code == 0, result.output
    before_passphrase = result.output[: result.output.index(code)]
    assert missing_ideas(before_passphrase) == []


def test_missing_ideas_accepts_other_wording_and_catches_gaps() -> None:
    from confidentiality_ideas import missing_ideas

    other = (
        "Your worker will report it if a child may have been hurt, or if someone else is "
        "in danger, and they share details of any crimes committed. Talk about patterns "
        "and feelings with no identifying details. The police can demand your password."
    )
    assert missing_ideas(other) == []
    narrow = "If something suggests a child is at risk, your practitioner must pass it on."
    assert "any other person at risk" in missing_ideas(narrow)
    assert "details of offences" in missing_ideas(narrow)
    assert "encryption is not legal protection" in missing_ideas(narrow)


# --- the plan: reasons to stay safe, and if I slip ----------------------------------------


def test_reasons_to_stay_safe_have_their_own_part_of_the_plan() -> None:
    from osp_cli.exercises.catalogue import builtin_exercises
    from osp_cli.workbook.plan import build_plan

    payload = model.new_payload()
    remember = "a child can carry this for years"
    model.set_answer("the-childs-perspective", 1, "remember", remember)(payload)
    model.set_answer("if-i-slip", 1, "first-hour", ["turn it off", "ring the helpline"])(payload)
    plan = build_plan(builtin_exercises(), payload)
    headings = [part.heading for part in plan.parts]
    assert "My reasons to stay safe" in headings and "If I slip" in headings
    assert [item.text for item in plan.part("reasons").items] == [remember]
    assert all(item.text != remember for item in plan.part("goals").items)
    assert [i.text for i in plan.part("if-i-slip").items] == ["turn it off", "ring the helpline"]


def test_warning_signs_ask_about_small_harmless_looking_decisions() -> None:
    from osp_cli.exercises.catalogue import builtin_exercises
    from osp_cli.exercises.model import PlanSection

    exercise = builtin_exercises()["warning-signs"]
    question = exercise.question("small-decisions")
    assert "harmless" in question.prompt and question.plan is PlanSection.WARNING_SIGNS
    assert "small decisions" in exercise.intro
