"""Safeguarding at the point of use, in-process: the path back after a slip (urge diary).

Keys for every prompt are queued up front through prompt_toolkit's pipe input.
"""

from __future__ import annotations

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
        ENTER,  # ready
        ENTER,  # had an urge: yes
        "home alone, bored" + ESC_ENTER,  # situation
        DOWN * 7 + ENTER,  # urge at its peak: 7
        "went for a walk" + ESC_ENTER,  # what I did
        " " + ENTER,  # steps used: the first one...
        ENTER,  # ...and that is right
        DOWN * 3 + ENTER,  # urge afterwards: 3
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
