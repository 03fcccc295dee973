"""The participant's commands in-process: prompts fed through prompt_toolkit's pipe input.

The keys for every prompt are queued up front, then the pipe is closed, so a test whose
keys run out ends (as a calm "stopped", exit 130) instead of hanging.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from typer.testing import CliRunner, Result

from osp_cli.cli.app import app
from osp_cli.workbook import model
from osp_cli.workbook.service import Workbook

DATA = Path(__file__).parent.parent / "data" / "participant"
DOWN, UP, ENTER, ESC_ENTER, CTRL_C = "\x1b[B", "\x1b[A", "\r", "\x1b\r", "\x03"
CLEAR_LINE = "\x15"  # Ctrl-U: delete the filled-in earlier answer

CHECKIN_LOW = "0" + ENTER + "0" + ENTER + ENTER  # distress 0, urges 0, no note
INTRO = ENTER  # the opening screen (title, time, intro and care note): Enter to go on
START = INTRO + CHECKIN_LOW + ENTER  # opening screen, check-in, "ready"
RESUME = INTRO + ENTER  # the same day: no second opening check-in
HOSTILE = "\x1b]0;owned\x07\x1b[2J[bold]x[/] \u202eevil:smile:"


def keys_for_walkthrough(
    *, talked: bool = True, story: str = "A long day,\nand a café. 😊"
) -> list[str]:
    """Every question of tests/data/participant/walkthrough.toml, answered once."""
    keys = [
        INTRO,  # title, time, intro and care note
        CHECKIN_LOW,  # check-in before (sensitive)
        ENTER,  # ready
        "on edge" + ENTER,  # feeling (text)
        story + ESC_ENTER,  # story (long_text)
        DOWN + ENTER,  # mood: tense (choice)
        " " + DOWN + " " + ENTER,  # helpers: walking, music (choices)...
        ENTER,  # ...then "Yes, that is right: save and carry on"
        "6" + ENTER,  # strength: 6 (scale, typed)
        (ENTER if talked else DOWN + ENTER),  # talked (yes_no)
    ]
    if talked:
        keys.append("my brother" + ENTER)  # who (text, shown by `when`)
    keys += [
        "home alone late" + ENTER,
        "the spare room" + ENTER,
        ENTER,  # places (list), finished
        "steady job" + ENTER,
        "update my CV" + ENTER,
        ENTER,
        ENTER,  # goals (table): Work row filled, Family row blank
        "It helped." + ESC_ENTER,  # reflection
        CHECKIN_LOW,  # check-in after
        ENTER,  # carry on
    ]
    return keys


def drive(args: list[str], keys: list[str] | str = "", passphrase: str = "") -> Result:
    """Run ``osp ARGS`` with ``keys`` typed into its prompts (then the input closes)."""
    from osp_cli.ui.console import reset_console

    reset_console()
    with create_pipe_input() as inp:
        inp.send_text("".join(keys))
        inp.close()
        with create_app_session(input=inp, output=DummyOutput()):
            return CliRunner().invoke(app, args, input=passphrase + "\n")


def drive_plain(args: list[str], lines: list[str], passphrase: str = "") -> Result:
    """Run ``osp --plain ARGS``: plain mode reads whole lines from standard input (the
    terminal does the echo and editing), so the lines follow the passphrase there. A
    closed pipe stands in for the terminal so commands that need one will run."""
    from osp_cli.ui.console import reset_console

    reset_console()
    with create_pipe_input() as inp:
        inp.close()
        with create_app_session(input=inp, output=DummyOutput()):
            text = passphrase + "\n" + "".join(line + "\n" for line in lines)
            return CliRunner().invoke(app, ["--plain", *args], input=text)


@pytest.fixture
def book(new_workbook: tuple[Workbook, str]) -> Workbook:
    """A workbook holding the walk-through exercise as a custom exercise."""
    workbook = new_workbook[0]
    text = (DATA / "walkthrough.toml").read_text("utf-8")

    def add(payload: model.Payload) -> None:
        payload.custom_exercises["walkthrough"] = text

    workbook.save(add)
    return workbook


def state(workbook: Workbook, exercise_id: str = "walkthrough") -> model.ExerciseState:
    workbook.vault.reload()
    found = model.exercise_state(workbook.payload, exercise_id)
    assert found is not None
    return found


def values(workbook: Workbook) -> dict[str, Any]:
    workbook.vault.reload()
    return model.answers_of(workbook.payload, "walkthrough")


# --- doing an exercise ------------------------------------------------------------------


def test_every_question_kind_is_asked_and_saved(book: Workbook, passphrase: str) -> None:
    result = drive(["do", "walkthrough"], keys_for_walkthrough(), passphrase)
    assert result.exit_code == 0, result.output
    assert values(book) == {
        "feeling": "on edge",
        "story": "A long day,\nand a café. 😊",
        "mood": "tense",
        "helpers": ["walking", "music"],
        "strength": 6,
        "talked": True,
        "who": "my brother",
        "places": ["home alone late", "the spare room"],
        "goals": {"Work": {"Goal": "steady job", "First step": "update my CV"}},
    }
    done = state(book)
    assert done.completed and done.reflection == "It helped."
    assert done.partial == []
    contexts = [c.context for c in book.payload.checkins]
    assert contexts == ["before:walkthrough", "after:walkthrough"]
    out = result.output
    assert "Question 1 of 8" in out and "Question 9 of 9" in out  # `who` appeared
    assert "press Esc, then Enter" in out
    assert "Please do not write names" in out  # no_names on the first question
    # The walk-through is sensitive: its typed questions also carry no_sexual_detail, and
    # the reminder is on screen with the question, not only in its help.
    assert "and no sexual detail" in " ".join(out.split())
    assert "/help" not in out.split("and no sexual")[0].rsplit("Question 1 of", 1)[1]
    assert "Take a break whenever you need one." in out  # care note
    assert "Area 1 of 2: Work" in out and "Area 2 of 2: Family" in out
    assert "Well done" in out


def test_when_condition_hides_a_question(book: Workbook, passphrase: str) -> None:
    result = drive(["do", "walkthrough"], keys_for_walkthrough(talked=False), passphrase)
    assert result.exit_code == 0, result.output
    answers = values(book)
    assert answers["talked"] is False and "who" not in answers
    assert "Question 8 of 8" in result.output and "of 9" not in result.output


def test_help_skip_back_and_flag(book: Workbook, passphrase: str) -> None:
    keys = [
        START,
        "/help" + ENTER,  # feeling (text): show the help...
        "/flag" + ENTER,  # ...flag it...
        "/skip" + ENTER,  # ...a required question cannot be skipped
        "first" + ENTER,
        "/skip" + ENTER,  # story (long_text): Enter after a lone command sends it
        DOWN * 3 + ENTER,  # mood list: calm, tense, low, (line), Back -> back to story
        "/back" + ESC_ENTER,  # story: back again, to feeling
        CLEAR_LINE + "second" + ENTER,  # feeling: earlier answer was filled in
        "/skip" + ENTER,  # story
        ENTER,  # mood: calm
        CTRL_C,
    ]
    result = drive(["do", "walkthrough"], keys, passphrase)
    assert result.exit_code == 130, result.output
    saved = state(book)
    assert saved.answers["feeling"].value == "second"
    assert saved.answers["mood"].value == "calm"
    assert saved.skipped == ["story"]
    assert saved.flagged == ["feeling"]
    out = result.output
    assert "One or two words is plenty." in out  # the help text
    assert "Flagged: you can talk about this at your next session." in out
    assert "cannot be skipped" in out
    assert "Skipped." in out
    assert "[flagged for your next session]" in out


def test_flag_and_help_from_a_pick_list(book: Workbook, passphrase: str) -> None:
    keys = [START, "x" + ENTER, "/skip" + ENTER]
    # mood list: calm, tense, low, Back, Flag, Stop (the separator is not selectable)
    keys += [DOWN * 4 + ENTER, DOWN + ENTER, CTRL_C]
    result = drive(["do", "walkthrough"], keys, passphrase)
    assert result.exit_code == 130
    saved = state(book)
    assert saved.flagged == ["mood"]
    assert saved.answers["mood"].value == "tense"


def test_stop_for_now_from_a_question(book: Workbook, passphrase: str) -> None:
    keys = [START, "kept" + ENTER, "/stop" + ENTER]
    result = drive(["do", "walkthrough"], keys, passphrase)
    assert result.exit_code == 0, result.output
    assert values(book) == {"feeling": "kept"}
    assert "in progress (1 of 8). Everything you answered is saved." in result.output
    assert "osp do walkthrough" in result.output


def test_ctrl_c_saves_says_so_and_resume_starts_at_first_unanswered(
    book: Workbook, passphrase: str
) -> None:
    first = drive(
        ["do", "walkthrough"],
        [START, "before the break" + ENTER, "/skip" + ENTER, CTRL_C],
        passphrase,
    )
    assert first.exit_code == 130
    assert "Everything you answered has been saved" in first.output
    assert "Traceback" not in first.output
    assert values(book) == {"feeling": "before the break"}
    # the rest of the walk-through, from the choice question on
    rest = keys_for_walkthrough()[5:]
    second = drive(["do", "walkthrough"], [RESUME, *rest], passphrase)
    assert second.exit_code == 0, second.output
    assert "Carrying on from question 3" in second.output
    assert "Question 1 of" not in second.output
    answers = values(book)
    assert answers["feeling"] == "before the break" and answers["mood"] == "tense"
    assert state(book).completed


def test_a_list_half_done_is_kept_and_resumed(book: Workbook, passphrase: str) -> None:
    keys = keys_for_walkthrough()
    cut = keys.index("the spare room" + ENTER)
    first = drive(["do", "walkthrough"], [*keys[:cut], CTRL_C], passphrase)
    assert first.exit_code == 130
    assert values(book)["places"] == ["home alone late"]
    assert state(book).partial == ["places"]
    # Resuming: the earlier item is shown, and typing starts at the first empty box.
    again = [RESUME, "the spare room" + ENTER, ENTER, *keys[cut + 2 :]]
    second = drive(["do", "walkthrough"], again, passphrase)
    assert second.exit_code == 0, second.output
    assert values(book)["places"] == ["home alone late", "the spare room"]
    assert "You had started this list" in second.output
    assert "A place or situation 1: home alone late" in second.output


def test_running_out_of_keys_ends_calmly(book: Workbook, passphrase: str) -> None:
    result = drive(["do", "walkthrough"], [START], passphrase)
    assert result.exit_code == 130
    assert "saved" in result.output


def test_high_checkin_shows_support_and_offers_to_stop(book: Workbook, passphrase: str) -> None:
    # distress 8; urges 0; a note; "No" to the self-harm question; Stop (the default)
    keys = [INTRO, "8" + ENTER, "0" + ENTER, "rough day" + ENTER, ENTER, ENTER]
    result = drive(["do", "walkthrough"], keys, passphrase)
    assert result.exit_code == 0, result.output
    assert "0808 1000 900" in result.output and "116 123" in result.output
    assert "More help" in result.output
    assert "If urges are strong right now" not in result.output  # only on request
    book.vault.reload()
    assert book.payload.checkins[0].feeling == 8
    assert model.exercise_state(book.payload, "walkthrough") is None  # no questions asked


def test_high_checkin_can_carry_on(book: Workbook, passphrase: str) -> None:
    keys = [INTRO, "0" + ENTER, "7" + ENTER, ENTER, DOWN + ENTER, ENTER, "went on" + ENTER, CTRL_C]
    result = drive(["do", "walkthrough"], keys, passphrase)
    assert result.exit_code == 130
    assert values(book) == {"feeling": "went on"}


def test_a_finished_exercise_can_be_gone_through_again(book: Workbook, passphrase: str) -> None:
    drive(["do", "walkthrough"], keys_for_walkthrough(), passphrase)
    keys = [ENTER, START, ENTER, CTRL_C]  # again; first answer kept as default
    result = drive(["do", "walkthrough"], keys, passphrase)
    assert "already finished" in result.output
    assert values(book)["feeling"] == "on edge"


def test_a_finished_exercise_can_be_left_as_it_is(book: Workbook, passphrase: str) -> None:
    _finished(book, passphrase)
    before = state(book)
    result = drive(["do", "walkthrough"], [DOWN + ENTER], passphrase)  # Leave it for now
    assert result.exit_code == 0, result.output
    assert "already finished" in result.output
    assert "Practice walk-through: done. Everything you answered is saved." in result.output
    assert "To carry on later" not in result.output
    assert state(book) == before


def test_next_picks_the_assigned_exercise(book: Workbook, passphrase: str) -> None:
    _assign(book)
    result = drive(["next"], [START, "assigned one" + ENTER, CTRL_C], passphrase)
    assert result.exit_code == 130
    assert values(book) == {"feeling": "assigned one"}


def test_unknown_exercise_is_a_clear_error(book: Workbook, passphrase: str) -> None:
    result = drive(["do", "no-such-thing"], [], passphrase)
    assert result.exit_code == 1
    assert "There is no exercise called 'no-such-thing'" in result.output


# --- reading and changing ---------------------------------------------------------------


def _finished(book: Workbook, passphrase: str, **kwargs: Any) -> None:
    result = drive(["do", "walkthrough"], keys_for_walkthrough(**kwargs), passphrase)
    assert result.exit_code == 0, result.output


def test_list_shows_status_per_exercise(book: Workbook, passphrase: str) -> None:
    drive(["do", "walkthrough"], [START, "a" + ENTER, "/skip" + ENTER], passphrase)
    result = CliRunner().invoke(app, ["list", "--session", "1"], input=passphrase + "\n")
    assert result.exit_code == 0, result.output
    assert "walkthrough" in result.output
    assert "in progress (2 of 8)" in result.output
    assert "not started" in result.output
    other = CliRunner().invoke(app, ["list", "--session", "9"], input=passphrase + "\n")
    assert other.exit_code == 2
    assert "--session must be a number from 1 to 6, or 'evaluation'." in other.output
    last = CliRunner().invoke(app, ["list", "-s", " Evaluation"], input=passphrase + "\n")
    assert last.exit_code == 0, last.output
    assert "programme-evaluation" in last.output and "walkthrough" not in last.output


def test_review_shows_answers_inertly(book: Workbook, passphrase: str) -> None:
    _finished(book, passphrase, story="typed [bold]x[/] \u202eevil")
    assert values(book)["story"] == "typed [bold]x[/] \u202eevil"
    # Raw escape sequences cannot be typed into a prompt (the keys are read as keys),
    # but pasted or imported text could hold them: store one directly.
    book.save(model.set_answer("walkthrough", 1, "who", HOSTILE))
    result = CliRunner().invoke(app, ["review", "walkthrough"], input=passphrase + "\n")
    assert result.exit_code == 0, result.output
    out = result.output
    for shown in (
        "on edge",
        "tense",
        "- walking",
        "- music",
        "6",
        "steady job",
        "update my CV",
        "It helped.",
    ):
        assert shown in out
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "\\x1b]0;owned\\x07" in out and "[bold]x[/]" in out and "\\u202e" in out
    assert ":smile:" in out and "typed [bold]x[/] \\u202eevil" in out


def test_review_without_an_id_shows_every_started_exercise(book: Workbook, passphrase: str) -> None:
    _finished(book, passphrase)
    result = CliRunner().invoke(app, ["--plain", "review"], input=passphrase + "\n")
    assert result.exit_code == 0
    assert "Practice walk-through" in result.output
    assert not set("╭╮╰╯│─┃━") & set(result.output)


def test_review_with_nothing_answered_says_so(book: Workbook, passphrase: str) -> None:
    result = CliRunner().invoke(app, ["review"], input=passphrase + "\n")
    assert result.exit_code == 0, result.output
    assert "You have not answered any questions yet. Start with 'osp next'." in result.output


def test_edit_changes_one_answer_starting_from_the_old_one(book: Workbook, passphrase: str) -> None:
    _finished(book, passphrase)
    result = drive(["edit", "walkthrough", "feeling"], [" and tired" + ENTER], passphrase)
    assert result.exit_code == 0, result.output
    assert values(book)["feeling"] == "on edge and tired"
    # The scale starts on the earlier answer (6): Down makes it 5, typing replaces it.
    # After the change the list comes back (where he came from); the last entry finishes.
    keys = [DOWN * 4 + ENTER, DOWN + ENTER, UP + ENTER]
    picked = drive(["edit", "walkthrough"], keys, passphrase)
    assert picked.exit_code == 0, picked.output
    assert "Choose another answer to change, or finish." in picked.output
    assert "Your changes are saved." not in picked.output  # one change, then finished
    assert values(book)["strength"] == 5
    typed = drive(["edit", "walkthrough", "strength"], [CLEAR_LINE + "9" + ENTER], passphrase)
    assert typed.exit_code == 0, typed.output
    assert values(book)["strength"] == 9
    wrong = drive(["edit", "walkthrough", "nope"], [], passphrase)
    assert wrong.exit_code == 1


def test_checkin_and_progress_chart(book: Workbook, passphrase: str) -> None:
    result = drive(["checkin"], ["3" + ENTER, "2" + ENTER, "ok day" + ENTER], passphrase)
    assert result.exit_code == 0, result.output
    book.vault.reload()
    entry = book.payload.checkins[-1]
    assert (entry.feeling, entry.urge, entry.note, entry.context) == (
        3,
        2,
        "ok day",
        "manual",
    )
    _finished(book, passphrase)
    chart = drive(["progress"], [ENTER], passphrase)
    assert chart.exit_code == 0, chart.output
    assert "Session 1" in chart.output and "done" in chart.output
    assert "distress  3" in chart.output and "urges  2" in chart.output
    assert "█" in chart.output
    plain = drive(["--plain", "progress"], [ENTER], passphrase)
    assert "#" in plain.output and "█" not in plain.output


def test_high_manual_checkin_shows_support(book: Workbook, passphrase: str) -> None:
    result = drive(["checkin"], ["0" + ENTER, "9" + ENTER, ENTER, ENTER], passphrase)
    assert result.exit_code == 0, result.output
    assert "0808 1000 900" in result.output


def test_plan_from_the_real_prompt_flow_has_every_section(book: Workbook, passphrase: str) -> None:
    empty = drive(["plan"], [ENTER], passphrase)
    assert "Not filled in yet" in empty.output and "osp do walkthrough" in empty.output
    _finished(book, passphrase)
    result = drive(["plan"], [ENTER], passphrase)
    assert result.exit_code == 0, result.output
    out = result.output
    headings = [
        "My warning signs",
        "My risky situations",
        "What I will do",
        "If I slip",
        "Who I can contact",
        "My reasons to stay safe",
        "What I am working towards",
    ]
    positions = [out.index(h) for h in headings]
    assert positions == sorted(positions)
    for item in (
        "on edge",
        "home alone late",
        "the spare room",
        "walking",
        "music",
        "my brother",
        "Goal: steady job",
    ):
        assert item in out
    # Only the two parts the walk-through does not feed are still empty.
    assert out.count("Not filled in yet") == 2
    assert "0808 1000 900" in out


# --- home screen, terminals -------------------------------------------------------------


def _assign(book: Workbook, note: str = "") -> None:
    def change(payload: model.Payload) -> None:
        payload.assignments.append(
            model.ImportedAssignment(
                id="a1",
                sequence=1,
                issued=model.now(),
                session=1,
                exercises=("walkthrough",),
                due="2031-03-01",
                next_session="2031-03-02",
                note=note,
                imported=model.now(),
            )
        )

    book.save(change)


def test_home_shows_assignments_and_menu(book: Workbook, passphrase: str) -> None:
    _assign(book, "See you [red]soon")
    result = drive([], [UP + ENTER], passphrase)  # Up from the top wraps to Quit
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Your next session: Sunday 2 March 2031" in out
    assert "See you [red]soon" in out
    assert "Set by your practitioner" in out and "due Saturday 1 March 2031" in out
    assert "2031-03" not in out  # one plain date format, never ISO
    assert "Stop It Now 0808 1000 900" in out
    assert "Goodbye for now" in out


def test_home_menu_runs_export(
    book: Workbook, passphrase: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from osp_cli.commands import export

    seen: list[object] = []
    monkeypatch.setattr(export, "run_export", seen.append)
    # menu: Next exercise, Import, Choose, Review, Check in, Plan, Progress, Export, Support, Quit
    result = drive([], [DOWN * 7 + ENTER, ENTER, UP + ENTER], passphrase)
    assert result.exit_code == 0, result.output
    assert len(seen) == 1 and isinstance(seen[0], Workbook)


def test_home_menu_continue_does_the_exercise(book: Workbook, passphrase: str) -> None:
    _assign(book)
    keys = [ENTER, START, "from home" + ENTER, "/stop" + ENTER, UP + ENTER]
    result = drive([], keys, passphrase)
    assert result.exit_code == 0, result.output
    assert values(book) == {"feeling": "from home"}


def test_home_without_terminal_shows_a_summary(book: Workbook, passphrase: str) -> None:
    result = CliRunner().invoke(app, [], input=passphrase + "\n")
    assert result.exit_code == 0
    assert "Need help now?" in result.output
    assert "Nothing in progress." in result.output and "Finished so far" not in result.output
    _finished(book, passphrase)
    later = CliRunner().invoke(app, [], input=passphrase + "\n")
    assert later.exit_code == 0
    assert "Finished so far: 1 exercise. Well done." in later.output


def test_first_run_home_offers_to_create_a_workbook() -> None:
    result = CliRunner().invoke(app, [], input="")
    assert result.exit_code == 2
    assert "no workbook on this computer yet" in result.output
    assert "Creating a workbook needs a terminal" in result.output


@pytest.mark.parametrize(
    "args",
    [["do", "walkthrough"], ["next"], ["edit", "walkthrough"], ["checkin"]],
)
@pytest.mark.timeout(10)
def test_commands_that_ask_questions_need_a_terminal(
    book: Workbook, passphrase: str, args: list[str]
) -> None:
    result = CliRunner().invoke(app, args, input=passphrase + "\n")
    assert result.exit_code == 2
    assert "needs a terminal" in result.output


def test_home_menu_error_returns_to_the_menu(
    book: Workbook, passphrase: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from osp_cli.commands import export
    from osp_cli.errors import UserError

    def refuse(workbook: Workbook) -> None:
        raise UserError("No practitioner key yet.", hint="Import an assignment first.")

    monkeypatch.setattr(export, "run_export", refuse)
    result = drive([], [DOWN * 7 + ENTER, ENTER, UP + ENTER], passphrase)
    assert result.exit_code == 0, result.output
    assert "No practitioner key yet." in result.output
    assert "Goodbye for now" in result.output


# The home menu with nothing imported: Next exercise, Import, Choose, Review, Check in,
# Plan, Progress, Export, Support, Quit (Up from the top wraps to Quit).
IMPORT, CHOOSE, REVIEW, CHECK_IN, PLAN, PROGRESS, SUPPORT = 1, 2, 3, 4, 5, 6, 8
QUIT = UP + ENTER


def _menu(item: int) -> str:
    return DOWN * item + ENTER


def _position(book: Workbook, exercise_id: str, *, started_only: bool = False) -> int:
    """Where an exercise is in the home menu's 'Which exercise?' list."""
    from osp_cli.workbook import progress

    book.vault.reload()
    rows = progress.statuses(book.exercises(), book.payload)
    if started_only:
        rows = [s for s in rows if s.stage is not progress.Stage.NOT_STARTED]
    return [s.exercise_id for s in rows].index(exercise_id)


