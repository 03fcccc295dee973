"""One self-contained, print-ready HTML page. No scripts, no external resources.

Every string from the summary goes through :func:`_t` (``safe.html_text``), including
exercise titles and prompts (a custom exercise is author text, not ours). The page is
also well-formed XML, so it can be checked by a strict parser.
"""

from __future__ import annotations

from collections.abc import Iterable

from osp_cli.exchange.summary import (
    SCHEMA_VERSION,
    ExerciseEntry,
    PlanSection,
    QuestionEntry,
    Summary,
)
from osp_cli.report import common
from osp_cli.ui import safe
from osp_cli.workbook.progress import CheckIn

# Stricter than "img-src data:": the page has no images at all (the chart is inline SVG).
CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

_BLOCKS = """
%s, %s tbody, %s tr, %s th, %s td { display: block; width: auto; }
%s thead { display: none; }
%s tr { border: 1px solid var(--line); border-radius: 4px; padding: 0.3rem 0.6rem;
  margin: 0 0 0.6rem; }
%s th, %s td { border: 0; padding: 0.2rem 0; text-align: left; }
%s tbody th { color: var(--accent); }
%s td::before { content: attr(data-label); display: block; font: 600 0.75rem/1.4 var(--ui);
  color: var(--muted); }
"""

# Participant text (answers, notes, list items, table cells he filled in, his plan) is
# set in one font, --voice; our own wording and the exercise author's are in --ui.
_CSS = (
    """
:root { --ink: #1c2330; --muted: #5b6473; --line: #d9dee6; --soft: #f5f7fa;
  --accent: #1f4e79; --flag: #9a3412; --flag-bg: #fff7ed; --upset: #c2410c; --urge: #5b21b6;
  --ui: -apple-system, "Segoe UI", system-ui, Roboto, "Helvetica Neue", Arial, sans-serif;
  --voice: Charter, "Bitstream Charter", "Sitka Text", Cambria, Georgia, "DejaVu Serif", serif; }
* { box-sizing: border-box; }
html { background: #eef1f5; }
body { margin: 0; color: var(--ink); font: 16px/1.55 var(--ui);
  -webkit-print-color-adjust: exact; print-color-adjust: exact; hyphens: manual;
  word-break: normal; }
main { max-width: 52rem; margin: 2rem auto; background: #fff; padding: 2.5rem 3rem 2rem;
  border: 1px solid var(--line); border-radius: 6px; }
h1, h2, h3 { line-height: 1.25; margin: 0; }
h1 { font-size: 1.9rem; letter-spacing: -0.01em; overflow-wrap: anywhere; }
h2 { font-size: 1.2rem; margin: 2.2rem 0 0.8rem; padding-bottom: 0.35rem;
  border-bottom: 2px solid var(--ink); break-after: avoid; page-break-after: avoid; }
h3 { font-size: 1.05rem; break-after: avoid; page-break-after: avoid; }
p { margin: 0.4rem 0; }
.eyebrow { text-transform: uppercase; letter-spacing: 0.08em; font-size: 0.75rem;
  color: var(--muted); margin: 0 0 0.3rem; }
.conf { display: inline-block; background: var(--ink); color: #fff; padding: 0.05rem 0.45rem;
  border-radius: 3px; margin-left: 0.4rem; }
.facts { display: flex; flex-wrap: wrap; gap: 0.4rem 2rem; margin: 1rem 0 0; padding: 0.9rem 0 0;
  border-top: 1px solid var(--line); }
.facts div { min-width: 7rem; }
.facts dt { font-size: 0.75rem; text-transform: uppercase; letter-spacing: 0.06em;
  color: var(--muted); }
.facts dd { margin: 0; font-weight: 600; }
.muted { color: var(--muted); }
.sender { margin: 1rem 0 0; padding: 0.6rem 0.9rem; border: 1px solid var(--line);
  border-radius: 4px; background: var(--soft); }
.sender.ok { border-color: #a7f3d0; background: #ecfdf3; }
.sender.warn { border: 2px solid #b91c1c; background: #fef2f2; color: #7f1d1d; }
.small { font-size: 0.875rem; }
.attention ul { margin: 0; padding-left: 1.2rem; }
.attention li { margin: 0 0 0.4rem; break-inside: avoid; page-break-inside: avoid; }
.attention li.urgent { color: #991b1b; font-weight: 700; }
.attention .note { display: block; font-weight: 400; color: var(--ink, #1f2937); }
.card { border: 1px solid #fed7aa; border-left: 4px solid var(--flag); background: var(--flag-bg);
  border-radius: 4px; padding: 0.8rem 1rem; margin: 0 0 0.8rem; break-inside: avoid;
  page-break-inside: avoid; }
.card .where { font-size: 0.8rem; color: var(--flag); font-weight: 600; margin: 0; }
.q { font-weight: 600; margin: 0.2rem 0 0.3rem; }
.a, .note, .voice, .a td, .plan li { font-family: var(--voice); }
.a { font-size: 1.02rem; margin: 0; padding-left: 0.8rem; border-left: 3px solid var(--line);
  overflow-wrap: anywhere; }
.a.empty { font-family: var(--ui); font-style: italic; color: var(--muted); font-size: 0.9rem; }
.a ul { margin: 0; padding-left: 1.1rem; }
.note { font-size: 1.05rem; background: var(--soft); border-radius: 4px; padding: 0.9rem 1.1rem;
  margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; margin: 0.3rem 0;
  table-layout: fixed; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { text-align: left; vertical-align: top; padding: 0.35rem 0.5rem;
  border-bottom: 1px solid var(--line); overflow-wrap: anywhere; }
th { font-family: var(--ui); }
thead th { font-size: 0.8rem; color: var(--muted); font-weight: 600; line-height: 1.3; }
tbody th { font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.blank { color: var(--muted); }
table.c1 thead th:first-child { width: 36%; }
table.c2 thead th:first-child { width: 28%; }
table.c3 thead th:first-child { width: 22%; }
table.checkins thead th:nth-child(1) { width: 26%; }
table.checkins thead th:nth-child(2) { width: 18%; }
table.checkins thead th:nth-child(3), table.checkins thead th:nth-child(4) { width: 10%; }
table.overview thead th:nth-child(1) { width: 15%; }
table.overview thead th:nth-child(3) { width: 25%; }
table.overview thead th:nth-child(4) { width: 11%; }
.chart { width: 100%; height: auto; display: block; margin: 0.6rem 0 0.4rem; }
.status { display: inline-block; font-size: 0.75rem; font-weight: 600; padding: 0.05rem 0.45rem;
  border-radius: 999px; background: var(--soft); border: 1px solid var(--line);
  white-space: nowrap; }
.status.done { background: #ecfdf3; border-color: #a7f3d0; color: #065f46; }
.status.progress { background: #eff6ff; border-color: #bfdbfe; color: #1e40af; }
.exercise { margin: 1.6rem 0 0; padding-top: 1.1rem; border-top: 1px solid var(--line); }
td.high { color: var(--flag); font-weight: 700; }
.exercise .meta { font-size: 0.85rem; color: var(--muted); margin: 0.15rem 0 0.6rem; }
ol.qa { list-style: none; margin: 0; padding: 0; }
ol.qa > li { margin: 0 0 0.85rem; }
.flag { color: var(--flag); font-size: 0.75rem; font-weight: 700; text-transform: uppercase;
  letter-spacing: 0.05em; margin-left: 0.4rem; white-space: nowrap; }
.plan { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr));
  gap: 0.8rem 1.4rem; }
.plan section { break-inside: avoid; page-break-inside: avoid; }
.plan h3 { font-size: 0.95rem; color: var(--accent); margin-bottom: 0.2rem; }
.plan ul { margin: 0; padding-left: 1.1rem; overflow-wrap: anywhere; }
footer { margin-top: 2.5rem; padding-top: 0.8rem; border-top: 1px solid var(--line);
  font-size: 0.8rem; color: var(--muted); }
@page { margin: 16mm 15mm; }
@media print {
  html { background: #fff; }
  body { font-size: 10.5pt; }
  main { margin: 0; padding: 0; border: 0; max-width: none; }
  h2 { margin-top: 1.4rem; }
}
@media (max-width: 40rem) {
  main { margin: 0; padding: 1.2rem 1rem; border: 0; border-radius: 0; }
  h1 { font-size: 1.5rem; }
}
"""
    + (
        # Tables with many columns are always one block per row; the others become blocks
        # on a narrow screen. Each cell then carries its column name (data-label).
        _BLOCKS.replace("%s", "table.blocks")
        + "@media (max-width: 40rem) {\n"
        + _BLOCKS.replace("%s", "table.rows")
        + "}\n"
    )
)


