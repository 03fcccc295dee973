"""Markdown: the same order as the HTML page (flagged first). User text is escaped."""

from __future__ import annotations

from osp_cli.exchange.summary import ExerciseEntry, QuestionEntry, Summary
from osp_cli.report import common
from osp_cli.ui import safe


def _t(value: str) -> str:
    return safe.markdown_text(value)


def _quote(value: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in _t(value).split("\n"))


def _answer(q: QuestionEntry) -> list[str]:
    view = common.answer_view(q)
    if view.shape == "empty":
        return [f"*{_t(view.text)}*"]
    if view.shape == "items":
        return [f"- {_t(item)}".replace("\n", " ") for item in view.items]
    if view.shape == "table":

        def row(cells: tuple[str, ...]) -> str:
            return "| " + " | ".join(_t(c).replace("\n", " ") for c in cells) + " |"

        return [row(view.header), "|" + "---|" * len(view.header), *(row(r) for r in view.rows)]
    return [_quote(view.text)]


def _questions(e: ExerciseEntry) -> list[str]:
    out: list[str] = []
    for q in e.questions:
        flag = " **(flagged)**" if q.flagged else ""
        out += [f"**{_t(q.prompt)}**{flag}", "", *_answer(q), ""]
    if e.reflection:
        out += [f"**{_t(e.reflection_prompt)}**", "", _quote(e.reflection), ""]
    return out


def _entries(e: ExerciseEntry) -> list[str]:
    """A repeatable exercise: a table of its ratings by entry, then each entry, newest
    first."""
    out = [_t(common.plural(len(e.entries), "entry", "entries")), ""]
    series = common.entry_ratings(e)
    if series:
        header = ["entry", "date", *(f"{s.prompt} ({s.low}–{s.high})" for s in series)]
        out += ["| " + " | ".join(_t(h) for h in header) + " |"]
        out += ["|---|---|" + "---:|" * len(series)]
        for entry in sorted(e.entries, key=lambda x: x.number or 0):
            cells = [str(entry.number), _t(common.nice_date(entry.started))]
            for one in series:
                value = next((p.value for p in one.points if p.number == entry.number), None)
                cells.append("" if value is None else str(value))
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    for entry in e.entries:
        out += [f"#### {_t(common.entry_label(entry))}", "", *_questions(entry)]
    return out


def render(summary: Summary) -> str:
    s = summary
    out = [
        f"# Participant {_t(s.participant_ref)}",
        "",
        f"*{_t(common.CONFIDENTIAL)}*",
        "",
        f"- Programme: {_t(common.session_text(s))}",
        f"- Next session: {_t(common.nice_date(s.next_session) or 'not set')}",
        f"- Exported: {_t(common.nice_time(s.created))}",
        f"- Exercises: {len(s.exercises)}; flagged: {len(s.flagged)}",
        "",
    ]
    sender = common.sender_lines(s)
    if sender is not None:
        out += [f"**{_t(sender[0])}**", "", _t(sender[1]), ""]
    out += [f"## {common.NEEDS_ATTENTION}", ""]
    attention = common.needs_attention(s)
    if not attention:
        out += [_t(common.NOTHING_NEEDS_ATTENTION)]
    for item in attention:
        text = f"**{_t(item.text)}**" if item.urgent else _t(item.text)
        note = f" Note: {_t(item.note)}".replace("\n", " ") if item.note.strip() else ""
        out.append(f"- {text}{note}")
    out += [
        "",
        "## To talk about",
        "",
    ]
    if not s.flagged:
        out += ["Nothing was flagged to talk about.", ""]
    for f in s.flagged:
        out += [
            f"**{_t(f.exercise.session_label)} · {_t(f.exercise.title)}**: {_t(f.question.prompt)}",
            "",
            *_answer(f.question),
            "",
        ]
    if s.note.strip():
        out += ["## Note from the participant", "", _quote(s.note), ""]
    out += ["## Check-ins", "", _t(common.checkin_overview(s.checkins)), ""]
    if s.checkins:
        out += [
            "| when | context | upset | urges | self-harm | note |",
            "|---|---|---:|---:|---|---|",
        ]
        for c in s.checkins:
            note = _t(c.note).replace("\n", " ")
            out.append(
                f"| {_t(common.nice_time(c.at))} | {_t(common.context_label(c.context))} "
                f"| {c.feeling} | {c.urge} | {common.self_harm_text(c)} | {note} |"
            )
        out.append("")
    out += ["## Exercises", ""]
    for e in s.exercises:
        status = common.status_text(e.status, e.answered, e.total)
        out += [f"### {_t(e.title)}", "", f"{_t(e.session_label)} · {_t(status)}", ""]
        if e.repeatable:
            out += _entries(e)
        else:
            out += _questions(e)
    if s.plan:
        out += ["## My plan", ""]
        for section in s.plan:
            out += [f"### {_t(section.heading)}", ""]
            items = [f"- {_t(i.text)}".replace("\n", " ") for i in section.items]
            out += [*(items or ["*Nothing yet.*"]), ""]
    return "\n".join(out).rstrip("\n") + "\n"
