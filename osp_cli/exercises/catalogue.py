"""The topic vocabulary, the built-in exercises, and the generated catalogue page.

``python -m osp_cli.exercises.catalogue > docs/exercises.md`` regenerates the catalogue;
a test fails when the committed page drifts from the exercise files.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Mapping

from osp_cli.exercises.files import builtin_dir
from osp_cli.exercises.model import EVALUATION, SESSIONS, Exercise

__all__ = [
    "REGENERATE",
    "SESSION_TOPICS",
    "TOPICS",
    "builtin_dir",
    "builtin_exercises",
    "catalogue_markdown",
    "session_sort_key",
    "uncovered_topics",
]

TOPICS: dict[str, str] = {
    "hopes-fears": "Hopes and fears",
    "decisional-balance": "Reasons for and against change (decisional balance)",
    "mood-sleep": "Mood and sleep",
    "control-continuum": "The control continuum",
    "cbt-triangle": "Thoughts, feelings and behaviour (the CBT triangle)",
    "finkelhor": "Finkelhor's four preconditions",
    "cycles": "Cycles of behaviour",
    "grooming-stages": "The stages of online grooming",
    "timeline": "My timeline",
    "typologies": "Grooming typologies",
    "fantasy": "The role of fantasy",
    "reinforcement": "Positive reinforcement",
    "assertiveness": "Self-esteem and standing up for myself",
    "values": "Values and who I want to be",
    "online-offline-relationships": "Online and offline relationships",
    "compulsive-behaviour": "Compulsive behaviour",
    "triple-a": "The Triple A engine (accessibility, affordability, anonymity)",
    "online-safety": "My online safety plan",
    "pornography": "Adult pornography and me",
    "victim-empathy": "Victim empathy",
    "criminal-justice": "The criminal justice system",
    "self-care": "Looking after myself",
    "problem-solving": "Problem solving",
    "relationships": "Relationships",
    "good-lives": "The Good Lives Model",
    "disclosure": "Disclosure: talking to others",
    "risky-situations": "Risky situations",
    "warning-signs": "Warning signs",
    "relapse-prevention": "Relapse prevention",
    "coping": "Coping strategies",
    "urge-diary": "Urge diary",
    "lapse": "If I slip: lapse and relapse",
    "review": "Review of the plan",
    "evaluation": "Evaluation of the programme",
    "outcome-measure": "Where I am now: the before-and-after measure",
}
"""Every topic slug an exercise may use, with its plain-English name."""

SESSION_TOPICS: dict[int | str, list[str]] = {
    1: [
        "hopes-fears",
        "control-continuum",
        "cbt-triangle",
        "finkelhor",
        "cycles",
        "grooming-stages",
        "decisional-balance",
        "mood-sleep",
        "urge-diary",
        "outcome-measure",
    ],
    2: ["timeline", "typologies", "fantasy", "reinforcement", "assertiveness", "values"],
    3: [
        "online-offline-relationships",
        "compulsive-behaviour",
        "triple-a",
        "online-safety",
        "pornography",
    ],
    4: ["victim-empathy", "criminal-justice", "self-care", "problem-solving"],
    5: [
        "relationships",
        "good-lives",
        "disclosure",
        "risky-situations",
        "warning-signs",
        "relapse-prevention",
        "coping",
        "lapse",
    ],
    6: ["review"],
    EVALUATION: ["evaluation"],
}
"""The topics each session must cover with at least one built-in exercise."""

REGENERATE = "python -m osp_cli.exercises.catalogue > docs/exercises.md"


def session_sort_key(session: int | str) -> int:
    """Programme order: sessions 1-6, then the evaluation."""
    return SESSIONS.index(session) if session in SESSIONS else len(SESSIONS)


@functools.cache
def builtin_exercises() -> dict[str, Exercise]:
    """The built-in exercises by id, ordered by session (evaluation last), then id.

    Cached: treat the result as read-only. Raises ``ExerciseError`` if a file is bad.
    """
    from osp_cli.exercises.loader import load_paths

    directory = builtin_dir()
    exercises = load_paths([directory]) if directory.is_dir() else []
    exercises.sort(key=lambda ex: ex.sort_key)
    return {exercise.id: exercise for exercise in exercises}


def uncovered_topics(exercises: Mapping[str, Exercise]) -> dict[int | str, list[str]]:
    """Required session topics no exercise is tagged with (empty when all are covered)."""
    tagged = {topic for exercise in exercises.values() for topic in exercise.topics}
    missing = {
        session: [topic for topic in topics if topic not in tagged]
        for session, topics in SESSION_TOPICS.items()
    }
    return {session: topics for session, topics in missing.items() if topics}


def _cell(text: str) -> str:
    """Text made safe for one Markdown table cell."""
    flat = " ".join(text.split())
    return flat.replace("\\", "\\\\").replace("|", "\\|")


def _heading(session: int | str) -> str:
    return f"Session {session}" if isinstance(session, int) else "Evaluation"


def _reminders(exercise: Exercise) -> str:
    names = sum(1 for question in exercise.questions if question.no_names)
    detail = sum(1 for question in exercise.questions if question.no_sexual_detail)
    parts = [f"names {names}" if names else "", f"sexual detail {detail}" if detail else ""]
    return ", ".join(part for part in parts if part) or "none"


def catalogue_markdown(exercises: Mapping[str, Exercise] | None = None) -> str:
    """The text of ``docs/exercises.md`` (built-in exercises unless given others)."""
    if exercises is None:
        exercises = builtin_exercises()
    ordered = sorted(exercises.values(), key=lambda ex: ex.sort_key)
    lines = [
        f"<!-- Generated by `{REGENERATE}`. Do not edit by hand. -->",
        "",
        "# Exercise catalogue",
        "",
        f"{len(ordered)} built-in exercises. Run one with `osp do ID`. The file format is "
        "described in [exercise-format.md](exercise-format.md).",
        "",
        "*Reminders* counts the questions that show, on screen with the question, the "
        "reminder not to write names or identifying details (*names*) and not to write "
        "sexual detail (*sexual detail*). Every question where something is typed has the "
        "first; in a sensitive exercise, it has both.",
    ]
    for session in SESSIONS:
        in_session = [ex for ex in ordered if ex.session == session]
        lines += ["", f"## {_heading(session)}", ""]
        required = ", ".join(f"`{topic}`" for topic in SESSION_TOPICS[session])
        lines += [f"Topics to cover: {required}.", ""]
        if not in_session:
            lines.append("No exercises yet.")
            continue
        lines.append("| id | title | topics | minutes | questions | sensitive | reminders |")
        lines.append("|---|---|---|---:|---:|---|---|")
        for ex in in_session:
            topics = ", ".join(f"`{topic}`" for topic in ex.topics)
            sensitive = "yes" if ex.sensitive else "no"
            lines.append(
                f"| `{ex.id}` | {_cell(ex.title)} | {topics} | {ex.minutes} "
                f"| {len(ex.questions)} | {sensitive} | {_reminders(ex)} |"
            )
    lines += ["", "## Topics", "", "| slug | topic | exercises |", "|---|---|---|"]
    for slug, name in TOPICS.items():
        ids = ", ".join(f"`{ex.id}`" for ex in ordered if slug in ex.topics) or "none yet"
        lines.append(f"| `{slug}` | {_cell(name)} | {ids} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    """Print the catalogue page (``python -m osp_cli.exercises.catalogue``)."""
    sys.stdout.write(catalogue_markdown())


if __name__ == "__main__":
    main()
