"""One participant's whole history as one self-contained, printable HTML page: the same
locked-down page as a single summary (html_page: no scripts, no external resources, a
strict Content-Security-Policy), every string through the safe-text path."""

from __future__ import annotations

from osp_cli.inbox.caseload import History, OpenItem
from osp_cli.report import common
from osp_cli.report.html_page import (
    _answer,
    _chart,
    _exercise,
    _t,
    document_head,
    plan_html,
)


def _item(number: int, item: OpenItem) -> str:
    f = item.flagged
    if item.discussed:
        state = f"Discussed {_t(common.nice_date(item.discussed.at))}"
        note = (
            f'<p class="small"><strong>Your private note:</strong> {_t(item.discussed.note)}</p>'
            if item.discussed.note
            else ""
        )
    else:
        state, note = "To discuss", ""
    return (
        '<div class="card">'
        f'<p class="where">{number}. {_t(f.exercise.session_label)} · {_t(f.exercise.title)}'
        f" · {state}</p>"
        f'<p class="q">{_t(f.question.prompt)}</p>{_answer(f.question)}{note}</div>'
    )


def _sessions(history: History) -> str:
    rows = "".join(
        f'<tr><td data-label="Session">{_t(label)}</td>'
        f'<td data-label="Exercise">{_t(e.title)}</td>'
        f'<td data-label="Status">{_t(common.status_text(e.status, e.answered, e.total))}</td>'
        f'<td class="num" data-label="Flagged">{sum(q.flagged for q in e.questions)}</td></tr>'
        for label, exercises in history.exercises_by_session
        for e in exercises
    )
    return (
        "<section><h2>Exercises by session</h2>"
        '<table class="rows overview"><thead><tr><th scope="col">Session</th>'
        '<th scope="col">Exercise</th><th scope="col">Status</th>'
        f'<th scope="col" class="num">Flagged</th></tr></thead><tbody>{rows}</tbody></table>'
        "</section>"
    )


def _diaries(history: History) -> str:
    if not history.repeated:
        return ""
    parts = []
    for title, entries in history.repeated:
        parts.append(
            f"<h3>{_t(title)} ({_t(common.plural(len(entries), 'entry', 'entries'))})</h3>"
        )
        parts.extend(_exercise(entry) for entry in entries)
    return f"<section><h2>Diary entries over time</h2>{''.join(parts)}</section>"


def render(history: History) -> str:
    line = history.line
    facts = [
        ("Summaries", str(len(history.received))),
        ("Latest", f"{common.nice_date(line.last_summary)}"),
        ("Next session", common.nice_date(line.next_session) or "not set"),
        ("Key", line.verification),
    ]
    cells = "".join(f"<div><dt>{_t(k)}</dt><dd>{_t(v)}</dd></div>" for k, v in facts)
    open_count = sum(1 for i in history.items if i.discussed is None)
    items = "".join(_item(n, i) for n, i in enumerate(history.items, 1)) or (
        '<p class="muted">Nothing was flagged to talk about.</p>'
    )
    checkins = (
        f"<p>{_t(common.checkin_overview(history.checkins))}</p>{_chart(history.checkins)}"
        if history.checkins
        else '<p class="muted">No check-ins recorded.</p>'
    )
    latest = "".join(_exercise(e) for _label, group in history.exercises_by_session for e in group)
    title = f"osp history · {history.participant_ref}"
    return (
        document_head(title) + '<header><p class="eyebrow">osp · participant history'
        '<span class="conf">Confidential</span></p>'
        f"<h1>Participant {_t(history.participant_ref)}</h1>"
        f'<dl class="facts">{cells}</dl></header>'
        f"<section><h2>Flagged to talk about ({open_count} to discuss)</h2>{items}</section>"
        f"<section><h2>Check-ins over time</h2>{checkins}</section>"
        + _sessions(history)
        + _diaries(history)
        + plan_html(history.plan, "The plan now")
        + f"<section><h2>Latest answers</h2>{latest}</section>"
        + f"<footer><p>{_t(common.CONFIDENTIAL)}</p>"
        "<p>Made by osp from the summaries in your caseload store.</p></footer>"
        "</main></body></html>\n"
    )