def _t(value: str) -> str:
    """Untrusted text, escaped (well-formed XML too: <br/> rather than <br>)."""
    return safe.html_text(value).replace("<br>", "<br/>")


def _label(value: str) -> str:
    """Text for an attribute value: one line, escaped, quotes too."""
    return safe.html_text(value.replace("\r", " ").replace("\n", " "))


def _cell(value: str, label: str, css: str = "") -> str:
    """One participant-written table cell; an empty one shows a dash."""
    classes = f"{css} blank".strip() if not value.strip() else css
    attr = f' class="{classes}"' if classes else ""
    return f'<td{attr} data-label="{_label(label)}">{_t(value) if value.strip() else "–"}</td>'


#: Answer tables with more columns than this are one block per row on every page.
MAX_TABLE_COLUMNS = 3


def _table(header: tuple[str, ...], rows: tuple[tuple[str, ...], ...]) -> str:
    columns = header[1:]
    layout = "blocks" if len(columns) > MAX_TABLE_COLUMNS else f"rows c{len(columns)}"
    head = "".join(f'<th scope="col">{_t(h)}</th>' for h in header)
    body = "".join(
        "<tr>"
        + f'<th scope="row">{_t(row[0])}</th>'
        + "".join(_cell(c, label) for c, label in zip(row[1:], columns, strict=False))
        + "</tr>"
        for row in rows
    )
    return f'<table class="{layout}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _answer(q: QuestionEntry) -> str:
    view = common.answer_view(q)
    if view.shape == "empty":
        return f'<div class="a empty">{_t(view.text)}</div>'
    if view.shape == "items":
        items = "".join(f"<li>{_t(item)}</li>" for item in view.items)
        return f'<div class="a"><ul>{items}</ul></div>'
    if view.shape == "table":
        return f'<div class="a">{_table(view.header, view.rows)}</div>'
    return f'<div class="a">{_t(view.text)}</div>'


