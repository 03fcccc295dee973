"""Shared data for the exchange and report tests: a realistic summary and a hostile corpus."""

from __future__ import annotations

import dataclasses

from osp_cli.exchange import summary as summary_mod
from osp_cli.exchange.summary import Summary
from osp_cli.workbook import model

# Text that must come out inert everywhere: markup, scripts, attributes, entities, bidi,
# terminal escapes, Rich markup and emoji codes, spreadsheet formulas.
HOSTILE = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='alert(1)",
    "&lt;b&gt; &amp; &#x3C;script&#x3E; &nbsp;",
    "\u202eevil\u202c and \u2066isolate\u2069 and zero\u200bwidth",
    "\x1b]0;owned\x07\x1b[2J\x1b[31mred\x1b[0m \x9b31m",
    "[bold red]markup[/bold red] [link=https://evil.example]link[/link] :smile:",
    '=HYPERLINK("http://evil.example")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "<style>body{display:none}</style><iframe src=//evil.example></iframe>",
    "]]></svg><svg onload=alert(1)>",
    "javascript:alert(1)",
]
HOSTILE_TEXT = "\n".join(HOSTILE)


def payload_with_answers(hostile: bool = False) -> model.Payload:
    """A workbook payload with two started exercises, the evaluation, check-ins and flags."""
    payload = model.new_payload()
    payload.participant_ref = "P-0142"
    payload.assignments = [
        model.ImportedAssignment(
            id="0123456789abcdef",
            sequence=5,
            issued="2026-03-01T10:00:00+00:00",
            session=2,
            exercises=("hopes-and-fears",),
            due="2026-03-10",
            next_session="2026-03-10",
            note="",
            imported="2026-03-01T11:00:00+00:00",
        )
    ]
    text = HOSTILE_TEXT if hostile else "I want to understand why it happened."
    changes = [
        model.set_answer("hopes-and-fears", 1, "what-led-here", text),
        model.set_answer("hopes-and-fears", 1, "hopes", ["keep my family", "feel calmer"]),
        model.set_answer("hopes-and-fears", 1, "readiness", 7),
        model.set_flag("hopes-and-fears", 1, "what-led-here", True),
        model.set_answer("warning-signs", 1, "thoughts", ["nobody would know"]),
        model.set_answer("programme-evaluation", 1, "overall", 4),
        model.set_answer("programme-evaluation", 1, "number-of-sessions", "About right"),
        model.set_answer("programme-evaluation", 1, "recommend", True),
        model.set_answer("programme-evaluation", 1, "best-thing", "The plan =1+1"),
        model.mark_complete("programme-evaluation", 1),
        model.add_checkin(3, 2, "ok", "manual"),
        model.add_checkin(8, 5, text if hostile else "rough day", "before:hopes-and-fears"),
        model.add_checkin(2, 1, "", "after:hopes-and-fears"),
    ]
    for change in changes:
        change(payload)
    payload.checkins = [
        dataclasses.replace(checkin, at=f"2026-03-0{i + 2}T20:00:00+00:00")
        for i, checkin in enumerate(payload.checkins)
    ]
    return payload


def make_summary(hostile: bool = False, note: str = "See you Tuesday.") -> Summary:
    from osp_cli.exercises.catalogue import builtin_exercises

    return summary_mod.build(
        payload_with_answers(hostile),
        builtin_exercises(),
        ["hopes-and-fears", "warning-signs", "programme-evaluation"],
        HOSTILE_TEXT if hostile else note,
        osp_version="test",
        now="2026-03-09T18:30:00+00:00",
    )


#: A small valid custom exercise, as a practitioner would embed in an assignment.

CUSTOM = """
id = "my-extra"
title = "An extra exercise"
session = 2
topics = ["timeline"]
minutes = 5
version = 1
intro = "Short."
reflection = "Anything else?"

[[questions]]
id = "one"
kind = "text"
no_names = true
prompt = "One thing?"
"""
