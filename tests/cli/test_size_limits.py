"""One set of size limits (osp_cli/limits.py) for input, export and every reader
(issue 12.4): what a participant can type, his practitioner can always open."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from exchange_data import make_summary
from test_participant import CLEAR_LINE, CTRL_C, ENTER, START, book, drive, values

from osp_cli import crypto, limits
from osp_cli.errors import DamagedFile
from osp_cli.exchange import sealed
from osp_cli.exchange import summary as summary_mod
from osp_cli.exchange.summary import ExerciseEntry, PlanItem, PlanSection, QuestionEntry
from osp_cli.exercises.model import Kind, Question, validate_answer
from osp_cli.ui.ask import _within
from osp_cli.workbook.progress import CheckIn
from osp_cli.workbook.service import Workbook

__all__ = ["book"]  # a fixture, used by name
PART = "correct horse battery staple"
PASTE = "\x1b[200~{}\x1b[201~"  # bracketed paste: the whole text arrives at once


def test_a_150000_character_answer_is_refused_at_input() -> None:
    """The check every text prompt runs on Enter (see the next test for the prompt)."""
    long = "I kept writing. " * 9375
    assert len(long) == 150_000
    problem = _within(limits.ANSWER_CHARS, None)(long)
    assert isinstance(problem, str) and "150,000" in problem
    question = Question(id="q", kind=Kind.LONG_TEXT, prompt="?", required=True)
    assert "too long" in (validate_answer(question, long) or "")


def test_an_answer_just_past_the_limit_is_refused_in_the_prompt_and_nothing_is_lost(
    book: Workbook,
) -> None:
    long = "x" * (limits.ANSWER_CHARS + 1)
    keys = [START, PASTE.format(long) + ENTER, CLEAR_LINE + "on edge" + ENTER, CTRL_C]
    result = drive(["do", "walkthrough"], keys, PART)
    assert result.exit_code == 130, result.output
    assert values(book)["feeling"] == "on edge"  # the long one was never saved


def test_the_prompt_says_why_and_keeps_the_text() -> None:
    check = _within(limits.ANSWER_CHARS, None)
    assert check("x" * limits.ANSWER_CHARS) is True
    message = check("x" * (limits.ANSWER_CHARS + 1))
    assert isinstance(message, str)
    assert "too long" in message and "20,000" in message and "Nothing has been saved" in message
    note = _within(limits.NOTE_CHARS, lambda text: "never" if text == "" else True)
    assert note("y" * (limits.NOTE_CHARS + 1)) != True  # noqa: E712 - a message, not True
    assert note("") == "never"  # the prompt's own check still runs


@pytest.mark.parametrize(
    ("kind", "value_at", "value_past"),
    [
        (Kind.LONG_TEXT, "a" * limits.ANSWER_CHARS, "a" * (limits.ANSWER_CHARS + 1)),
        (Kind.LIST, ["b" * limits.LIST_ITEM_CHARS], ["b" * (limits.LIST_ITEM_CHARS + 1)]),
        (
            Kind.TABLE,
            {"r": {"c": "c" * limits.TABLE_CELL_CHARS}},
            {"r": {"c": "c" * (limits.TABLE_CELL_CHARS + 1)}},
        ),
    ],
)
def test_answers_at_the_limit_pass_and_just_past_it_are_refused(
    kind: Kind, value_at: object, value_past: object
) -> None:
    question = Question(
        id="q", kind=kind, prompt="?", required=False, rows=("r",), columns=("c",), max=5
    )
    assert validate_answer(question, value_at) is None
    problem = validate_answer(question, value_past)
    assert problem is not None and "too long" in problem


def _at_limits() -> summary_mod.Summary:
    """A summary with every participant-written text at its limit."""
    base = make_summary()
    answers: list[tuple[str, object]] = [
        ("long_text", "a" * limits.ANSWER_CHARS),
        ("list", ["b" * limits.LIST_ITEM_CHARS] * 3),
        ("table", {"r": {"c": "c" * limits.TABLE_CELL_CHARS}}),
    ]
    questions = tuple(
        QuestionEntry(id=f"q{i}", kind=kind, prompt="?", answer=answer, flagged=True)  # type: ignore[arg-type]
        for i, (kind, answer) in enumerate(answers)
    )
    exercise = ExerciseEntry(
        "big", "Big", 1, 1, "done", 3, 3, None, None, "Reflect", "d" * limits.ANSWER_CHARS,
        questions,
    )  # fmt: skip
    note = CheckIn("2026-03-01T09:00:00+00:00", 5, 5, "e" * limits.NOTE_CHARS, "manual")
    plan = PlanSection(
        "warning-signs", "Signs", (PlanItem("f" * limits.ANSWER_CHARS, "big", "q0"),)
    )
    return dataclasses.replace(
        base,
        note="g" * limits.NOTE_CHARS,
        exercises=(exercise,),
        checkins=(note,),
        plan=(plan,),
    )


def test_a_summary_at_the_limits_opens_and_one_just_past_does_not(tmp_path: Path) -> None:
    from osp_cli.exchange.keystore import encode, unlock

    keys = unlock(encode(crypto.new_key_pairs(), "a calm river at dawn"), "a calm river at dawn")
    full = _at_limits()
    assert summary_mod.over_limits(full) == []
    signer = crypto.new_signing_key()
    blob = sealed.seal(full.to_bytes(), keys.x25519_public, signer)
    opened = sealed.open_signed(blob, keys.x25519_private, keys.x25519_public)
    back = summary_mod.from_bytes(opened.plaintext)
    assert back == full and len(back.flagged) == 3  # nothing lost, flagged items there
    # One character past the limit of an answer: refused at export, and by the reader.
    past = dataclasses.replace(full, note="g" * (limits.NOTE_CHARS + 1))
    assert [p[1] for p in summary_mod.over_limits(past)] == ["note"]
    with pytest.raises(DamagedFile):
        summary_mod.from_bytes(past.to_bytes())


def test_the_summary_size_limit_is_checked_before_parsing() -> None:
    expected = make_summary()
    raw = json.dumps(expected.to_json()).encode()
    at = raw + b" " * (limits.SUMMARY_BYTES - len(raw))
    assert summary_mod.from_bytes(at) == expected
    with pytest.raises(DamagedFile, match="larger than any summary osp writes"):
        summary_mod.from_bytes(at + b" ")
    assert limits.SEALED_SUMMARY_BYTES == 18 + sealed.MAX_SEALED


def test_export_refuses_an_answer_too_long_to_send(tmp_path: Path) -> None:
    from cli_run import practitioner
    from test_exchange_cli import ENTER as E
    from test_exchange_cli import assign, do_import, export

    assert practitioner(tmp_path, ["init"], stdin="practitioner secret phrase\n" * 2).exit_code == 0
    from osp_cli.workbook import model, service

    workbook, _code = service.create(PART)
    assert do_import(assign(tmp_path, "a1.ospa")).exit_code == 0
    workbook.vault.reload()
    # Written by an older osp, before answers had a limit.
    workbook.save(
        model.set_answer("hopes-and-fears", 1, "what-led-here", "x" * (limits.ANSWER_CHARS + 5))
    )
    out = tmp_path / "s.osps"
    result = export(out, [E, E, "y"])
    assert "too long to send" in " ".join(result.output.split()), result.output
    assert "osp edit hopes-and-fears what-led-here" in result.output
    assert not out.exists()