def test_home_menu_choose_an_exercise_does_it(book: Workbook, passphrase: str) -> None:
    where = _position(book, "walkthrough")
    keys = [_menu(CHOOSE), _menu(where), START, "chosen" + ENTER, "/stop" + ENTER, QUIT]
    result = drive([], keys, passphrase)
    assert result.exit_code == 0, result.output
    assert values(book) == {"feeling": "chosen"}
    assert "Goodbye for now" in result.output


def test_home_menu_choose_can_go_back(book: Workbook, passphrase: str) -> None:
    result = drive([], [_menu(CHOOSE), UP + ENTER, QUIT], passphrase)  # Back is last
    assert result.exit_code == 0, result.output
    book.vault.reload()
    assert book.payload.exercises == {}
    assert "Goodbye for now" in result.output


def test_home_menu_review_before_and_after_answering(book: Workbook, passphrase: str) -> None:
    nothing = drive([], [_menu(REVIEW), ENTER, QUIT], passphrase)
    assert nothing.exit_code == 0, nothing.output
    assert "You have not answered any questions yet." in nothing.output
    drive(["do", "walkthrough"], [START, "from review" + ENTER, "/stop" + ENTER], passphrase)
    where = _position(book, "walkthrough", started_only=True)
    keys = [_menu(REVIEW), _menu(where), ENTER, QUIT]
    result = drive([], keys, passphrase)
    assert result.exit_code == 0, result.output
    assert "from review" in result.output  # his answer: the summary shows only titles


