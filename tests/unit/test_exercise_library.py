"""The built-in exercise library: it loads, covers the programme, and follows the content rules.

These tests read the real files in ``exercises/`` through the real loader. They check the
programme structure (sessions and topics), the safety rules (care notes, no names, no
sexual detail) and the readability limits from the content brief.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from osp_cli.exercises.catalogue import SESSION_TOPICS, TOPICS, builtin_dir, builtin_exercises
from osp_cli.exercises.loader import load_paths
from osp_cli.exercises.model import (
    EVALUATION,
    PLAN_HEADINGS,
    Exercise,
    Kind,
    PlanSection,
    Question,
    validate_answer,
)
from osp_cli.exercises.safety_flags import TYPED_KINDS

EXERCISES_DIR = Path(__file__).resolve().parents[2] / "exercises"

# Readability limits from the content brief.
MAX_INTRO_WORDS = 200
MAX_AVERAGE_SENTENCE_WORDS = 16
MAX_SENTENCE_WORDS = 32

# Programme structure.
MIN_EXERCISES = 30
MIN_EXERCISES_PER_CORE_SESSION = 4
CORE_SESSIONS = (1, 2, 3, 4, 5)
MIN_SESSION_6, MAX_SESSION_6 = 1, 2
MIN_WHEN_CONDITIONS = 3
MIN_HELP_SHARE = 0.5

# Topics whose exercises look at the offending or the past, so need a care note.
SENSITIVE_TOPICS = frozenset(
    {
        "finkelhor",
        "cycles",
        "grooming-stages",
        "timeline",
        "typologies",
        "fantasy",
        "reinforcement",
        "victim-empathy",
    }
)

# The self-help topics the second edition added (issue 11, point 2), each with the
# exercise written for it. Every one must be covered by at least one exercise.
SELF_HELP_TOPICS: dict[str, str] = {
    "online-safety": "my-online-safety-plan",
    "lapse": "if-i-slip",
    "self-care": "looking-after-myself",
    "problem-solving": "problem-solving",
    "assertiveness": "standing-up-for-myself",
    "pornography": "adult-pornography-and-me",
    "values": "who-i-want-to-be",
    "decisional-balance": "reasons-for-and-against-change",
    "mood-sleep": "mood-and-sleep-log",
}

# Where the care note must point people for support.
SUPPORT_POINTERS = ("osp support", "0808 1000 900", "116 123", "999")

# Kinds whose free-text answers can feed a section of "My plan".
PLAN_FEEDING_KINDS = frozenset({Kind.LIST, Kind.TEXT, Kind.LONG_TEXT})

# A prompt or help text mentioning any of these invites an answer about another person,
# so the question must show the "no names" reminder.
PERSON_WORDS = re.compile(
    r"\b(someone|somebody|anyone|person|people|who|whom|contacts?|child|children|child's"
    r"|young person|young people)\b",
    re.IGNORECASE,
)

# Explicit sexual terms that must never appear in exercise text (word stems).
BANNED_WORDS = re.compile(
    r"\b(masturbat\w*|orgasm\w*|ejaculat\w*|erection\w*|penis\w*|vagina\w*|genital\w*"
    r"|nudes?|naked|intercourse|porn(?!ography\b)\w*|sexting)\b",
    re.IGNORECASE,
)

_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_WORDLIKE = re.compile(r"[A-Za-z0-9]")


def sentences(text: str) -> list[list[str]]:
    """Split text into sentences (lists of words).

    Sentences end at ``.``, ``!`` or ``?`` followed by space, and at every line break; a
    Markdown list item counts as a sentence of its own. Tokens without a letter or digit
    (such as a lone dash) are not words.
    """
    result: list[list[str]] = []
    for line in text.splitlines():
        line = _LIST_MARKER.sub("", line)
        for part in _SENTENCE_END.split(line):
            words = [token for token in part.split() if _WORDLIKE.search(token)]
            if words:
                result.append(words)
    return result


def word_count(text: str) -> int:
    return sum(len(sentence) for sentence in sentences(text))


def _load_library() -> list[Exercise]:
    return load_paths([EXERCISES_DIR])


LIBRARY: list[Exercise] = _load_library()
SENSITIVE: list[Exercise] = [exercise for exercise in LIBRARY if exercise.sensitive]
BY_ID: dict[str, Exercise] = {exercise.id: exercise for exercise in LIBRARY}
ALL_QUESTIONS: list[tuple[Exercise, Question]] = [
    (exercise, question) for exercise in LIBRARY for question in exercise.questions
]


def _readable_blocks(exercise: Exercise) -> Iterator[tuple[str, str]]:
    """(where, text) for the intro, care note, every prompt and every help text."""
    yield "intro", exercise.intro
    if exercise.care:
        yield "care", exercise.care
    for question in exercise.questions:
        yield f"{question.id}.prompt", question.prompt
        if question.help:
            yield f"{question.id}.help", question.help


def _all_text(exercise: Exercise) -> Iterator[str]:
    """Every piece of text the participant can see in an exercise."""
    yield exercise.title
    yield exercise.intro
    yield exercise.reflection
    if exercise.care:
        yield exercise.care
    for question in exercise.questions:
        yield question.prompt
        if question.help:
            yield question.help
        if question.item_prompt:
            yield question.item_prompt
        if question.row_header:
            yield question.row_header
        yield from question.choices
        yield from question.rows
        yield from question.columns
        yield from question.labels.values()
        if isinstance(question.default, str):
            yield question.default


def _ids(exercises: list[Exercise]) -> list[str]:
    return [exercise.id for exercise in exercises]


# --- the sentence splitter the readability checks rely on -------------------------------


def test_sentences_split_on_punctuation_line_breaks_and_list_items() -> None:
    text = "One two three. Four five!\nSix seven?\n\n- eight nine\n2. ten"
    assert sentences(text) == [
        ["One", "two", "three."],
        ["Four", "five!"],
        ["Six", "seven?"],
        ["eight", "nine"],
        ["ten"],
    ]
    assert word_count("A - b") == 2


# --- loading ------------------------------------------------------------------------------


def test_every_file_loads_on_its_own_with_id_matching_file_name() -> None:
    files = sorted(EXERCISES_DIR.glob("*.toml"))
    assert files, f"no exercise files in {EXERCISES_DIR}"
    for path in files:
        loaded = load_paths([path])
        assert len(loaded) == 1, path.name
        assert loaded[0].id == path.stem, f"{path.name}: id {loaded[0].id!r}"


def test_library_loads_as_a_whole_with_unique_ids() -> None:
    assert len(LIBRARY) == len(list(EXERCISES_DIR.glob("*.toml")))
    assert len(BY_ID) == len(LIBRARY)


def test_builtin_exercises_are_the_files_in_exercises_dir() -> None:
    if builtin_dir().resolve() != EXERCISES_DIR:
        pytest.skip("osp is installed from a wheel; built-ins come from its own copy")
    assert sorted(builtin_exercises()) == sorted(BY_ID)


# --- programme structure -------------------------------------------------------------------


def test_session_counts() -> None:
    assert len(LIBRARY) >= MIN_EXERCISES
    counts = Counter(exercise.session for exercise in LIBRARY)
    for session in CORE_SESSIONS:
        assert counts[session] >= MIN_EXERCISES_PER_CORE_SESSION, f"session {session}"
    assert MIN_SESSION_6 <= counts[6] <= MAX_SESSION_6
    assert counts[EVALUATION] >= 1


@pytest.mark.parametrize("session", list(SESSION_TOPICS), ids=str)
def test_every_topic_is_covered_within_its_session(session: int | str) -> None:
    tagged = {
        topic for exercise in LIBRARY if exercise.session == session for topic in exercise.topics
    }
    missing = [topic for topic in SESSION_TOPICS[session] if topic not in tagged]
    assert not missing, f"session {session}: no exercise covers {missing}"


def test_every_programme_topic_has_an_exercise() -> None:
    tagged = {topic for exercise in LIBRARY for topic in exercise.topics}
    programme = {topic for topics in SESSION_TOPICS.values() for topic in topics}
    assert not programme - tagged


@pytest.mark.parametrize("topic", list(SELF_HELP_TOPICS))
def test_every_self_help_topic_has_its_exercise(topic: str) -> None:
    exercise = BY_ID.get(SELF_HELP_TOPICS[topic])
    assert exercise is not None, f"no exercise {SELF_HELP_TOPICS[topic]!r} for {topic!r}"
    assert topic in exercise.topics
    assert isinstance(exercise.session, int) and 1 <= exercise.session <= 5


@pytest.mark.parametrize("exercise", LIBRARY, ids=_ids(LIBRARY))
def test_topics_belong_to_the_exercise_session(exercise: Exercise) -> None:
    allowed = set(SESSION_TOPICS[exercise.session])
    assert exercise.topics
    assert set(exercise.topics) <= allowed, f"{exercise.id}: {exercise.topics}"


@pytest.mark.parametrize("exercise", LIBRARY, ids=_ids(LIBRARY))
def test_every_exercise_has_reflection_minutes_and_version(exercise: Exercise) -> None:
    assert exercise.reflection.strip()
    assert exercise.minutes > 0
    assert exercise.version >= 1


def test_evaluation_is_mainly_ratings_with_one_or_two_open_questions() -> None:
    evaluations = [exercise for exercise in LIBRARY if exercise.session == EVALUATION]
    assert evaluations
    for exercise in evaluations:
        kinds = Counter(question.kind for question in exercise.questions)
        closed = kinds[Kind.SCALE] + kinds[Kind.CHOICE] + kinds[Kind.CHOICES]
        open_ = kinds[Kind.TEXT] + kinds[Kind.LONG_TEXT]
        assert closed > len(exercise.questions) / 2, exercise.id
        assert 1 <= open_ <= 2, exercise.id


# --- question kinds, conditions, help ------------------------------------------------------


def test_every_question_kind_is_used_somewhere() -> None:
    used = {question.kind for _, question in ALL_QUESTIONS}
    assert used == set(Kind), f"unused kinds: {set(Kind) - used}"


def test_conditional_questions_are_used_and_point_backwards() -> None:
    conditional = [(ex, q) for ex, q in ALL_QUESTIONS if q.when is not None]
    assert len(conditional) >= MIN_WHEN_CONDITIONS
    for exercise, question in conditional:
        assert question.when is not None
        ids = [q.id for q in exercise.questions]
        assert ids.index(question.when.question) < ids.index(question.id)


def test_help_is_given_for_most_questions() -> None:
    with_help = sum(1 for _, question in ALL_QUESTIONS if question.help)
    assert with_help / len(ALL_QUESTIONS) >= MIN_HELP_SHARE


# --- my plan -------------------------------------------------------------------------------


@pytest.mark.parametrize("section", list(PlanSection), ids=str)
def test_every_plan_section_is_fed_by_a_free_text_answer(section: PlanSection) -> None:
    feeders = [
        f"{ex.id}.{q.id}"
        for ex, q in ALL_QUESTIONS
        if q.plan is section and q.kind in PLAN_FEEDING_KINDS
    ]
    assert feeders, f"nothing feeds the {section} section of the plan"


def test_plan_tags_are_only_on_free_text_and_list_questions() -> None:
    wrong = [
        f"{ex.id}.{q.id} ({q.kind})"
        for ex, q in ALL_QUESTIONS
        if q.plan is not None and q.kind not in PLAN_FEEDING_KINDS
    ]
    assert not wrong


def test_contacts_ask_for_roles_not_names() -> None:
    contacts = [(ex, q) for ex, q in ALL_QUESTIONS if q.plan is PlanSection.CONTACTS]
    assert contacts
    for exercise, question in contacts:
        assert question.no_names, f"{exercise.id}.{question.id}"
        assert question.help is not None
        assert "role" in question.help.lower(), f"{exercise.id}.{question.id}"
        assert "not names" in question.help.lower(), f"{exercise.id}.{question.id}"


# --- safety --------------------------------------------------------------------------------


@pytest.mark.parametrize("exercise", LIBRARY, ids=_ids(LIBRARY))
def test_sensitive_exercises_have_a_care_note_with_support(exercise: Exercise) -> None:
    if set(exercise.topics) & SENSITIVE_TOPICS:
        assert exercise.sensitive, f"{exercise.id} covers a sensitive topic"
    if not exercise.sensitive:
        return
    assert exercise.care is not None
    assert exercise.care.strip()
    for pointer in SUPPORT_POINTERS:
        assert pointer in exercise.care, f"{exercise.id}: care note lacks {pointer!r}"


@pytest.mark.parametrize("exercise", LIBRARY, ids=_ids(LIBRARY))
def test_questions_about_other_people_remind_not_to_use_names(exercise: Exercise) -> None:
    missing = []
    for question in exercise.questions:
        if question.kind not in TYPED_KINDS:
            continue  # nothing can be typed, so nothing identifying can be written
        text = f"{question.prompt}\n{question.help or ''}"
        match = PERSON_WORDS.search(text)
        if match and not question.no_names:
            missing.append(f"{question.id} (mentions {match.group(0)!r})")
    assert not missing, f"{exercise.id}: no_names missing on {missing}"


@pytest.mark.parametrize("exercise", LIBRARY, ids=_ids(LIBRARY))
def test_every_typed_question_shows_the_reminders(exercise: Exercise) -> None:
    """Built-in exercises never use the opt-out: every typed answer gets the reminder."""
    for question in exercise.questions:
        where = f"{exercise.id}.{question.id}"
        if question.kind in TYPED_KINDS:
            assert question.no_names and question.no_names_exempt is None, where
            if exercise.sensitive:
                assert question.no_sexual_detail, where
        else:
            assert not (question.no_names or question.no_sexual_detail), where


@pytest.mark.parametrize("exercise", SENSITIVE, ids=_ids(SENSITIVE))
def test_sensitive_intro_states_the_no_sexual_detail_rule(exercise: Exercise) -> None:
    rule = re.compile(r"no sexual detail|do not describe any[^.]*sexual", re.IGNORECASE)
    assert rule.search(exercise.intro), exercise.id


RISKIEST = ("grooming-stages", "urge-diary", "fantasy-and-reinforcement", "life-timeline")


@pytest.mark.parametrize("exercise_id", [*RISKIEST, "the-childs-perspective"])
def test_riskiest_intros_remind_of_the_limits_of_confidentiality(exercise_id: str) -> None:
    intro = builtin_exercises()[exercise_id].intro.lower()
    assert "must pass on" in intro
    assert "child" in intro and "anyone else" in intro and "offences" in intro


def test_grooming_stages_never_asks_what_was_said_or_done() -> None:
    stages = builtin_exercises()["grooming-stages"].question("stages")
    assert "Sexual stage" not in stages.rows
    last = stages.rows[-1]
    assert "choices" in last and "told yourself" in last
    assert "do not write what was said or done" in last
    assert not any("behaviour" in column.lower() for column in stages.columns)
    assert stages.no_sexual_detail and stages.no_names


def test_banned_word_pattern_catches_explicit_terms() -> None:
    assert BANNED_WORDS.search("some Nudes here")
    assert BANNED_WORDS.search("porn sites") and BANNED_WORDS.search("a porno")
    assert not BANNED_WORDS.search("adult pornography")  # the neutral name of the topic
    assert not BANNED_WORDS.search("a sexual stage, a sexual image, an urge")


@pytest.mark.parametrize("exercise", LIBRARY, ids=_ids(LIBRARY))
def test_no_explicit_sexual_terms(exercise: Exercise) -> None:
    for text in _all_text(exercise):
        match = BANNED_WORDS.search(text)
        assert match is None, f"{exercise.id}: {match.group(0) if match else ''!r}"


# --- readability ---------------------------------------------------------------------------


@pytest.mark.parametrize("exercise", LIBRARY, ids=_ids(LIBRARY))
def test_intro_is_short(exercise: Exercise) -> None:
    assert word_count(exercise.intro) <= MAX_INTRO_WORDS, exercise.id


@pytest.mark.parametrize("exercise", LIBRARY, ids=_ids(LIBRARY))
def test_no_sentence_is_too_long(exercise: Exercise) -> None:
    too_long = [
        f"{where}: {' '.join(sentence)}"
        for where, text in [*_readable_blocks(exercise), ("reflection", exercise.reflection)]
        for sentence in sentences(text)
        if len(sentence) > MAX_SENTENCE_WORDS
    ]
    assert not too_long, f"{exercise.id}: {too_long}"


@pytest.mark.parametrize("exercise", LIBRARY, ids=_ids(LIBRARY))
def test_average_sentence_length(exercise: Exercise) -> None:
    blocks = dict(_readable_blocks(exercise))
    everything = [sentence for text in blocks.values() for sentence in sentences(text)]
    average = sum(map(len, everything)) / len(everything)
    assert average <= MAX_AVERAGE_SENTENCE_WORDS, f"{exercise.id}: {average:.1f}"
    for where in ("intro", "care"):
        if where in blocks:
            own = sentences(blocks[where])
            own_average = sum(map(len, own)) / len(own)
            assert own_average <= MAX_AVERAGE_SENTENCE_WORDS, f"{exercise.id} {where}"


# --- plan tags reach `osp plan` ------------------------------------------------------------

ESC_ENTER = "\x1b\r"


def _first_plan_question(exercise: Exercise) -> Question:
    """The first plan-tagged question that is always asked (no ``when``)."""
    return next(q for q in exercise.questions if q.plan is not None and q.when is None)


def _plan_section_text(output: str, section: PlanSection) -> str:
    """The part of ``osp plan``'s output under one section's heading."""
    start = output.index(PLAN_HEADINGS[section])
    later = [
        output.index(heading, start + 1)
        for heading in PLAN_HEADINGS.values()
        if heading in output[start + 1 :]
    ]
    return output[start : min(later, default=len(output))]


def test_every_self_help_exercise_feeds_the_plan() -> None:
    for exercise_id in SELF_HELP_TOPICS.values():
        if exercise_id == "mood-and-sleep-log":  # a log of ratings: nothing to do
            continue
        assert any(q.plan is not None for q in BY_ID[exercise_id].questions), exercise_id


@pytest.mark.usefixtures("new_workbook")
def test_answers_to_new_exercises_reach_osp_plan(passphrase: str) -> None:
    """Answer one plan-tagged question of each new exercise; `osp plan` shows each answer."""
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput
    from typer.testing import CliRunner

    from osp_cli.cli.app import app
    from osp_cli.ui.console import reset_console

    def drive(args: list[str], keys: str) -> str:
        reset_console()
        with create_pipe_input() as inp:
            inp.send_text(keys)
            inp.close()
            with create_app_session(input=inp, output=DummyOutput()):
                result = CliRunner().invoke(app, args, input=passphrase + "\n")
        assert result.exit_code == 0, result.output
        return result.output

    expected: list[tuple[PlanSection, str]] = []
    for exercise_id in SELF_HELP_TOPICS.values():
        exercise = BY_ID[exercise_id]
        if not any(q.plan is not None for q in exercise.questions):
            continue
        question = _first_plan_question(exercise)
        assert question.plan is not None
        answer = f"plan item from {exercise_id}"
        if question.kind is Kind.LIST:
            extra = [f"second item from {exercise_id}"] * max(0, (question.min or 0) - 1)
            keys = "".join(item + "\r" for item in [answer, *extra]) + "\r"
        elif question.kind is Kind.LONG_TEXT:
            keys = answer + ESC_ENTER
        else:
            keys = answer + "\r"
        drive(["edit", exercise_id, question.id], keys)
        expected.append((question.plan, answer))

    assert len(expected) == len(SELF_HELP_TOPICS) - 1
    plan = drive(["plan"], "\r")
    for section, answer in expected:
        assert answer in _plan_section_text(plan, section), (section, answer)


# --- second edition: editorial rules ------------------------------------------------------

OTHER_CHOICE = "Something else"


@pytest.mark.parametrize("exercise", LIBRARY, ids=_ids(LIBRARY))
def test_something_else_has_a_box_to_say_what(exercise: Exercise) -> None:
    missing = []
    for question in exercise.questions:
        if OTHER_CHOICE not in question.choices:
            continue
        boxes = [
            q
            for q in exercise.questions
            if q.when is not None
            and q.when.question == question.id
            and OTHER_CHOICE in q.when.values
            and q.kind in (Kind.TEXT, Kind.LONG_TEXT)
        ]
        if not boxes:
            missing.append(question.id)
    assert not missing, f"{exercise.id}: no follow-up box for 'Something else' in {missing}"


@pytest.mark.parametrize("exercise", LIBRARY, ids=_ids(LIBRARY))
def test_none_choices_cannot_be_ticked_with_others(exercise: Exercise) -> None:
    for question in exercise.questions:
        if question.kind is not Kind.CHOICES:
            continue
        for choice in question.choices:
            if choice.startswith(("None", "I have not")):
                assert choice in question.exclusive, f"{exercise.id}.{question.id}: {choice!r}"
                assert validate_answer(question, [question.choices[0], choice]) is not None


def test_hours_online_bands_have_no_gaps() -> None:
    question = BY_ID["online-offline-relationships"].question("hours-online")
    assert question.choices == (
        "Less than 1 hour",
        "1 hour to under 3 hours",
        "3 hours to under 5 hours",
        "5 hours to under 7 hours",
        "7 hours or more",
    )


def test_hardest_step_why_is_asked_only_when_a_step_was_chosen() -> None:
    exercise = BY_ID["finkelhor-preconditions"]
    steps = [c for c in exercise.question("hardest-step").choices if c[0].isdigit()]
    assert len(steps) == 4

    def asked(answer: str) -> bool:
        shown = exercise.visible_questions({"hardest-step": answer})
        return "hardest-step-why" in [q.id for q in shown]

    assert asked(steps[1])
    assert not asked("I'm not sure")


@pytest.mark.parametrize(
    ("exercise_id", "question_id", "section"),
    [
        ("control-continuum", "control-steps", PlanSection.COPING),
        ("compulsive-online-behaviour", "feeling-instead", PlanSection.COPING),
        ("compulsive-online-behaviour", "choice-point", PlanSection.WARNING_SIGNS),
        ("finkelhor-preconditions", "break-points", PlanSection.WARNING_SIGNS),
        ("fantasy-and-reinforcement", "notice", PlanSection.WARNING_SIGNS),
        ("fantasy-and-reinforcement", "interrupt", PlanSection.COPING),
        ("fantasy-and-reinforcement", "redirect", PlanSection.COPING),
        ("criminal-justice", "keep-to-conditions", PlanSection.COPING),
        ("if-i-slip", "first-hour", PlanSection.IF_I_SLIP),
        ("if-i-slip", "answer-back", PlanSection.IF_I_SLIP),
        ("reasons-for-and-against-change", "reasons-to-change", PlanSection.REASONS),
        ("relapse-prevention-plan", "reasons", PlanSection.REASONS),
    ],
)
def test_practical_answers_feed_the_plan(
    exercise_id: str, question_id: str, section: PlanSection
) -> None:
    assert BY_ID[exercise_id].question(question_id).plan is section


# --- second edition: revisions to fit the evidence ----------------------------------------


def _text_of(exercise: Exercise) -> str:
    return "\n".join(_all_text(exercise))


def test_fantasy_exercise_names_both_kinds_of_reinforcement_and_no_rehearsal() -> None:
    exercise = BY_ID["fantasy-and-reinforcement"]
    text = _text_of(exercise)
    assert "rehears" not in text.lower()
    assert "feel more possible" in exercise.intro
    assert "Negative reinforcement" in exercise.intro and "Positive reinforcement" in exercise.intro
    assert "urge surfing" in exercise.intro
    assert "'stop' in your head" not in text
    kinds = " ".join(exercise.question("kinds").choices)
    for kind in ("Romantic", "relationship", "Power"):
        assert kind in kinds


def test_childs_perspective_asks_about_consent_power_and_responsibility() -> None:
    exercise = BY_ID["the-childs-perspective"]
    ids = {q.id for q in exercise.questions}
    assert "during" not in ids  # no imagining the child's feelings during the contact
    assert {"consent", "power", "saying-no", "responsibility", "images", "guilt-or-shame"} <= ids
    prompts = " ".join(q.prompt for q in exercise.questions)
    assert "young person" not in prompts  # "child" throughout
    assert "Guilt says" in exercise.question("guilt-or-shame").prompt


ONLINE_JUSTIFICATIONS = (
    "They said they were 16 or older",
    "They sent pictures first",
    "I was helping them or looking out for them",
    "I never meant to meet them",
    "It was a decoy or a set-up, so there was no child",
)


@pytest.mark.parametrize("justification", ONLINE_JUSTIFICATIONS)
def test_each_online_justification_gets_a_response_in_his_own_words(justification: str) -> None:
    exercise = BY_ID["justifications-and-responses"]
    assert justification in exercise.question("used").choices
    shown = [q for q in exercise.visible_questions({"used": [justification]}) if q.when]
    responses = [q for q in shown if q.kind is Kind.LONG_TEXT and justification in q.prompt]
    assert len(responses) == 1


def test_criminal_justice_facts_and_stages() -> None:
    exercise = BY_ID["criminal-justice"]
    for fact in (
        "18 or over",
        "no further action",
        "caution",
        "conviction or a caution",
        "sexual image",
        "Sexual Harm Prevention Order",
        "Sexual Risk Order",
    ):
        assert fact in exercise.intro, fact
    stages = exercise.question("stage").choices
    for stage in ("Cautioned", "Released on licence", "On a community order"):
        assert stage in stages
    assert any("Sexual Harm Prevention Order" in stage for stage in stages)


def test_typologies_use_webster_labels_in_plain_words() -> None:
    exercise = BY_ID["typologies-and-motives"]
    assert "Hyper-sexualised" in exercise.intro
    assert "Hypersexual" not in _text_of(exercise)
    for choice in exercise.question("mixed").choices:
        assert "(" in choice, choice  # each label explained in plain words
    goods = BY_ID["relationships-good-lives"].question("matter-most").choices
    assert "Agency (making my own choices)" in goods
    assert all("(" in good for good in goods)


def test_thought_record_has_belief_ratings_evidence_and_named_traps() -> None:
    exercise = BY_ID["thought-record"]
    for qid in ("belief-before", "belief-after"):
        question = exercise.question(qid)
        assert question.kind is Kind.SCALE and (question.min, question.max) == (0, 100)
    traps = exercise.question("traps")
    assert traps.kind is Kind.CHOICES and len(traps.choices) >= 8
    assert all(":" in trap for trap in traps.choices if trap != "None of these")
    ids = [q.id for q in exercise.questions]
    order = ["hot-thought", "belief-before", "traps", "evidence-for", "evidence-against"]
    order += ["balanced-thought", "belief-after"]
    assert [i for i in ids if i in order] == order


def test_urge_diary_and_mood_log_start_in_session_1() -> None:
    assert BY_ID["urge-diary"].session == 1
    assert BY_ID["mood-and-sleep-log"].session == 1


# --- the evaluation ------------------------------------------------------------------------

# How the evaluation's topic lists name each topic, in plain words.
EVALUATION_TOPIC_LABELS: dict[str, str] = {
    "hopes-fears": "My hopes and fears",
    "decisional-balance": "Reasons for and against change",
    "control-continuum": "How in control I felt (the control continuum)",
    "cbt-triangle": "Understanding my thoughts and feelings",
    "mood-sleep": "The mood and sleep log",
    "urge-diary": "The urge diary",
    "finkelhor": "My offence pattern and cycle",
    "cycles": "My offence pattern and cycle",
    "grooming-stages": "The stages of online grooming",
    "timeline": "My life timeline",
    "typologies": "What I was looking for (typologies and motives)",
    "fantasy": "Fantasy and rewards",
    "reinforcement": "Fantasy and rewards",
    "assertiveness": "Standing up for myself",
    "values": "Who I want to be",
    "online-offline-relationships": "Online and offline relationships",
    "compulsive-behaviour": "Compulsive online behaviour",
    "triple-a": "Why the internet pulls people in (Triple A)",
    "online-safety": "My online safety plan",
    "pornography": "Adult pornography and me",
    "victim-empathy": "The child's perspective",
    "criminal-justice": "The law and the justice process",
    "self-care": "Looking after myself",
    "problem-solving": "Problem solving",
    "relationships": "Relationships and a good life",
    "good-lives": "Relationships and a good life",
    "disclosure": "Disclosure",
    "warning-signs": "Warning signs",
    "risky-situations": "Risky situations",
    "coping": "Coping with urges",
    "relapse-prevention": "My relapse prevention plan",
    "lapse": "If I slip",
    "review": "Reviewing my plan",
}


def test_evaluation_label_map_covers_every_topic() -> None:
    # The evaluation and the before-and-after measure are ratings, not topics taught.
    assert set(EVALUATION_TOPIC_LABELS) == set(TOPICS) - {"evaluation", "outcome-measure"}


@pytest.mark.parametrize("question_id", ["most-useful", "more-time"])
def test_evaluation_topic_lists_name_every_topic(question_id: str) -> None:
    choices = BY_ID["programme-evaluation"].question(question_id).choices
    missing = [t for t, label in EVALUATION_TOPIC_LABELS.items() if label not in choices]
    assert not missing


def test_evaluation_says_plainly_who_reads_the_answers() -> None:
    intro = BY_ID["programme-evaluation"].intro
    assert "Who reads your answers" in intro
    for fact in ("practitioner reads", "reference number", "never includes anything you write"):
        assert fact in intro, fact
