"""The strict exercise loader, the model's `when` logic and validate_answer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from osp_cli.errors import ExerciseError
from osp_cli.exercises.loader import load_file, load_paths, parse_exercise
from osp_cli.exercises.model import (
    PLAN_HEADINGS,
    Exercise,
    Kind,
    PlanSection,
    Question,
    When,
    validate_answer,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "exercises"
VALID = DATA / "valid"
INVALID = DATA / "invalid"

TOP = """\
id = "ex"
title = "An exercise"
session = 1
topics = ["coping"]
minutes = 10
version = 1
intro = "Some words."
reflection = "What did you notice?"
"""

TEXT_Q = """
[[questions]]
id = "q"
kind = "text"
prompt = "Say something."
no_names = true
"""

LINE = re.compile(r"^\S.*: exercise '[^']+', question '[^']+', field '[^']+': .+$")


def problems(text: str, source: str = "x.toml") -> list[str]:
    """The problem lines for ``text`` (failing the test if it loads)."""
    with pytest.raises(ExerciseError) as info:
        parse_exercise(text, source)
    lines = info.value.problems
    assert lines, "ExerciseError without problems"
    for line in lines:
        assert LINE.match(line), line
        assert "\n" not in line
    return lines


def question(body: str, *, before: str = "") -> str:
    """A valid top level with ``before`` questions and then one question ``body``."""
    return TOP + before + "\n[[questions]]\n" + body


def assert_problem(lines: list[str], exercise: str, qid: str, field: str, fragment: str) -> None:
    prefix = f"x.toml: exercise '{exercise}', question '{qid}', field '{field}': "
    matching = [line for line in lines if line.startswith(prefix)]
    assert matching, f"no problem starting {prefix!r} in:\n" + "\n".join(lines)
    assert any(fragment in line for line in matching), (fragment, matching)


def test_minimal_text_loads() -> None:
    exercise = parse_exercise(TOP + TEXT_Q, "x.toml")
    assert exercise.id == "ex"
    assert exercise.source == "x.toml"
    assert exercise.sensitive is False and exercise.care is None
    assert exercise.questions == (
        Question(id="q", kind=Kind.TEXT, prompt="Say something.", no_names=True),
    )


# -- one test per kind of malformed file ------------------------------------------------

MALFORMED = [
    # (test id, file text, exercise, question, field, fragment of the message)
    ("unknown-top-key", TOP + "colour = 'blue'\n" + TEXT_Q, "ex", "-", "colour", "unknown key"),
    (
        "unknown-question-key-for-kind",
        question('id = "q"\nkind = "text"\nprompt = "P"\nchoices = ["a"]\n'),
        "ex",
        "q",
        "choices",
        "unknown key for a text question",
    ),
    (
        "unknown-list-key-from-scale",
        question('id = "q"\nkind = "list"\nprompt = "P"\nlabels = { 0 = "a" }\n'),
        "ex",
        "q",
        "labels",
        "unknown key for a list question",
    ),
    (
        "unknown-when-key",
        question(
            'id = "r"\nkind = "text"\nprompt = "P"\n'
            'when = { question = "y", equals = true, also = 1 }\n',
            before='\n[[questions]]\nid = "y"\nkind = "yes_no"\nprompt = "P"\n',
        ),
        "ex",
        "r",
        "when.also",
        "unknown key",
    ),
    (
        "minutes-string",
        TOP.replace("minutes = 10", 'minutes = "10"') + TEXT_Q,
        "ex",
        "-",
        "minutes",
        "must be an integer, not a string",
    ),
    (
        "minutes-bool",
        TOP.replace("minutes = 10", "minutes = true") + TEXT_Q,
        "ex",
        "-",
        "minutes",
        "must be an integer, not a boolean",
    ),
    (
        "version-bool",
        TOP.replace("version = 1", "version = true") + TEXT_Q,
        "ex",
        "-",
        "version",
        "not a boolean",
    ),
    (
        "session-bool",
        TOP.replace("session = 1", "session = true") + TEXT_Q,
        "ex",
        "-",
        "session",
        "not a boolean",
    ),
    (
        "minutes-float",
        TOP.replace("minutes = 10", "minutes = 10.0") + TEXT_Q,
        "ex",
        "-",
        "minutes",
        "not a decimal number",
    ),
    (
        "sensitive-string",
        TOP + 'sensitive = "yes"\ncare = "c"\n' + TEXT_Q,
        "ex",
        "-",
        "sensitive",
        "must be true or false, not a string",
    ),
    (
        "required-int",
        question('id = "q"\nkind = "text"\nprompt = "P"\nrequired = 1\n'),
        "ex",
        "q",
        "required",
        "must be true or false, not an integer",
    ),
    (
        "scale-bool-bound",
        question(
            'id = "q"\nkind = "scale"\nprompt = "P"\nmin = false\nmax = 10\n'
            'labels = { 0 = "a", 10 = "b" }\n'
        ),
        "ex",
        "q",
        "min",
        "must be an integer, not a boolean",
    ),
    (
        "missing-title",
        TOP.replace('title = "An exercise"\n', "") + TEXT_Q,
        "ex",
        "-",
        "title",
        "is required",
    ),
    (
        "missing-reflection",
        TOP.replace('reflection = "What did you notice?"\n', "") + TEXT_Q,
        "ex",
        "-",
        "reflection",
        "is required",
    ),
    ("missing-questions", TOP, "ex", "-", "questions", "is required"),
    ("empty-questions", TOP + "questions = []\n", "ex", "-", "questions", "at least one question"),
    (
        "questions-not-tables",
        TOP + "questions = [1]\n",
        "ex",
        "-",
        "questions",
        "question 1 must be a table, not an integer",
    ),
    ("missing-prompt", question('id = "q"\nkind = "text"\n'), "ex", "q", "prompt", "is required"),
    ("missing-kind", question('id = "q"\nprompt = "P"\n'), "ex", "q", "kind", "is required"),
    (
        "missing-question-id",
        question('kind = "text"\nprompt = "P"\n'),
        "ex",
        "-",
        "id",
        "question 1 has no id",
    ),
    (
        "unknown-kind",
        question('id = "q"\nkind = "essay"\nprompt = "P"\n'),
        "ex",
        "q",
        "kind",
        "'essay' is not a question kind",
    ),
    (
        "empty-prompt",
        question('id = "q"\nkind = "text"\nprompt = "  "\n'),
        "ex",
        "q",
        "prompt",
        "must not be empty",
    ),
    (
        "bad-exercise-id",
        TOP.replace('id = "ex"', 'id = "My Exercise"') + TEXT_Q,
        "-",
        "-",
        "id",
        "lowercase letters, digits or hyphens",
    ),
    (
        "one-letter-exercise-id",
        TOP.replace('id = "ex"', 'id = "e"') + TEXT_Q,
        "-",
        "-",
        "id",
        "2 to 48",
    ),
    (
        "exercise-id-not-string",
        TOP.replace('id = "ex"', "id = 7") + TEXT_Q,
        "-",
        "-",
        "id",
        "must be a string, not an integer",
    ),
    (
        "bad-question-id",
        question('id = "Q_1"\nkind = "text"\nprompt = "P"\n'),
        "ex",
        "-",
        "id",
        "question 1: 'Q_1' must be 1 to 48",
    ),
    (
        "duplicate-question-id",
        question('id = "q"\nkind = "yes_no"\nprompt = "P"\n', before=TEXT_Q),
        "ex",
        "q",
        "id",
        "duplicate question id; question 1 already uses it",
    ),
    (
        "when-forward",
        TOP + '\n[[questions]]\nid = "a"\nkind = "text"\nprompt = "P"\n'
        'when = { question = "b", equals = true }\n'
        '\n[[questions]]\nid = "b"\nkind = "yes_no"\nprompt = "P"\n',
        "ex",
        "a",
        "when.question",
        "points forward to question 'b'",
    ),
    (
        "when-unknown",
        question(
            'id = "a"\nkind = "text"\nprompt = "P"\n'
            'when = { question = "nowhere", equals = true }\n'
        ),
        "ex",
        "a",
        "when.question",
        "unknown question 'nowhere'",
    ),
    (
        "when-itself",
        question(
            'id = "a"\nkind = "yes_no"\nprompt = "P"\nwhen = { question = "a", equals = true }\n'
        ),
        "ex",
        "a",
        "when.question",
        "refers to this question itself",
    ),
    (
        "when-to-text",
        question(
            'id = "a"\nkind = "text"\nprompt = "P"\nwhen = { question = "q", equals = "x" }\n',
            before=TEXT_Q,
        ),
        "ex",
        "a",
        "when.question",
        "question 'q' is a text question",
    ),
    (
        "when-to-table",
        question(
            'id = "a"\nkind = "text"\nprompt = "P"\nwhen = { question = "t", equals = "x" }\n',
            before='\n[[questions]]\nid = "t"\nkind = "table"\nprompt = "P"\nrows = ["r"]\n'
            'columns = ["c"]\nno_names = true\n',
        ),
        "ex",
        "a",
        "when.question",
        "is a table question",
    ),
    (
        "when-value-not-bool",
        question(
            'id = "a"\nkind = "text"\nprompt = "P"\nwhen = { question = "y", equals = "yes" }\n',
            before='\n[[questions]]\nid = "y"\nkind = "yes_no"\nprompt = "P"\n',
        ),
        "ex",
        "a",
        "when.equals",
        "must be true or false for yes_no question 'y'",
    ),
    (
        "when-value-not-a-choice",
        question(
            'id = "a"\nkind = "text"\nprompt = "P"\n'
            'when = { question = "c", any_of = ["red", "blue"] }\n',
            before='\n[[questions]]\nid = "c"\nkind = "choices"\nprompt = "P"\n'
            'choices = ["red", "green"]\n',
        ),
        "ex",
        "a",
        "when.any_of",
        "'blue' is not one of the choices of question 'c'",
    ),
    (
        "when-value-out-of-scale",
        question(
            'id = "a"\nkind = "text"\nprompt = "P"\nwhen = { question = "s", equals = 11 }\n',
            before='\n[[questions]]\nid = "s"\nkind = "scale"\nprompt = "P"\nmin = 0\nmax = 10\n'
            'labels = { 0 = "low", 10 = "high" }\n',
        ),
        "ex",
        "a",
        "when.equals",
        "11 is outside the range 0 to 10 of question 's'",
    ),
    (
        "when-bool-for-scale",
        question(
            'id = "a"\nkind = "text"\nprompt = "P"\nwhen = { question = "s", equals = true }\n',
            before='\n[[questions]]\nid = "s"\nkind = "scale"\nprompt = "P"\nmin = 0\nmax = 10\n'
            'labels = { 0 = "low", 10 = "high" }\n',
        ),
        "ex",
        "a",
        "when.equals",
        "must be an integer for scale question 's', not a boolean",
    ),
    (
        "when-both-equals-and-any-of",
        question(
            'id = "a"\nkind = "text"\nprompt = "P"\n'
            'when = { question = "y", equals = true, any_of = [true] }\n',
            before='\n[[questions]]\nid = "y"\nkind = "yes_no"\nprompt = "P"\n',
        ),
        "ex",
        "a",
        "when",
        "exactly one of equals and any_of",
    ),
    (
        "when-neither",
        question(
            'id = "a"\nkind = "text"\nprompt = "P"\nwhen = { question = "y" }\n',
            before='\n[[questions]]\nid = "y"\nkind = "yes_no"\nprompt = "P"\n',
        ),
        "ex",
        "a",
        "when",
        "exactly one of equals and any_of",
    ),
    (
        "when-not-a-table",
        question('id = "a"\nkind = "text"\nprompt = "P"\nwhen = "y"\n'),
        "ex",
        "a",
        "when",
        "must be a table",
    ),
    (
        "choice-default-outside",
        question('id = "c"\nkind = "choice"\nprompt = "P"\nchoices = ["a", "b"]\ndefault = "z"\n'),
        "ex",
        "c",
        "default",
        "'z' is not one of the choices",
    ),
    (
        "choices-default-outside",
        question(
            'id = "c"\nkind = "choices"\nprompt = "P"\nchoices = ["a", "b"]\ndefault = ["a", "z"]\n'
        ),
        "ex",
        "c",
        "default",
        "'z' is not one of the choices",
    ),
    (
        "choices-default-not-array",
        question('id = "c"\nkind = "choices"\nprompt = "P"\nchoices = ["a"]\ndefault = "a"\n'),
        "ex",
        "c",
        "default",
        "must be an array of choices, not a string",
    ),
    (
        "choices-default-too-many",
        question(
            'id = "c"\nkind = "choices"\nprompt = "P"\nchoices = ["a", "b", "c"]\n'
            'max = 1\ndefault = ["a", "b"]\n'
        ),
        "ex",
        "c",
        "default",
        "more than max (1)",
    ),
    (
        "scale-default-outside",
        question(
            'id = "s"\nkind = "scale"\nprompt = "P"\nmin = 1\nmax = 5\n'
            'labels = { 1 = "a", 5 = "b" }\ndefault = 6\n'
        ),
        "ex",
        "s",
        "default",
        "must be from 1 to 5 (is 6)",
    ),
    (
        "yes-no-default-string",
        question('id = "y"\nkind = "yes_no"\nprompt = "P"\ndefault = "true"\n'),
        "ex",
        "y",
        "default",
        "must be true or false, not a string",
    ),
    (
        "text-default-two-lines",
        question('id = "t"\nkind = "text"\nprompt = "P"\ndefault = "a\\nb"\n'),
        "ex",
        "t",
        "default",
        "must fit on one line",
    ),
    (
        "scale-min-equals-max",
        question(
            'id = "s"\nkind = "scale"\nprompt = "P"\nmin = 5\nmax = 5\nlabels = { 5 = "a" }\n'
        ),
        "ex",
        "s",
        "max",
        "must be greater than min (5), is 5",
    ),
    (
        "scale-range-too-big",
        question(
            'id = "s"\nkind = "scale"\nprompt = "P"\nmin = 0\nmax = 101\n'
            'labels = { 0 = "a", 101 = "b" }\n'
        ),
        "ex",
        "s",
        "max",
        "at most 100 (is 101)",
    ),
    (
        "scale-missing-bounds",
        question('id = "s"\nkind = "scale"\nprompt = "P"\nlabels = { 0 = "a", 10 = "b" }\n'),
        "ex",
        "s",
        "min",
        "is required",
    ),
    (
        "scale-labels-missing-end",
        question(
            'id = "s"\nkind = "scale"\nprompt = "P"\nmin = 0\nmax = 10\nlabels = { 0 = "calm" }\n'
        ),
        "ex",
        "s",
        "labels",
        "must label min (0) and max (10); missing 10",
    ),
    (
        "scale-label-out-of-range",
        question(
            'id = "s"\nkind = "scale"\nprompt = "P"\nmin = 0\nmax = 10\n'
            'labels = { 0 = "a", 10 = "b", 11 = "c" }\n'
        ),
        "ex",
        "s",
        "labels",
        "key 11 is outside the range 0 to 10",
    ),
    (
        "scale-label-not-integer",
        question(
            'id = "s"\nkind = "scale"\nprompt = "P"\nmin = 0\nmax = 10\n'
            'labels = { 0 = "a", 10 = "b", high = "c" }\n'
        ),
        "ex",
        "s",
        "labels",
        "key 'high' is not a whole number",
    ),
    (
        "scale-label-not-string",
        question(
            'id = "s"\nkind = "scale"\nprompt = "P"\nmin = 0\nmax = 10\n'
            'labels = { 0 = "a", 10 = 3 }\n'
        ),
        "ex",
        "s",
        "labels",
        "label 10 must be a string, not an integer",
    ),
    (
        "scale-labels-missing",
        question('id = "s"\nkind = "scale"\nprompt = "P"\nmin = 0\nmax = 10\n'),
        "ex",
        "s",
        "labels",
        "is required",
    ),
    (
        "empty-choices",
        question('id = "c"\nkind = "choice"\nprompt = "P"\nchoices = []\n'),
        "ex",
        "c",
        "choices",
        "must not be empty",
    ),
    (
        "missing-choices",
        question('id = "c"\nkind = "choices"\nprompt = "P"\n'),
        "ex",
        "c",
        "choices",
        "is required",
    ),
    (
        "duplicate-choices",
        question('id = "c"\nkind = "choice"\nprompt = "P"\nchoices = ["a", "b", "a"]\n'),
        "ex",
        "c",
        "choices",
        "choice 3 repeats 'a'; each must be unique",
    ),
    (
        "blank-choice",
        question('id = "c"\nkind = "choice"\nprompt = "P"\nchoices = ["a", " "]\n'),
        "ex",
        "c",
        "choices",
        "choice 2 must not be empty",
    ),
    (
        "choice-not-string",
        question('id = "c"\nkind = "choice"\nprompt = "P"\nchoices = ["a", 2]\n'),
        "ex",
        "c",
        "choices",
        "choice 2 must be a string, not an integer",
    ),
    (
        "empty-rows",
        question('id = "t"\nkind = "table"\nprompt = "P"\nrows = []\ncolumns = ["c"]\n'),
        "ex",
        "t",
        "rows",
        "must not be empty",
    ),
    (
        "empty-columns",
        question('id = "t"\nkind = "table"\nprompt = "P"\nrows = ["r"]\ncolumns = []\n'),
        "ex",
        "t",
        "columns",
        "must not be empty",
    ),
    (
        "duplicate-columns",
        question('id = "t"\nkind = "table"\nprompt = "P"\nrows = ["r"]\ncolumns = ["c", "c"]\n'),
        "ex",
        "t",
        "columns",
        "column 2 repeats 'c'",
    ),
    (
        "list-min-over-max",
        question('id = "l"\nkind = "list"\nprompt = "P"\nmin = 5\nmax = 2\n'),
        "ex",
        "l",
        "max",
        "must be at least min (5), is 2",
    ),
    (
        "list-max-zero",
        question('id = "l"\nkind = "list"\nprompt = "P"\nmax = 0\n'),
        "ex",
        "l",
        "max",
        "must be at least 1 (is 0)",
    ),
    (
        "list-min-over-default-max",
        question('id = "l"\nkind = "list"\nprompt = "P"\nmin = 21\n'),
        "ex",
        "l",
        "min",
        "more than the default max (20)",
    ),
    (
        "choices-min-over-max",
        question(
            'id = "c"\nkind = "choices"\nprompt = "P"\nchoices = ["a", "b", "c"]\n'
            "min = 3\nmax = 2\n"
        ),
        "ex",
        "c",
        "max",
        "must be at least min (3), is 2",
    ),
    (
        "choices-max-over-count",
        question('id = "c"\nkind = "choices"\nprompt = "P"\nchoices = ["a", "b"]\nmax = 3\n'),
        "ex",
        "c",
        "max",
        "must be from 1 to 2 (is 3)",
    ),
    (
        "choices-negative-min",
        question('id = "c"\nkind = "choices"\nprompt = "P"\nchoices = ["a", "b"]\nmin = -1\n'),
        "ex",
        "c",
        "min",
        "must be from 0 to 2 (is -1)",
    ),
    (
        "sensitive-without-care",
        TOP + "sensitive = true\n" + TEXT_Q,
        "ex",
        "-",
        "care",
        "is required when sensitive = true",
    ),
    (
        "session-zero",
        TOP.replace("session = 1", "session = 0") + TEXT_Q,
        "ex",
        "-",
        "session",
        "must be from 1 to 6",
    ),
    (
        "session-seven",
        TOP.replace("session = 1", "session = 7") + TEXT_Q,
        "ex",
        "-",
        "session",
        "(is 7)",
    ),
    (
        "session-unknown-word",
        TOP.replace("session = 1", 'session = "final"') + TEXT_Q,
        "ex",
        "-",
        "session",
        "not 'final'",
    ),
    (
        "minutes-too-long",
        TOP.replace("minutes = 10", "minutes = 181") + TEXT_Q,
        "ex",
        "-",
        "minutes",
        "must be from 1 to 180 (is 181)",
    ),
    (
        "version-zero",
        TOP.replace("version = 1", "version = 0") + TEXT_Q,
        "ex",
        "-",
        "version",
        "must be at least 1 (is 0)",
    ),
    (
        "unknown-topic",
        TOP.replace('["coping"]', '["coping", "astrology"]') + TEXT_Q,
        "ex",
        "-",
        "topics",
        "unknown topic 'astrology'",
    ),
    (
        "no-topics",
        TOP.replace('["coping"]', "[]") + TEXT_Q,
        "ex",
        "-",
        "topics",
        "must not be empty",
    ),
    (
        "duplicate-topic",
        TOP.replace('["coping"]', '["coping", "coping"]') + TEXT_Q,
        "ex",
        "-",
        "topics",
        "repeats 'coping'",
    ),
    (
        "unknown-plan",
        question('id = "q"\nkind = "text"\nprompt = "P"\nplan = "hopes"\n'),
        "ex",
        "q",
        "plan",
        "must be one of warning-signs, risky-situations, coping, if-i-slip, contacts, "
        "reasons, goals",
    ),
    (
        "escape-in-title",
        TOP.replace('"An exercise"', '"Red \\u001b[31m"') + TEXT_Q,
        "ex",
        "-",
        "title",
        "control character (U+001B) at position 5",
    ),
    (
        "bidi-in-prompt",
        question('id = "q"\nkind = "text"\nprompt = "a\\u202eb"\n'),
        "ex",
        "q",
        "prompt",
        "control character (U+202E)",
    ),
    (
        "nul-in-choice",
        question('id = "c"\nkind = "choice"\nprompt = "P"\nchoices = ["a\\u0000"]\n'),
        "ex",
        "c",
        "choices",
        "control character (U+0000)",
    ),
    (
        "cr-in-intro",
        TOP.replace('"Some words."', '"Some\\rwords."') + TEXT_Q,
        "ex",
        "-",
        "intro",
        "control character (U+000D)",
    ),
    (
        "newline-in-title",
        TOP.replace('"An exercise"', '"An\\nexercise"') + TEXT_Q,
        "ex",
        "-",
        "title",
        "must fit on one line",
    ),
]


@pytest.mark.parametrize(
    ("text", "exercise", "qid", "field", "fragment"),
    [pytest.param(*case[1:], id=case[0]) for case in MALFORMED],
)
def test_malformed_file_is_rejected_with_its_location(
    text: str, exercise: str, qid: str, field: str, fragment: str
) -> None:
    assert_problem(problems(text), exercise, qid, field, fragment)


def test_newlines_and_tabs_are_allowed_in_text() -> None:
    text = TOP.replace('"Some words."', '"Line one\\n\\tindented line two"') + TEXT_Q
    assert parse_exercise(text, "x.toml").intro == "Line one\n\tindented line two"


def test_crlf_file_loads() -> None:
    text = TOP.replace('intro = "Some words."', 'intro = """\nLine one\nLine two\n"""')
    text += TEXT_Q
    exercise = parse_exercise(text.replace("\n", "\r\n"), "x.toml")
    assert exercise.intro == "Line one\nLine two\n"


def test_toml_syntax_error_names_the_line() -> None:
    lines = problems(TOP + "oops = \n" + TEXT_Q)
    assert len(lines) == 1
    assert lines[0].startswith("x.toml: exercise '-', question '-', field '-': not valid TOML")
    assert "line 9" in lines[0]


def test_control_characters_in_a_key_are_not_echoed() -> None:
    lines = problems(TOP + '"bad\\u001bkey" = 1\n' + TEXT_Q)
    assert_problem(lines, "ex", "-", "bad?key", "unknown key at the top level")
    assert not any("\x1b" in line for line in lines)


def test_invalid_exercise_id_is_quoted_safely() -> None:
    lines = problems(TOP.replace('id = "ex"', 'id = "\\u001b[2J"') + TEXT_Q)
    assert_problem(lines, "-", "-", "id", "must be 2 to 48")
    assert not any("\x1b" in line for line in lines)


def test_undecodable_utf8_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes((TOP + TEXT_Q).replace("Some words.", "Caf\xe9").encode("latin-1"))
    with pytest.raises(ExerciseError) as info:
        load_file(path)
    (line,) = info.value.problems
    assert line.startswith(f"{path}: exercise '-', question '-', field '-': ")
    assert "not valid UTF-8" in line


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + (TOP + TEXT_Q).encode())
    assert load_file(path).id == "ex"


def test_missing_file_is_a_problem(tmp_path: Path) -> None:
    with pytest.raises(ExerciseError) as info:
        load_file(tmp_path / "nope.toml")
    assert "cannot be read" in info.value.problems[0]
    with pytest.raises(ExerciseError) as info:
        load_paths([tmp_path / "nope.toml"])
    assert info.value.problems == [
        f"{tmp_path / 'nope.toml'}: exercise '-', question '-', field '-': "
        "no such file or directory"
    ]


def test_a_directory_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(ExerciseError) as info:
        load_file(tmp_path)
    assert "cannot be read" in info.value.problems[0]


def test_many_problems_in_one_file_are_reported_together() -> None:
    path = INVALID / "many-problems.toml"
    with pytest.raises(ExerciseError) as info:
        load_file(path)
    lines = info.value.problems
    assert all(line.startswith(f"{path}: exercise 'many-problems', ") for line in lines)
    fields = {re.sub(r".*question '([^']*)', field '([^']*)'.*", r"\1/\2", line) for line in lines}
    assert {
        "-/colour",
        "-/title",
        "-/session",
        "-/topics",
        "-/minutes",
        "-/version",
        "-/intro",
        "-/care",
        "pick/choices",
        "pick/id",
        "rate/max",
        "later/rows",
        "later/when.question",
        "future/choices",
        "future/default",
    } <= fields
    assert info.value.message.startswith(f"{len(lines)} problems found in exercise files:")


def test_problems_across_files_are_all_reported(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(TOP.replace("session = 1", "session = 9") + TEXT_Q)
    (tmp_path / "b.toml").write_text(TOP.replace('id = "ex"', 'id = "other"') + "x = 1\n" + TEXT_Q)
    (tmp_path / "notes.txt").write_text("not an exercise")
    with pytest.raises(ExerciseError) as info:
        load_paths([tmp_path])
    assert [line.split(":")[0] for line in info.value.problems] == [
        str(tmp_path / "a.toml"),
        str(tmp_path / "b.toml"),
    ]


def test_duplicate_exercise_ids_across_files(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(TOP + TEXT_Q)
    (tmp_path / "b.toml").write_text(TOP + TEXT_Q)
    with pytest.raises(ExerciseError) as info:
        load_paths([tmp_path])
    assert info.value.problems == [
        f"{tmp_path / 'b.toml'}: exercise 'ex', question '-', field 'id': "
        f"duplicate exercise id; {tmp_path / 'a.toml'} already uses it"
    ]


def test_load_paths_directory_is_sorted_and_a_file_given_twice_counts_once(
    tmp_path: Path,
) -> None:
    for name in ("zeta", "alpha", "mid"):
        (tmp_path / f"{name}.toml").write_text(TOP.replace('id = "ex"', f'id = "{name}"') + TEXT_Q)
    loaded = load_paths([tmp_path, tmp_path / "mid.toml"])
    assert [exercise.id for exercise in loaded] == ["alpha", "mid", "zeta"]
    assert loaded[0].source == str(tmp_path / "alpha.toml")


def test_empty_directory_loads_nothing(tmp_path: Path) -> None:
    assert load_paths([tmp_path]) == []


# -- valid files -------------------------------------------------------------------------


@pytest.fixture
def all_kinds() -> Exercise:
    return load_file(VALID / "all-kinds.toml")


def test_every_kind_loads(all_kinds: Exercise) -> None:
    assert {q.kind for q in all_kinds.questions} == set(Kind)
    assert all_kinds.sensitive is True
    assert all_kinds.care == "Take a break whenever you need one."
    assert all_kinds.session == 1 and all_kinds.version == 2 and all_kinds.minutes == 15
    assert all_kinds.topics == ("cbt-triangle", "coping")

    text = all_kinds.question("name-it")
    assert (text.default, text.no_names, text.help) == ("worried", True, "One or two words.")
    assert all_kinds.question("story").required is False
    choice = all_kinds.question("mood")
    assert (choice.choices, choice.default) == (("calm", "tense", "low"), "calm")
    choices = all_kinds.question("helpers")
    assert (choices.default, choices.min, choices.max) == (("music",), 1, 2)
    assert choices.plan is PlanSection.COPING
    scale = all_kinds.question("strength")
    assert (scale.min, scale.max, scale.default) == (0, 10, 5)
    assert scale.labels == {0: "not at all", 5: "medium", 10: "as strong as it gets"}
    assert scale.label_for(10) == "as strong as it gets" and scale.label_for(3) is None
    assert all_kinds.question("talked").default is False
    listing = all_kinds.question("signs")
    assert (listing.min, listing.max, listing.item_prompt) == (1, 5, "A warning sign")
    table = all_kinds.question("steps")
    assert table.rows == ("Before", "During", "After")
    assert (table.columns, table.row_header) == (("Thought", "Action"), "Stage")
    assert all_kinds.question("who").when == When(question="talked", equals=True)
    assert all_kinds.question("why-tense").when == When(question="mood", any_of=("tense", "low"))


def test_defaults_filled_in_for_lists_and_choices() -> None:
    exercise = load_file(VALID / "minimal.toml")
    (listing,) = exercise.questions
    assert (listing.min, listing.max, listing.required) == (0, 20, True)
    assert exercise.session == "evaluation" and exercise.session_label == "Evaluation"
    text = question('id = "c"\nkind = "choices"\nprompt = "P"\nchoices = ["a", "b", "c"]\n')
    choices = parse_exercise(text, "x.toml").question("c")
    assert (choices.min, choices.max, choices.default) == (0, 3, None)


def test_question_lookup(all_kinds: Exercise) -> None:
    assert all_kinds.question("mood").kind is Kind.CHOICE
    with pytest.raises(KeyError):
        all_kinds.question("missing")


def test_negative_scale_labels() -> None:
    text = question(
        'id = "s"\nkind = "scale"\nprompt = "P"\nmin = -5\nmax = 5\n'
        'labels = { -5 = "worse", 0 = "same", 5 = "better" }\n'
    )
    assert parse_exercise(text, "x.toml").question("s").labels == {
        -5: "worse",
        0: "same",
        5: "better",
    }


def test_plan_headings_cover_every_section() -> None:
    assert set(PLAN_HEADINGS) == set(PlanSection)
    assert PLAN_HEADINGS[PlanSection.COPING] == "What I will do"


# -- when / visible_questions ------------------------------------------------------------


def visible_ids(exercise: Exercise, answers: dict[str, object]) -> list[str]:
    return [q.id for q in exercise.visible_questions(answers)]


CONDITIONAL = {"who", "why-tense", "music-kind", "strong"}


def test_conditional_questions_hidden_without_answers(all_kinds: Exercise) -> None:
    ids = visible_ids(all_kinds, {})
    assert CONDITIONAL.isdisjoint(ids)
    assert len(ids) == len(all_kinds.questions) - len(CONDITIONAL)


@pytest.mark.parametrize(
    ("answers", "shown"),
    [
        ({"talked": True}, {"who"}),
        ({"talked": False}, set()),
        ({"mood": "tense"}, {"why-tense"}),
        ({"mood": "low"}, {"why-tense"}),
        ({"mood": "calm"}, set()),
        ({"helpers": ["walking", "music"]}, {"music-kind"}),
        ({"helpers": ["walking"]}, set()),
        ({"helpers": []}, set()),
        ({"strength": 9}, {"strong"}),
        ({"strength": 7}, set()),
        ({"talked": 1}, set()),  # 1 is not true
        ({"strength": True}, set()),  # true is not 1
        ({"talked": None}, set()),
    ],
)
def test_when_shows_matching_questions(
    all_kinds: Exercise, answers: dict[str, object], shown: set[str]
) -> None:
    assert set(visible_ids(all_kinds, answers)) & CONDITIONAL == shown


def test_when_holds_rules() -> None:
    assert When("a", equals="x").holds({"a": "x"})
    assert not When("a", equals="x").holds({})
    assert When("a", any_of=(1, 2)).holds({"a": 2})
    assert not When("a", any_of=(1, 2)).holds({"a": 3})
    assert When("a", any_of=("x", "y")).holds({"a": ["z", "y"]})
    assert not When("a", equals=1).holds({"a": True})
    assert not When("a", equals=False).holds({"a": 0})


CHAIN = (
    TOP
    + '\n[[questions]]\nid = "a"\nkind = "yes_no"\nprompt = "P"\n'
    + '\n[[questions]]\nid = "b"\nkind = "choice"\nprompt = "P"\nchoices = ["x", "y"]\n'
    + 'when = { question = "a", equals = true }\n'
    + '\n[[questions]]\nid = "c"\nkind = "text"\nprompt = "P"\nno_names = true\n'
    + 'when = { question = "b", equals = "x" }\n'
)


def test_question_under_a_hidden_question_is_hidden() -> None:
    exercise = parse_exercise(CHAIN, "x.toml")
    assert visible_ids(exercise, {"a": True, "b": "x"}) == ["a", "b", "c"]
    # "b" has a stale answer but is hidden now, so "c" must be hidden too.
    assert visible_ids(exercise, {"a": False, "b": "x"}) == ["a"]


# -- validate_answer ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("qid", "value", "expected"),
    [
        ("name-it", "anxious", None),
        ("name-it", "two\nlines", "one line"),
        ("name-it", 3, "must be text"),
        ("name-it", "   ", "needs an answer"),
        ("name-it", None, "needs an answer"),
        ("story", None, None),
        ("story", "", None),
        ("story", "many\nlines", None),
        ("mood", "tense", None),
        ("mood", "happy", "one of the options"),
        ("mood", ["tense"], "one of the options"),
        ("helpers", ["music"], None),
        ("helpers", ["music", "walking"], None),
        ("helpers", ["music", "walking", "calling someone"], "at most 2 options"),
        ("helpers", [], "needs an answer"),
        ("helpers", ["dancing"], "only from the options"),
        ("helpers", ["music", "music"], "only once"),
        ("helpers", "music", "list of options"),
        ("strength", 0, None),
        ("strength", 10, None),
        ("strength", 11, "from 0 to 10"),
        ("strength", -1, "from 0 to 10"),
        ("strength", True, "whole number"),
        ("strength", 5.0, "whole number"),
        ("talked", False, None),
        ("talked", 0, "yes or no"),
        ("signs", ["a", "b"], None),
        ("signs", ["a"] * 6, "at most 5 items"),
        ("signs", [], "needs an answer"),
        ("signs", ["a", " "], "must not be blank"),
        ("signs", ["a", 2], "must be text"),
        ("signs", "a", "must be a list"),
        ("steps", {"Before": {"Thought": "t", "Action": "a"}}, None),
        ("steps", {"Before": {"Thought": "t"}, "During": {"Action": "x"}}, None),
        ("steps", {"Later": {"Thought": "t"}}, "row"),
        ("steps", {"Before": {"Feeling": "t"}}, "column"),
        ("steps", {"Before": {"Thought": 1}}, "must be text"),
        ("steps", {"Before": "t"}, "map columns"),
        ("steps", [], "needs an answer"),
        ("steps", ["Before"], "must be a table"),
        ("steps", {"Before": {"Thought": ""}}, "needs an answer"),
    ],
)
def test_validate_answer(
    all_kinds: Exercise, qid: str, value: object, expected: str | None
) -> None:
    message = validate_answer(all_kinds.question(qid), value)
    if expected is None:
        assert message is None
    else:
        assert message is not None and expected in message, message


def test_validate_answer_min_items_and_optional_lists() -> None:
    listing = Question(id="l", kind=Kind.LIST, prompt="P", min=2, max=3)
    assert validate_answer(listing, ["a"]) == "Please give at least 2 items."
    optional = Question(id="l", kind=Kind.LIST, prompt="P", required=False, min=2, max=3)
    assert validate_answer(optional, []) is None
    assert validate_answer(optional, None) is None
    assert validate_answer(optional, ["a"]) == "Please give at least 2 items."
    one = Question(id="c", kind=Kind.CHOICES, prompt="P", choices=("a", "b"), min=1, max=1)
    assert validate_answer(one, ["a", "b"]) == "Please give at most 1 option."


# -- robustness: only ExerciseError ever comes out -----------------------------------------

VALUES = [
    '""',
    '"x"',
    "true",
    "0",
    "-1",
    "101",
    "1.5",
    "[]",
    '["a", "a"]',
    "[1, 2]",
    "{}",
    '{ question = "mood", equals = 3 }',
    "1979-05-27",
    '"\\u001b"',
    '{ 0 = "a" }',
]


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_mutated_files_never_raise_anything_but_exercise_error(data: st.DataObject) -> None:
    lines = (VALID / "all-kinds.toml").read_text().splitlines()
    assignments = [i for i, line in enumerate(lines) if " = " in line and not line[0].isspace()]
    for _ in range(data.draw(st.integers(1, 4))):
        index = data.draw(st.sampled_from(assignments))
        key = lines[index].split(" = ")[0]
        lines[index] = f"{key} = {data.draw(st.sampled_from(VALUES))}"
    try:
        parse_exercise("\n".join(lines), "m.toml")
    except ExerciseError as error:
        assert error.problems
        assert all(LINE.match(line) for line in error.problems), error.problems
        assert not any("could not be checked" in line for line in error.problems), error.problems


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=300))
def test_arbitrary_text_never_raises_anything_but_exercise_error(text: str) -> None:
    with pytest.raises(ExerciseError) as info:
        parse_exercise(text, "r.toml")
    assert not any("could not be checked" in line for line in info.value.problems)


def test_order_defaults_and_bounds() -> None:
    assert parse_exercise(TOP + TEXT_Q, "x.toml").order == 50
    assert parse_exercise(TOP + "order = 3\n" + TEXT_Q, "x.toml").order == 3
    assert_problem(problems(TOP + "order = 0\n" + TEXT_Q), "ex", "-", "order", "from 1 to 99")
    assert_problem(problems(TOP + 'order = "1"\n' + TEXT_Q), "ex", "-", "order", "integer")


# --- exclusive choices ("None of these") ------------------------------------------------

EXCLUSIVE_Q = """id = "q"
kind = "choices"
prompt = "Which apply?"
choices = ["A court order", "Bail conditions", "None of these"]
exclusive = ["None of these"]
"""


def test_exclusive_choice_cannot_be_ticked_with_others() -> None:
    exercise = parse_exercise(question(EXCLUSIVE_Q), "x.toml")
    q = exercise.question("q")
    assert q.exclusive == ("None of these",)
    assert validate_answer(q, ["None of these"]) is None
    assert validate_answer(q, ["A court order", "Bail conditions"]) is None
    message = validate_answer(q, ["A court order", "None of these"])
    assert message == "'None of these' cannot be ticked together with other options."


def test_exclusive_must_name_choices_and_fit_the_default() -> None:
    lines = problems(question(EXCLUSIVE_Q.replace('["None of these"]', '["Nothing"]')))
    assert_problem(lines, "ex", "q", "exclusive", "'Nothing' is not one of the choices")
    with_default = EXCLUSIVE_Q + 'default = ["A court order", "None of these"]\n'
    lines = problems(question(with_default))
    assert_problem(lines, "ex", "q", "default", "picks 'None of these' with other choices")
    lines = problems(question(EXCLUSIVE_Q.replace('kind = "choices"', 'kind = "choice"')))
    assert_problem(lines, "ex", "q", "exclusive", "unknown key")


# -- safety flags ---------------------------------------------------------------------

SENSITIVE_TOP = TOP + 'sensitive = true\ncare = "Take care."\n'
TYPED_BODIES = {
    "text": 'id = "w"\nkind = "text"\nprompt = "P"\n',
    "long_text": 'id = "w"\nkind = "long_text"\nprompt = "P"\n',
    "list": 'id = "w"\nkind = "list"\nprompt = "P"\n',
    "table": 'id = "w"\nkind = "table"\nprompt = "P"\nrows = ["r"]\ncolumns = ["c"]\n',
}
UNTYPED_BODIES = {
    "choice": 'id = "w"\nkind = "choice"\nprompt = "P"\nchoices = ["a", "b"]\n',
    "choices": 'id = "w"\nkind = "choices"\nprompt = "P"\nchoices = ["a", "b"]\n',
    "scale": 'id = "w"\nkind = "scale"\nprompt = "P"\nmin = 0\nmax = 10\n'
    'labels = { 0 = "low", 10 = "high" }\n',
    "yes_no": 'id = "w"\nkind = "yes_no"\nprompt = "P"\n',
}


@pytest.mark.parametrize("kind", list(TYPED_BODIES))
def test_typed_question_without_no_names_is_refused(kind: str) -> None:
    lines = problems(TOP + "\n[[questions]]\n" + TYPED_BODIES[kind])
    assert_problem(lines, "ex", "w", "no_names", "must set no_names = true")
    assert_problem(lines, "ex", "w", "no_names", "no_names_exempt")


@pytest.mark.parametrize("kind", list(TYPED_BODIES))
def test_typed_question_with_no_names_false_is_refused(kind: str) -> None:
    lines = problems(TOP + "\n[[questions]]\n" + TYPED_BODIES[kind] + "no_names = false\n")
    assert_problem(lines, "ex", "w", "no_names", "must set no_names = true")


@pytest.mark.parametrize("kind", list(TYPED_BODIES))
def test_typed_question_may_opt_out_of_no_names_with_a_reason(kind: str) -> None:
    body = TYPED_BODIES[kind] + 'no_names_exempt = "asks only for a number of hours"\n'
    exercise = parse_exercise(TOP + "\n[[questions]]\n" + body, "x.toml")
    question = exercise.question("w")
    assert question.no_names is False
    assert question.no_names_exempt == "asks only for a number of hours"


def test_opt_out_needs_a_reason_and_cannot_go_with_the_reminder() -> None:
    blank = problems(TOP + "\n[[questions]]\n" + TYPED_BODIES["text"] + 'no_names_exempt = " "\n')
    assert_problem(blank, "ex", "w", "no_names_exempt", "must not be empty")
    both = problems(
        TOP
        + "\n[[questions]]\n"
        + TYPED_BODIES["text"]
        + 'no_names = true\nno_names_exempt = "because"\n'
    )
    assert_problem(both, "ex", "w", "no_names_exempt", "not both")


@pytest.mark.parametrize("kind", list(TYPED_BODIES))
def test_sensitive_typed_question_without_no_sexual_detail_is_refused(kind: str) -> None:
    body = TYPED_BODIES[kind] + "no_names = true\n"
    lines = problems(SENSITIVE_TOP + "\n[[questions]]\n" + body)
    assert_problem(lines, "ex", "w", "no_sexual_detail", "sensitive exercise")
    assert len(lines) == 1, lines
    fixed = parse_exercise(
        SENSITIVE_TOP + "\n[[questions]]\n" + body + "no_sexual_detail = true\n", "x.toml"
    )
    assert fixed.question("w").no_sexual_detail is True
    # The same question in an exercise that is not sensitive may leave it out.
    assert parse_exercise(TOP + "\n[[questions]]\n" + body, "x.toml").question("w").no_names


def test_sensitive_exempt_question_still_needs_no_sexual_detail() -> None:
    body = TYPED_BODIES["long_text"] + 'no_names_exempt = "about the weather only"\n'
    lines = problems(SENSITIVE_TOP + "\n[[questions]]\n" + body)
    assert_problem(lines, "ex", "w", "no_sexual_detail", "must set no_sexual_detail = true")


@pytest.mark.parametrize("kind", list(UNTYPED_BODIES))
@pytest.mark.parametrize(
    ("flag", "line"),
    [
        ("no_names", "no_names = true\n"),
        ("no_sexual_detail", "no_sexual_detail = true\n"),
        ("no_names_exempt", 'no_names_exempt = "why"\n'),
    ],
)
def test_safety_flags_on_questions_without_typing_are_refused(
    kind: str, flag: str, line: str
) -> None:
    lines = problems(SENSITIVE_TOP + "\n[[questions]]\n" + UNTYPED_BODIES[kind] + line)
    assert_problem(lines, "ex", "w", flag, f"nothing can be typed in a {kind} question")


@pytest.mark.parametrize("kind", list(UNTYPED_BODIES))
def test_questions_without_typing_need_no_flags(kind: str) -> None:
    exercise = parse_exercise(SENSITIVE_TOP + "\n[[questions]]\n" + UNTYPED_BODIES[kind], "x.toml")
    assert exercise.question("w").no_names is False


def test_safety_flag_problems_name_the_file_and_are_all_reported(tmp_path: Path) -> None:
    path = tmp_path / "flags.toml"
    path.write_text(
        SENSITIVE_TOP
        + "\n[[questions]]\n"
        + TYPED_BODIES["long_text"]
        + "\n[[questions]]\n"
        + UNTYPED_BODIES["scale"].replace('"w"', '"s"')
        + "no_names = true\n",
        encoding="utf-8",
    )
    with pytest.raises(ExerciseError) as info:
        load_paths([path])
    lines = info.value.problems
    prefix = f"{path}: exercise 'ex', question "
    assert any(line.startswith(prefix + "'w', field 'no_names': ") for line in lines), lines
    assert any(line.startswith(prefix + "'w', field 'no_sexual_detail': ") for line in lines)
    assert any(line.startswith(prefix + "'s', field 'no_names': ") for line in lines), lines


def test_stored_exercise_without_flags_still_loads_with_the_reminders_on() -> None:
    """An exercise accepted before the rules (in a workbook or an assignment) still opens,
    and its participant sees the reminders instead of losing them."""
    text = (
        SENSITIVE_TOP
        + "\n[[questions]]\n"
        + TYPED_BODIES["long_text"]
        + "\n[[questions]]\n"
        + UNTYPED_BODIES["yes_no"].replace('"w"', '"y"')
        + "no_names = true\n"
        + "\n[[questions]]\n"
        + TYPED_BODIES["text"].replace('"w"', '"e"')
        + 'no_names_exempt = "a number only"\n'
    )
    with pytest.raises(ExerciseError):
        parse_exercise(text, "x.toml")
    exercise = parse_exercise(text, "x.toml", fill_safety_flags=True)
    typed = exercise.question("w")
    assert typed.no_names and typed.no_sexual_detail
    assert not exercise.question("y").no_names
    exempt = exercise.question("e")
    assert exempt.no_names is False and exempt.no_names_exempt == "a number only"
    assert exempt.no_sexual_detail


def test_flag_on_is_a_boolean_on_yes_no_questions_only() -> None:
    body = 'id = "y"\nkind = "yes_no"\nprompt = "P"\nflag_on = true\n'
    assert parse_exercise(question(body), "x.toml").question("y").flag_on is True
    lines = problems(question(body.replace("flag_on = true", 'flag_on = "yes"')))
    assert_problem(lines, "ex", "y", "flag_on", "true or false")
    text = 'id = "t"\nkind = "text"\nprompt = "P"\nno_names = true\nflag_on = true\n'
    assert_problem(problems(question(text)), "ex", "t", "flag_on", "unknown key")
