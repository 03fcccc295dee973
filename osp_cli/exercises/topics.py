"""The topic vocabulary: every topic an exercise may name, and the topics each session
must cover with at least one built-in exercise (tests/unit/test_exercise_library.py)."""

from __future__ import annotations

from osp_cli.exercises.model import EVALUATION

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