def _status(exercise: ExerciseEntry) -> str:
    css = {"done": "done", "in progress": "progress"}.get(exercise.status, "")
    label = common.status_text(exercise.status, exercise.answered, exercise.total)
    return f'<span class="status {css}">{_t(label)}</span>'


def _header(s: Summary) -> str:
    facts = [
        ("Programme", common.session_text(s)),
        ("Next session", common.nice_date(s.next_session) or "not set"),
        ("Exported", common.nice_time(s.created)),
        (
            "Included",
            f"{common.plural(len(s.exercises), 'exercise')} · {len(s.flagged)} flagged",
        ),
    ]
    cells = "".join(f"<div><dt>{_t(k)}</dt><dd>{_t(v)}</dd></div>" for k, v in facts)
    sender = common.sender_lines(s)
    check = ""
    if sender is not None and s.sender is not None:
        css = "sender ok" if s.sender.check.name == "VERIFIED" else "sender"
        if s.sender.check.name in ("DIFFERENT_KEY", "UNSIGNED"):
            css = "sender warn"
        check = f'<p class="{css}"><strong>{_t(sender[0])}</strong><br>{_t(sender[1])}</p>'
    return (
        '<header><p class="eyebrow">osp · summary of personal work'
        '<span class="conf">Confidential</span></p>'
        f"<h1>Participant {_t(s.participant_ref)}</h1>"
        f'<dl class="facts">{cells}</dl>{check}</header>'
    )


def _attention(s: Summary) -> str:
    items = common.needs_attention(s)
    if not items:
        return (
            f'<section class="attention"><h2>{_t(common.NEEDS_ATTENTION)}</h2>'
            f'<p class="muted">{_t(common.NOTHING_NEEDS_ATTENTION)}</p></section>'
        )
    lines = "".join(
        f'<li class="{"urgent" if item.urgent else "high"}">{_t(item.text)}'
        + (f'<span class="note">Note: {_t(item.note)}</span>' if item.note.strip() else "")
        + "</li>"
        for item in items
    )
    return (
        f'<section class="attention"><h2>{_t(common.NEEDS_ATTENTION)}</h2>'
        f"<ul>{lines}</ul></section>"
    )