def test_home_menu_check_in_plan_progress_and_support(book: Workbook, passphrase: str) -> None:
    keys = [
        _menu(CHECK_IN),
        "4" + ENTER + "1" + ENTER + "from the menu" + ENTER,
        _menu(PLAN),
        ENTER,  # the plan fits the screen: Enter to go on
        _menu(PROGRESS),
        ENTER,
        _menu(SUPPORT),
        ENTER,  # Close
        QUIT,
    ]
    result = drive([], keys, passphrase)
    assert result.exit_code == 0, result.output
    book.vault.reload()
    assert [(c.context, c.feeling, c.urge) for c in book.payload.checkins] == [("manual", 4, 1)]
    out = result.output
    assert "Check-in" in out and "Two quick ratings from 0 to 10" in out
    assert "My warning signs" in out  # the plan
    assert "distress  4" in out and "urges  1" in out  # the progress chart
    assert "Help now" in out and "0808 1000 900" in out  # support
    order = ["Two quick ratings", "My warning signs", "distress  4", "Help now", "Goodbye"]
    assert [out.index(seen) for seen in order] == sorted(out.index(seen) for seen in order)


def test_home_menu_import_goes_back_or_says_what_is_wrong(
    book: Workbook, passphrase: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No assignment file waiting here or in Downloads: the list is Type, then Back.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    back = drive([], [_menu(IMPORT), UP + ENTER, QUIT], passphrase)  # Back is last
    assert back.exit_code == 0, back.output
    assert "Goodbye for now" in back.output
    missing = tmp_path / "not-here.ospa"
    keys = [_menu(IMPORT), ENTER, f"'{missing}'" + ENTER, ENTER, QUIT]
    result = drive([], keys, passphrase)
    assert result.exit_code == 0, result.output
    # A long path is wrapped wherever it has to be: compare without the white space.
    said = "".join(f"There is no file called {missing}.".split())
    assert said in "".join(result.output.split())
    assert result.output.index("There is no file") < result.output.index("Goodbye for now")
    book.vault.reload()
    assert book.payload.assignments == []


def test_next_when_every_exercise_is_finished(book: Workbook, passphrase: str) -> None:
    def finish_all(payload: model.Payload) -> None:
        now = model.now()
        for exercise_id in book.exercises():
            entry = model.Entry(number=1, started=now, updated=now, completed=now)
            payload.exercises[exercise_id] = model.ExerciseState(version=1, entries=[entry])

    book.save(finish_all)
    result = drive(["next"], [], passphrase)
    assert result.exit_code == 0, result.output
    assert "You have finished every exercise. Well done." in result.output


def test_plain_mode_has_no_colour_or_boxes(book: Workbook, passphrase: str) -> None:
    lines = ["", "0", "0", "", "", "plain", "/stop"]
    result = drive_plain(["do", "walkthrough"], lines, passphrase)
    assert result.exit_code == 0, result.output
    assert "Practice walk-through" in result.output and "Question 1 of 8" in result.output
    assert not set("╭╮╰╯│─┃━█") & set(result.output)
    assert "\x1b" not in result.output
    plan = drive_plain(["plan"], [""], passphrase)
    assert "My warning signs" in plan.output and "- plain" in plan.output
    assert not set("╭╮╰╯│─") & set(plan.output)


# --- the newcomer review: what a participant sees at each question --------------------


def test_every_kind_shows_its_question_on_its_own_line(book: Workbook, passphrase: str) -> None:
    """The question is printed (wrapped, by Rich) for every kind, lists and tables too;
    the input line itself is a short '>' that cannot run off an 80-column screen."""
    result = drive(["do", "walkthrough"], keys_for_walkthrough(), passphrase)
    assert result.exit_code == 0, result.output
    out = result.output
    for prompt in (
        "Give the feeling a name.",
        "What happened?",
        "Which fits best?",
        "What helps you?",
        "How strong was the feeling?",
        "(0 = not at all, 10 = as strong as it gets)",
        "Did you talk to anyone?",
        "Who did you talk to (a role, not a name)?",
        "Where are you most at risk?",  # list
        "Your goals.",  # table
        "What did you notice?",  # closing reflection
        "How upset or distressed do you feel right now?",  # check-in
    ):
        assert prompt in out, prompt
    assert out.index("Question 8 of 9") < out.index("Where are you most at risk?")
    assert out.index("Question 9 of 9") < out.index("Your goals.")


def test_a_long_question_is_wrapped_not_inline(monkeypatch: pytest.MonkeyPatch) -> None:
    """text_prompt prints the question itself and gives questionary only a short label."""
    import questionary

    from osp_cli.ui import ask

    seen: list[str] = []

    class Fake:
        def unsafe_ask(self) -> str:
            return "typed"

    def fake_text(message: str, **kwargs: Any) -> Fake:
        seen.append(message)
        return Fake()

    monkeypatch.setattr(questionary, "text", fake_text)
    long_label = "A situation where you noticed the urge getting stronger"
    assert ask.text_prompt("Q " * 60, multiline=True, instruction="Esc then Enter") == "typed"
    assert ask.text_prompt(label=long_label) == "typed"
    assert ask.text_prompt(label="Goal:") == "typed"
    assert seen == ["", "", "Goal:"]


def test_help_on_a_list_shows_the_question_and_its_help(book: Workbook, passphrase: str) -> None:
    keys = keys_for_walkthrough()
    at = keys.index("home alone late" + ENTER)
    result = drive(["do", "walkthrough"], [*keys[:at], "/help" + ENTER, CTRL_C], passphrase)
    assert result.exit_code == 130
    out = result.output
    help_at = out.index("Help")
    assert "Where are you most at risk?" in out[help_at:]
    assert "There is no extra help for this question" in out[help_at:]


def test_ticks_survive_flag_and_help_and_actions_are_not_ticks(
    book: Workbook, passphrase: str
) -> None:
    """Choices: the tick list holds only answers; after Enter a menu shows the ticks and
    the actions. Flagging keeps the ticks: Enter twice then saves them."""
    keys = [START, "x" + ENTER, "/skip" + ENTER, ENTER]  # feeling, story, mood
    # helpers: tick walking, Enter; menu: Yes, No, (line), Back, Flag, Stop -> Flag
    keys += [" " + ENTER, DOWN * 3 + ENTER]
    keys += [ENTER, ENTER]  # the list comes back with walking ticked; Enter; Yes
    keys += [CTRL_C]
    result = drive(["do", "walkthrough"], keys, passphrase)
    assert result.exit_code == 130, result.output
    saved = state(book)
    assert saved.flagged == ["helpers"]
    assert saved.answers["helpers"].value == ["walking"]
    assert result.output.count("You ticked: walking.") == 2


def test_enter_with_nothing_ticked_explains_and_offers_the_list_again(
    book: Workbook, passphrase: str
) -> None:
    keys = [START, "x" + ENTER, "/skip" + ENTER, ENTER]
    keys += [ENTER, ENTER]  # nothing ticked: "Go back to the list to tick"
    keys += [DOWN + " " + ENTER, ENTER, CTRL_C]  # tick music; Yes
    result = drive(["do", "walkthrough"], keys, passphrase)
    assert result.exit_code == 130, result.output
    assert "You have not ticked anything." in result.output
    assert "This question needs at least one answer ticked." in result.output
    assert values(book)["helpers"] == ["music"]


def test_list_hint_is_worded_from_required_and_min() -> None:
    from osp_cli.exercises.loader import parse_exercise
    from osp_cli.ui.ask import list_hint

    exercise = parse_exercise((DATA / "walkthrough.toml").read_text("utf-8"), "w.toml")
    places = exercise.question("places")
    assert list_hint(places).startswith("Add one at a time: at least one, up to three.")
    optional = places._replace(required=False, min=None, max=10)
    assert list_hint(optional).startswith("Add one at a time, up to ten.")
    assert "at least 0" not in list_hint(optional)
    required = places._replace(required=True, min=None, max=None)
    assert "at least one" in list_hint(required)


def test_high_final_checkin_shows_support_and_only_closes(book: Workbook, passphrase: str) -> None:
    keys = keys_for_walkthrough()
    # distress 8; urges 0; no note; "No" to the self-harm question; Close
    keys = [*keys[:-2], "8" + ENTER, "0" + ENTER, ENTER, ENTER, ENTER]
    result = drive(["do", "walkthrough"], keys, passphrase)
    assert result.exit_code == 0, result.output
    out = result.output
    after = out[out.index("Now a last check-in") :]
    assert "0808 1000 900" in after
    assert "'More help'" in after
    assert state(book).completed


def test_edit_can_change_the_closing_reflection(book: Workbook, passphrase: str) -> None:
    _finished(book, passphrase)
    direct = drive(["edit", "walkthrough", "_reflection"], [" A lot." + ESC_ENTER], passphrase)
    assert direct.exit_code == 0, direct.output
    assert "What did you notice?" in direct.output
    assert state(book).reflection == "It helped. A lot."
    # From the menu: nine questions, then the reflection.
    picked = drive(
        ["edit", "walkthrough"],
        [DOWN * 9 + ENTER, CLEAR_LINE + "New." + ESC_ENTER, UP + ENTER],
        passphrase,
    )
    assert picked.exit_code == 0, picked.output
    assert state(book).reflection == "New."


def test_plan_keeps_each_command_on_one_line(
    new_workbook: tuple[Workbook, str], passphrase: str
) -> None:
    """At 80 columns, 'osp do ID' is never split across lines (long ids included)."""
    result = drive(["plan"], [ENTER], passphrase)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "You can add to it with:" in out
    assert "osp do reasons-for-and-against-change" in out  # the longest built-in id
    assert "osp do compulsive-online-behaviour" in out
    assert "osp do relapse-prevention-plan" in out
    assert "'osp do" not in out


def test_list_and_progress_show_plain_dates(book: Workbook, passphrase: str) -> None:
    _assign(book)
    listed = CliRunner().invoke(app, ["list", "--session", "1"], input=passphrase + "\n")
    assert listed.exit_code == 0, listed.output
    flat = " ".join(listed.output.split())
    assert "set for you (due Saturday 1 March 2031)" in flat
    drive(["checkin"], [CHECKIN_LOW], passphrase)
    chart = drive(["progress"], [ENTER], passphrase)
    from osp_cli import dates

    book.vault.reload()
    when = dates.day_and_time(book.payload.checkins[-1].at)
    assert when.split(",")[0] in " ".join(chart.output.split())
    assert "T" not in when and "-" not in when


def test_progress_shows_not_set_yet_for_sessions_without_work(
    book: Workbook, passphrase: str
) -> None:
    _assign(book)
    chart = drive(["progress"], [ENTER], passphrase)
    assert chart.exit_code == 0, chart.output
    lines = [" ".join(line.split()) for line in chart.output.splitlines()]
    import re

    assert any(re.fullmatch(r"Session 2 not set yet \(\d+ also available\)", x) for x in lines)
    session_1 = next(line for line in lines if line.startswith("Session 1"))
    assert "0 of 1 set for you done" in session_1 and "more also available" in session_1


# --- answering: earlier answers, scales, optional lists, long answers ---------------------


def test_going_back_and_pressing_enter_keeps_an_answer_and_editing_replaces_it(
    book: Workbook, passphrase: str
) -> None:
    back_from_mood = DOWN * 3 + ENTER  # calm, tense, low, (line), Go back
    keys = [START, "Lonely. Kept it all in." + ENTER, "line one\nline two" + ESC_ENTER]
    keys += [back_from_mood, ENTER, CTRL_C]  # back at the story: Enter keeps it
    first = drive(["do", "walkthrough"], keys, passphrase)
    assert first.exit_code == 130, first.output
    assert values(book)["story"] == "line one\nline two"  # no newline added, nothing doubled
    assert "Your earlier answer is filled in. Press Enter to keep it, or Ctrl-U" in first.output
    # Resume at mood; back to the story; Ctrl-U then /back; Enter keeps the feeling.
    keys = [RESUME, back_from_mood, CLEAR_LINE + "/back" + ENTER, ENTER, ENTER]
    kept = drive(["do", "walkthrough"], [*keys, CTRL_C], passphrase)
    assert kept.exit_code == 130, kept.output
    assert values(book)["feeling"] == "Lonely. Kept it all in."
    assert values(book)["story"] == "line one\nline two"
    # The same way back, but the feeling is cleared and typed again: it is replaced.
    keys = [RESUME, back_from_mood, CLEAR_LINE + "/back" + ENTER]
    keys += [CLEAR_LINE + "Calmer" + ENTER, ENTER, CTRL_C]
    edited = drive(["do", "walkthrough"], keys, passphrase)
    assert edited.exit_code == 130, edited.output
    assert values(book)["feeling"] == "Calmer"
    assert values(book)["story"] == "line one\nline two"


def test_two_empty_lines_finish_a_long_answer(book: Workbook, passphrase: str) -> None:
    keys = [START, "x" + ENTER, "first" + ENTER + ENTER + "second" + ENTER]
    keys += [ENTER + ENTER, CTRL_C]  # two empty lines in a row: finished
    result = drive(["do", "walkthrough"], keys, passphrase)
    assert result.exit_code == 130, result.output
    assert values(book)["story"] == "first\n\nsecond"  # one empty line inside is kept
    assert "press Enter on two empty lines in a row" in " ".join(result.output.split())


def test_a_scale_starts_with_nothing_chosen_and_takes_a_typed_number(
    book: Workbook, passphrase: str
) -> None:
    # Enter alone on the check-in records nothing; a typed number does.
    keys = [ENTER, "4" + ENTER, ENTER + "11" + ENTER + CLEAR_LINE + "2" + ENTER, "note" + ENTER]
    result = drive(["checkin"], keys, passphrase)
    assert result.exit_code == 0, result.output
    book.vault.reload()
    entry = book.payload.checkins[-1]
    assert (entry.feeling, entry.urge) == (4, 2)
    # The Up arrow works too: from nothing it starts at the low end, then counts up.
    arrows = drive(["checkin"], [UP + UP + ENTER, UP + ENTER, ENTER], passphrase)
    assert arrows.exit_code == 0, arrows.output
    book.vault.reload()
    entry = book.payload.checkins[-1]
    assert (entry.feeling, entry.urge) == (1, 0)


def test_optional_lists_in_the_catalogue_can_be_left_empty() -> None:
    """Every built-in list that says min = 0 is optional (the loader's rule), and an
    optional list takes Enter on its first box as 'nothing to add'."""
    from osp_cli.exercises.catalogue import builtin_exercises
    from osp_cli.exercises.model import Kind
    from osp_cli.ui import ask

    lists = [q for e in builtin_exercises().values() for q in e.questions if q.kind is Kind.LIST]
    optional = [q for q in lists if q.min == 0]
    assert len(optional) >= 6 and all(not q.required for q in optional)
    fears = next(q for q in optional if q.id == "fears")
    with create_pipe_input() as inp:
        inp.send_text(ENTER)
        with create_app_session(input=inp, output=DummyOutput()):
            reply = ask.ask_list(fears, None, ask.Context())
    assert reply.value is None and reply.action is None


# --- no typing lost ------------------------------------------------------------------------


def test_ctrl_c_mid_answer_keeps_the_typing_as_a_draft_and_offers_it_back(
    book: Workbook, passphrase: str
) -> None:
    typed = "Half of my story\nand a second line"
    first = drive(["do", "walkthrough"], [START, "on edge" + ENTER, typed, CTRL_C], passphrase)
    assert first.exit_code == 130, first.output
    assert "story" not in values(book)
    assert state(book).drafts == {"story": typed}
    # Back the same day: offered, kept, and Enter (nothing changed) gives it as the answer.
    again = drive(["do", "walkthrough"], [RESUME, ENTER, ENTER, CTRL_C], passphrase)
    assert again.exit_code == 130, again.output
    assert "You had started this answer:" in again.output
    assert "How this works" in first.output  # in full the first time...
    assert "How this works" not in again.output  # ...then one line
    assert "Type /help at any question" in again.output
    assert "Half of my story" in again.output
    assert values(book)["story"] == typed
    assert state(book).drafts == {}


def test_a_draft_can_be_thrown_away_to_start_again(book: Workbook, passphrase: str) -> None:
    drive(["do", "walkthrough"], [START, "not this" + CTRL_C], passphrase)
    assert state(book).drafts == {"feeling": "not this"}
    again = drive(
        ["do", "walkthrough"], [RESUME, DOWN + ENTER, "fresh" + ENTER, CTRL_C], passphrase
    )
    assert again.exit_code == 130, again.output
    assert values(book)["feeling"] == "fresh"
    assert state(book).drafts == {}


def test_a_list_resumes_at_its_first_empty_box_with_the_typing_kept(
    book: Workbook, passphrase: str
) -> None:
    keys = keys_for_walkthrough()
    cut = keys.index("the spare room" + ENTER)
    first = drive(["do", "walkthrough"], [*keys[:cut], "the sp" + CTRL_C], passphrase)
    assert first.exit_code == 130
    assert values(book)["places"] == ["home alone late"]
    assert state(book).drafts == {"places": "the sp"}
    # Resumed: the draft is offered; kept, it is in the second box ready to finish.
    again = [RESUME, ENTER, "are room" + ENTER, ENTER, CTRL_C]
    second = drive(["do", "walkthrough"], again, passphrase)
    assert second.exit_code == 130, second.output
    assert values(book)["places"] == ["home alone late", "the spare room"]


# --- the journey ---------------------------------------------------------------------------


def test_home_after_two_assignments_shows_the_later_date_and_its_note(
    book: Workbook, passphrase: str
) -> None:
    def two(payload: model.Payload) -> None:
        for number, (issued, when, note) in enumerate(
            [
                ("2031-03-01T10:00:00+00:00", "2031-03-09", "First note"),
                ("2031-03-10T10:00:00+00:00", "2031-04-06", "Second note"),
            ]
        ):
            payload.assignments.append(
                model.ImportedAssignment(
                    id=f"a{number}",
                    sequence=number + 1,
                    issued=issued,
                    session=number + 1,
                    exercises=("walkthrough",),
                    due=when,
                    next_session=when,
                    note=note,
                    imported=model.now(),
                )
            )

    book.save(two)
    result = CliRunner().invoke(app, [], input=passphrase + "\n")
    assert result.exit_code == 0, result.output
    assert "Your next session: Sunday 6 April 2031" in result.output
    assert "Second note" in result.output and "First note" not in result.output
    assert "9 March" not in result.output.split("Set by your practitioner")[0]
    assert "Set for you: 0 of 1 done. Also available:" in result.output


def test_do_with_a_mistyped_built_in_id_asks_before_the_passphrase(
    book: Workbook, passphrase: str
) -> None:
    stopped = drive(["do", "hopes-and-fear"], [DOWN * 2 + ENTER], passphrase="")
    assert stopped.exit_code == 1, stopped.output
    assert "There is no built-in exercise called 'hopes-and-fear'." in stopped.output
    assert "Nothing was opened." in stopped.output  # and no passphrase was asked for
    # Yes: it goes on to unlock and open the exercise meant.
    going = drive(["do", "hopes-and-fear"], [ENTER, ENTER, CTRL_C], passphrase)
    assert going.exit_code == 130, going.output
    assert "Hopes and fears" in going.output
    # An unknown id that is close to nothing built in is checked after unlocking.
    unknown = drive(["do", "walkthrugh"], [], passphrase)
    assert unknown.exit_code == 1 and "Did you mean 'walkthrough'?" in unknown.output


def test_finishing_offers_the_next_exercise_set(book: Workbook, passphrase: str) -> None:
    def assign_two(payload: model.Payload) -> None:
        payload.assignments.append(
            model.ImportedAssignment(
                id="a1",
                sequence=1,
                issued=model.now(),
                session=1,
                exercises=("walkthrough", "hopes-and-fears"),
                due="2031-03-01",
                next_session="2031-03-02",
                note="",
                imported=model.now(),
            )
        )

    book.save(assign_two)
    keys = [*keys_for_walkthrough()[:-1], ENTER, INTRO, ENTER, CTRL_C]
    result = drive(["do", "walkthrough"], keys, passphrase)
    assert result.exit_code == 130, result.output
    assert "Your practitioner set 1 more exercise for you." in result.output
    after = result.output.split("Your practitioner set 1 more exercise for you.")[-1]
    assert "Question 1 of 7 · Hopes and fears" in after  # Enter: the next one begins


def test_impossible_and_past_next_session_dates() -> None:
    base = ["practitioner", "assign", "--participant", "P-1", "--session", "1"]
    base += ["--exercise", "hopes-and-fears", "--out", "x.ospa", "--next-session"]
    impossible = CliRunner().invoke(app, [*base, "2031-02-31"])
    assert impossible.exit_code == 2
    assert "There is no 31 February 2031: February 2031 has 28 days." in " ".join(
        impossible.output.split()
    )
    past = CliRunner().invoke(app, [*base, "2020-01-06"])
    assert past.exit_code == 1
    assert "is in the past" in past.output


def test_a_table_resumes_at_its_first_empty_box_with_the_typing_kept(
    book: Workbook, passphrase: str
) -> None:
    keys = keys_for_walkthrough()
    cut = keys.index("update my CV" + ENTER)
    first = drive(["do", "walkthrough"], [*keys[:cut], "update m" + CTRL_C], passphrase)
    assert first.exit_code == 130, first.output
    assert values(book)["goals"] == {"Work": {"Goal": "steady job"}}
    assert state(book).drafts == {"goals": "update m"}
    # Resumed: the table starts at its first empty box (Work, First step), not at the
    # top; the draft is offered there and, kept, is finished in place.
    again = [RESUME, ENTER, "y CV" + ENTER, "see my kids" + ENTER, ENTER, CTRL_C]
    second = drive(["do", "walkthrough"], again, passphrase)
    assert second.exit_code == 130, second.output
    assert "Carrying on from its first empty box." in second.output
    assert values(book)["goals"] == {
        "Work": {"Goal": "steady job", "First step": "update my CV"},
        "Family": {"Goal": "see my kids", "First step": ""},
    }


def test_home_shows_a_finished_diary_set_again_as_to_do_again(
    book: Workbook, passphrase: str
) -> None:
    from osp_cli.exercises.catalogue import builtin_exercises

    diary = next(e for e in builtin_exercises().values() if e.repeatable)

    def set_again(payload: model.Payload) -> None:
        for number, stamp in enumerate(["2031-03-01T10:00:00+00:00", "2031-03-09T10:00:00+00:00"]):
            payload.assignments.append(
                model.ImportedAssignment(
                    id=f"a{number}",
                    sequence=number + 1,
                    issued=stamp,
                    session=1,
                    exercises=(diary.id,),
                    due=None,
                    next_session=None,
                    note="",
                    imported=stamp,
                )
            )
            if number == 0:
                model.mark_complete(diary.id, diary.version)(payload)
                payload.exercises[diary.id].entries[-1].completed = "2031-03-02T20:00:00+00:00"

    book.save(set_again)
    result = CliRunner().invoke(app, [], input=passphrase + "\n")
    assert result.exit_code == 0, result.output
    after = " ".join(result.output.split("Set by your practitioner")[-1].split())
    assert f"{diary.title} to do again" in after
    assert "Set for you: 0 of 1 done." in after
    listed = CliRunner().invoke(app, ["list"], input=passphrase + "\n")
    assert "to do again, set for you" in " ".join(listed.output.split())


def test_plain_mode_takes_the_commands_where_the_numbers_are_typed(
    book: Workbook, passphrase: str
) -> None:
    """At a tick-several question in plain mode, /stop (or /flag, /back...) can be typed
    where the numbers go, as at any typed answer; what was answered before is kept."""
    lines = ["", "0", "0", "", "", "on edge", "", "2", "/stop"]
    result = drive_plain(["do", "walkthrough"], lines, passphrase)
    assert result.exit_code == 0, result.output
    assert "Numbers:" in result.output
    assert "Please type numbers from 1 to" not in result.output
    assert values(book)["feeling"] == "on edge" and values(book)["mood"] == "tense"
    assert "helpers" not in values(book)