def _flagged(s: Summary) -> str:
    flagged = s.flagged
    if not flagged:
        return (
            "<section><h2>To talk about</h2>"
            '<p class="muted">Nothing was flagged to talk about.</p></section>'
        )
    cards = "".join(
        '<div class="card">'
        f'<p class="where">{_t(f.exercise.session_label)} · {_t(f.exercise.title)}</p>'
        f'<p class="q">{_t(f.question.prompt)}</p>{_answer(f.question)}</div>'
        for f in flagged
    )
    return f"<section><h2>To talk about ({len(flagged)} flagged)</h2>{cards}</section>"


def _note(s: Summary) -> str:
    if not s.note.strip():
        return ""
    return f'<section><h2>Note from the participant</h2><p class="note">{_t(s.note)}</p></section>'


def _chart(checkins: tuple[CheckIn, ...]) -> str:
    """Upset and urge ratings over time as an inline SVG line chart."""
    width, height = 720, 230
    left, right, top, bottom = 44, 16, 30, 38
    plot_w, plot_h = width - left - right, height - top - bottom
    times = [common.as_datetime(c.at) for c in checkins]
    stamps = [t.timestamp() if t else float(i) for i, t in enumerate(times)]
    low, high = min(stamps), max(stamps)  # once: the cost stays linear in check-ins
    use_time = all(times) and high - low > 0 and len(checkins) > 1
    count = len(checkins)

    def x(i: int) -> float:
        if count == 1:
            return left + plot_w / 2
        if use_time:
            return left + plot_w * (stamps[i] - low) / (high - low)
        return left + plot_w * i / (count - 1)

    def y(value: int) -> float:
        return top + plot_h * (1 - value / 10)

    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" '
        'role="img" aria-labelledby="chart-title chart-desc">',
        '<title id="chart-title">Check-in ratings over time</title>',
        f'<desc id="chart-desc">{_t(common.checkin_overview(checkins))}</desc>',
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#fafbfc"/>',
    ]
    for value in (0, 5, 10):
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            'stroke="#d9dee6" stroke-width="1"/>'
            f'<text x="{left - 8}" y="{y(value) + 4:.1f}" font-size="12" text-anchor="end" '
            f'fill="#5b6473">{value}</text>'
        )
    # The support line is named in the legend, above the plot, and marked "7" on the axis:
    # no label sits inside the plot, where it could cover a point.
    parts.append(
        f'<line x1="{left}" x2="{left + plot_w}" y1="{y(7):.1f}" y2="{y(7):.1f}" '
        'stroke="#9a3412" stroke-width="1" stroke-dasharray="4 4" opacity="0.55"/>'
        f'<text x="{left - 8}" y="{y(7) + 4:.1f}" font-size="12" text-anchor="end" '
        'fill="#9a3412">7</text>'
    )
    radius = 3.5 if count <= 40 else 2
    for attr, colour, label, offset in (
        ("feeling", "#c2410c", "Upset", 0),
        ("urge", "#5b21b6", "Urges", 1),
    ):
        points = " ".join(f"{x(i):.1f},{y(getattr(c, attr)):.1f}" for i, c in enumerate(checkins))
        if count > 1:
            parts.append(
                f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.2" '
                'stroke-linejoin="round" stroke-linecap="round"/>'
            )
        for i, c in enumerate(checkins):
            parts.append(
                f'<circle cx="{x(i):.1f}" cy="{y(getattr(c, attr)):.1f}" r="{radius}" '
                f'fill="{colour}"/>'
            )
        lx = left + offset * 140
        parts.append(
            f'<line x1="{lx}" x2="{lx + 22}" y1="12" y2="12" stroke="{colour}" stroke-width="3"/>'
            f'<text x="{lx + 28}" y="16" font-size="12.5" fill="#1c2330">{_t(label)} (0–10)</text>'
        )
    lx = left + 280
    parts.append(
        f'<line x1="{lx}" x2="{lx + 22}" y1="12" y2="12" stroke="#9a3412" stroke-width="1.5" '
        'stroke-dasharray="4 4"/>'
        f'<text x="{lx + 28}" y="16" font-size="12.5" fill="#9a3412">'
        "7 or more: support offered</text>"
    )
    first, last = common.nice_date(checkins[0].at), common.nice_date(checkins[-1].at)
    parts.append(
        f'<text x="{left}" y="{height - 12}" font-size="12" fill="#5b6473">{_t(first)}</text>'
    )
    if count > 1 and last != first:
        parts.append(
            f'<text x="{left + plot_w}" y="{height - 12}" font-size="12" text-anchor="end" '
            f'fill="#5b6473">{_t(last)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _rating(value: int, label: str) -> str:
    css = "num high" if value >= 7 else "num"
    return f'<td class="{css}" data-label="{label}">{value}</td>'


def _checkins(s: Summary) -> str:
    if not s.checkins:
        return '<section><h2>Check-ins</h2><p class="muted">No check-ins recorded.</p></section>'
    # The table lists what needs reading: notes, high ratings and the latest three.
    latest = set(range(max(0, len(s.checkins) - 3), len(s.checkins)))
    notable = [
        i
        for i, c in enumerate(s.checkins)
        if i in latest or c.note.strip() or c.feeling >= 7 or c.urge >= 7
    ][-15:]
    rows = "".join(
        f'<tr><td data-label="When">{_t(common.nice_time(c.at))}</td>'
        f'<td data-label="Context">{_t(common.context_label(c.context))}</td>'
        f"{_rating(c.feeling, 'Upset')}{_rating(c.urge, 'Urges')}"
        f"{_cell(c.note, 'Note', 'voice')}</tr>"
        for c in (s.checkins[i] for i in reversed(notable))
    )
    more = (
        f'<p class="small muted">Listed: {len(notable)} of '
        f"{common.plural(len(s.checkins), 'check-in')} (those "
        "with a note or a rating of 7 or more, and the latest three). All are in the chart.</p>"
        if len(notable) < len(s.checkins)
        else ""
    )
    return (
        "<section><h2>Check-ins</h2>"
        f"<p>{_t(common.checkin_overview(s.checkins))}</p>{_chart(s.checkins)}"
        '<table class="rows checkins"><thead><tr><th scope="col">When</th>'
        '<th scope="col">Context</th><th scope="col" class="num">Upset</th>'
        '<th scope="col" class="num">Urges</th><th scope="col">Note</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
        f"{more}</section>"
    )


def _entry_chart(e: ExerciseEntry) -> str:
    """A repeatable exercise's scale answers by entry, as a small inline SVG line chart
    (one line per scale question, entries oldest first)."""
    series = common.entry_ratings(e)
    if not series:
        return ""
    numbers = sorted({p.number for one in series for p in one.points})
    width, height = 560, 170 + 18 * len(series)
    left, right, top, bottom = 40, 16, 16 + 18 * len(series), 34
    plot_w, plot_h = width - left - right, height - top - bottom
    low = min(one.low for one in series)
    high = max(one.high for one in series)
    span = max(1, high - low)

    def x(number: int) -> float:
        if len(numbers) == 1:
            return left + plot_w / 2
        return left + plot_w * numbers.index(number) / (len(numbers) - 1)

    def y(value: int) -> float:
        return top + plot_h * (1 - (value - low) / span)

    title = f"{e.title}: ratings by entry"
    parts = [
        f'<svg class="chart entries" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_t(title)}"><title>{_t(title)}</title>',
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#fafbfc"/>',
    ]
    for value in sorted({low, high, (low + high) // 2}):
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            'stroke="#d9dee6" stroke-width="1"/>'
            f'<text x="{left - 8}" y="{y(value) + 4:.1f}" font-size="12" text-anchor="end" '
            f'fill="#5b6473">{value}</text>'
        )
    colours = ("#0f766e", "#b45309", "#5b21b6", "#be123c", "#1d4ed8", "#4d7c0f")
    for index, one in enumerate(series):
        colour = colours[index % len(colours)]
        points = " ".join(f"{x(p.number):.1f},{y(p.value):.1f}" for p in one.points)
        if len(one.points) > 1:
            parts.append(
                f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.2" '
                'stroke-linejoin="round" stroke-linecap="round"/>'
            )
        for p in one.points:
            parts.append(
                f'<circle cx="{x(p.number):.1f}" cy="{y(p.value):.1f}" r="3.5" fill="{colour}">'
                f"<title>Entry {p.number}: {p.value}</title></circle>"
            )
        ly = 14 + 18 * index
        parts.append(
            f'<line x1="{left}" x2="{left + 22}" y1="{ly - 4}" y2="{ly - 4}" stroke="{colour}" '
            f'stroke-width="3"/><text x="{left + 28}" y="{ly}" font-size="12.5" '
            f'fill="#1c2330">{_t(one.prompt)} ({one.low}–{one.high})</text>'
        )
    for number in numbers:
        parts.append(
            f'<text x="{x(number):.1f}" y="{height - 12}" font-size="12" text-anchor="middle" '
            f'fill="#5b6473">{number}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _entries(e: ExerciseEntry) -> str:
    """A repeatable exercise: how many entries, their ratings chart, each entry newest
    first."""
    entries = "".join(
        f'<section class="entry"><h4>{_t(common.entry_label(entry))}</h4>{_qa(entry)}</section>'
        for entry in e.entries
    )
    return (
        f'<article class="exercise"><h3>{_t(e.title)}</h3>'
        f'<p class="meta">{_t(e.session_label)} · '
        f"{_t(common.plural(len(e.entries), 'entry', 'entries'))}, newest first. "
        "The chart numbers each entry along the bottom.</p>"
        f"{_entry_chart(e)}{entries}</article>"
    )


def _qa(e: ExerciseEntry) -> str:
    items = []
    for q in e.questions:
        flag = '<span class="flag">Flagged</span>' if q.flagged else ""
        items.append(f'<li><p class="q">{_t(q.prompt)}{flag}</p>{_answer(q)}</li>')
    if e.reflection:
        items.append(
            f'<li><p class="q">{_t(e.reflection_prompt)}</p>'
            f'<div class="a">{_t(e.reflection)}</div></li>'
        )
    return f'<ol class="qa">{"".join(items)}</ol>'


def _exercise(e: ExerciseEntry) -> str:
    if e.repeatable:
        return _entries(e)
    when = f" · completed {_t(common.nice_date(e.completed))}" if e.completed else ""
    return (
        f'<article class="exercise"><h3>{_t(e.title)}</h3>'
        f'<p class="meta">{_t(e.session_label)} · {_status(e)}{when}</p>'
        f"{_qa(e)}</article>"
    )


def _exercises(s: Summary) -> str:
    if not s.exercises:
        return (
            '<section><h2>Exercises</h2><p class="muted">No exercises were included.</p></section>'
        )
    rows = "".join(
        f'<tr><td data-label="Session">{_t(e.session_label)}</td>'
        f'<td data-label="Exercise">{_t(e.title)}</td>'
        f'<td data-label="Status">{_status(e)}</td>'
        f'<td class="num" data-label="Flagged">'
        f"{sum(q.flagged for part in e.parts() for q in part.questions)}</td></tr>"
        for e in s.exercises
    )
    overview = (
        '<table class="rows overview"><thead><tr><th scope="col">Session</th>'
        '<th scope="col">Exercise</th><th scope="col">Status</th>'
        f'<th scope="col" class="num">Flagged</th></tr></thead><tbody>{rows}</tbody></table>'
    )
    return f"<section><h2>Exercises ({len(s.exercises)})</h2>{overview}</section>" + "".join(
        _exercise(e) for e in s.exercises
    )


def plan_html(plan: Iterable[PlanSection], heading: str) -> str:
    """The plan, section by section (a summary's, or the latest in a caseload history)."""
    parts = []
    for section in plan:
        if section.items:
            items = "".join(f"<li>{_t(i.text)}</li>" for i in section.items)
            body = f"<ul>{items}</ul>"
        else:
            body = '<p class="small muted">Nothing yet.</p>'
        parts.append(f"<section><h3>{_t(section.heading)}</h3>{body}</section>")
    if not parts:
        return ""
    return f'<section><h2>{_t(heading)}</h2><div class="plan">{"".join(parts)}</div></section>'


def document_head(title: str) -> str:
    """The start of a self-contained page: strict CSP, no referrer, not indexed, our CSS."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB"><head><meta charset="utf-8"/>'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}"/>'
        '<meta name="referrer" content="no-referrer"/>'
        '<meta name="robots" content="noindex, nofollow"/>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>'
        f"<title>{_t(title)}</title><style>{_CSS}</style></head>\n<body><main>"
    )


def render(summary: Summary) -> str:
    title = f"osp summary · {summary.participant_ref} · {common.session_text(summary)}"
    return (
        document_head(title)
        + _header(summary)
        + _attention(summary)
        + _flagged(summary)
        + _note(summary)
        + _checkins(summary)
        + _exercises(summary)
        + plan_html(summary.plan, "My plan")
        + f"<footer><p>{_t(common.CONFIDENTIAL)}</p>"
        f"<p>Made by osp {_t(summary.osp_version)} from a sealed summary "
        f"(schema {SCHEMA_VERSION}).</p></footer>" + "</main></body></html>\n"
    )
