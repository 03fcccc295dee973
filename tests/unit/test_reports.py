"""Reports: every renderer keeps hostile text inert; the HTML page is well formed and
locked down; the JSON contract is pinned; the evaluation CSV has the right rows."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from exchange_data import HOSTILE, make_summary

from osp_cli.exchange import summary as summary_mod
from osp_cli.report import FORMATS, csv_rows, render

CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


@pytest.fixture(scope="module")
def hostile_html() -> str:
    return render("html", make_summary(hostile=True))


def test_registry_has_one_renderer_per_format() -> None:
    assert FORMATS == ("terminal", "markdown", "html", "json", "csv")
    summary = make_summary()
    for name in FORMATS:
        assert isinstance(render(name, summary), str)


# --- HTML ----------------------------------------------------------------------------


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs
        if tag not in ("meta", "br", "circle", "line", "rect", "polyline"):
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1:]}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_is_well_formed(hostile_html: str) -> None:
    assert hostile_html.startswith("<!DOCTYPE html>\n")
    # A strict XML parser raises on anything not well formed (our own output, no DTD).
    ET.fromstring(hostile_html.split("\n", 1)[1])  # noqa: S314
    collector = _Collector()
    collector.feed(hostile_html)
    collector.close()
    assert collector.stack == []


def test_html_is_locked_down(hostile_html: str) -> None:
    collector = _Collector()
    collector.feed(hostile_html)
    assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}' in hostile_html
    assert hostile_html.index("Content-Security-Policy") < hostile_html.index("<style>")
    assert set(collector.tags) <= {
        "html", "head", "meta", "title", "style", "body", "main", "header", "p", "span",
        "h1", "h2", "h3", "dl", "div", "dt", "dd", "section", "svg", "desc", "rect", "line",
        "text", "polyline", "circle", "table", "thead", "tbody", "tr", "th", "td", "article",
        "ol", "ul", "li", "br", "footer",
    }  # fmt: skip
    names = {name for name, _ in collector.attrs}
    assert not {n for n in names if n.startswith("on")}
    assert not names & {"src", "href", "srcset", "action", "formaction", "xlink:href"}
    lowered = hostile_html.lower()
    assert "<script" not in lowered and "<iframe" not in lowered and "<img" not in lowered
    assert "@import" not in lowered and "url(" not in lowered
    # Web addresses appear only inside escaped participant text, never in markup.
    markup = re.sub(r">[^<]*<", "><", hostile_html)
    assert not re.search(r"https?:|//|data:", markup)


def test_html_escapes_every_hostile_string(hostile_html: str) -> None:
    collector = _Collector()
    collector.feed(hostile_html)
    shown = "".join(collector.text)
    assert "<script>alert('x')</script>" in shown  # shown as text...
    assert "<script>" not in hostile_html  # ...never as markup
    assert '"><img src=x' not in hostile_html
    assert "\x1b" not in hostile_html and "\u202e" not in hostile_html
    assert "\x9b" not in hostile_html and "\u200b" not in hostile_html
    assert "\\u202e" in shown and "\\x1b" in shown  # visible placeholders
    assert "&amp;lt;b&amp;gt;" in hostile_html  # entities typed by him stay literal


def test_html_shows_flagged_items_first_and_a_chart(hostile_html: str) -> None:
    talk = hostile_html.index("To talk about")
    assert talk < hostile_html.index("Check-ins") < hostile_html.index("<h2>Exercises")
    assert hostile_html.index("<svg") < hostile_html.index("<h2>Exercises")
    assert hostile_html.count("<polyline") == 2  # upset and urges
    assert hostile_html.count("<circle") == 6


def test_html_escapes_titles_of_custom_exercises() -> None:
    summary = make_summary()
    entry = dataclasses.replace(summary.exercises[0], title="<b onclick=x>T</b>")
    page = render("html", dataclasses.replace(summary, exercises=(entry,)))
    assert "<b onclick" not in page and "&lt;b onclick=x&gt;T&lt;/b&gt;" in page


# --- terminal, Markdown, JSON, CSV ----------------------------------------------------


def test_terminal_view_is_inert() -> None:
    shown = render("terminal", make_summary(hostile=True))
    assert "\x1b" not in shown and "\u202e" not in shown and "\x9b" not in shown
    assert "[bold red]markup[/bold red]" in shown  # Rich markup shown literally
    assert ":smile:" in shown
    assert shown.index("To talk about") < shown.index("Check-ins") < shown.index("Exercises")


def test_markdown_is_inert() -> None:
    text = render("markdown", make_summary(hostile=True))
    assert "<script" not in text and "<img" not in text and "<iframe" not in text
    assert "\x1b" not in text and "\u202e" not in text
    assert "\\[bold red\\]" in text  # Markdown link/emphasis syntax escaped
    assert "[link=https://evil.example]" not in text


def test_json_is_inert_and_round_trips() -> None:
    summary = make_summary(hostile=True)
    text = render("json", summary)
    assert text.isascii()  # controls and bidi characters appear as \\u escapes
    assert summary_mod.from_json(json.loads(text)) == summary


def test_json_contract() -> None:
    """Pinned: changing any of this is a new schema_version (and docs/formats.md)."""
    data = json.loads(render("json", make_summary()))
    assert data["schema_version"] == summary_mod.SCHEMA_VERSION == 2
    assert data["type"] == "osp-summary"
    assert list(data) == [
        "schema_version", "type", "created", "osp_version", "participant_ref", "session",
        "next_session", "note", "flagged", "exercises", "checkins", "plan",
    ]  # fmt: skip
    exercise = data["exercises"][0]
    assert list(exercise) == [
        "id", "title", "session", "version", "status", "answered", "total", "started",
        "completed", "reflection_prompt", "reflection", "repeatable", "measure", "number",
        "questions", "entries",
    ]  # fmt: skip
    assert list(exercise["questions"][0]) == [
        "id", "kind", "prompt", "answer", "skipped", "flagged", "choices", "rows", "columns",
        "min", "max", "labels",
    ]  # fmt: skip
    assert list(data["checkins"][0]) == ["at", "feeling", "urge", "note", "context", "self_harm"]
    assert list(data["plan"][0]) == ["section", "heading", "items"]
    assert data["flagged"] == [
        {"exercise_id": "hopes-and-fears", "question_id": "what-led-here", "entry": None}
    ]
    assert data["participant_ref"] == "P-0142" and data["session"] == 2
    assert data["next_session"] == "2026-03-10"


def test_evaluation_csv_rows() -> None:
    text = csv_rows.write(csv_rows.rows(make_summary()))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "participant_ref", "measure_type", "measure", "time", "value", "sender", "duplicate",
        "before", "after", "change",
    ]  # fmt: skip
    assert {tuple(r[5:]) for r in rows[1:]} == {
        ("", "", "", "", "")
    }  # only outcome rows fill the last three
    body = {tuple(r[1:5]) for r in rows[1:]}
    assert {r[0] for r in rows[1:]} == {"P-0142"}
    assert ("checkin", "upset", "2026-03-03T20:00:00+00:00", "8") in body
    assert ("checkin", "urges", "2026-03-03T20:00:00+00:00", "5") in body
    completed = [r for r in body if r[0] == "evaluation"]
    values = {r[1]: r[3] for r in completed}
    assert values["programme-evaluation/overall"] == "4"
    assert values["programme-evaluation/number-of-sessions"] == "About right"
    assert values["programme-evaluation/recommend"] == "yes"
    assert "programme-evaluation/best-thing" not in values  # free text never exported
    completion = {r[1]: int(r[3]) for r in body if r[0] == "completion"}
    assert set(completion) == {"hopes-and-fears", "warning-signs", "programme-evaluation"}
    assert all(0 <= v <= 100 for v in completion.values())
    assert len(rows) - 1 == 6 + 3 + 3  # 3 check-ins x 2, 3 completions, 3 evaluation answers


def test_csv_keeps_negative_numbers_and_defuses_formulas() -> None:
    """A scale may run below zero: '-3' stays a number, '-2+3' cannot start a formula."""
    rows: list[csv_rows.Row] = [
        ("P-1", "evaluation", f"x/q{i}", "2026-01-01T00:00:00+00:00", v, "verified", "k")
        for i, v in enumerate(("-3", "-2+3", "-1.5", "7"))
    ]
    values = [r[4] for r in list(csv.reader(io.StringIO(csv_rows.write(rows))))[1:]]
    assert sorted(values) == sorted(["-3", "'-2+3", "-1.5", "7"])


def test_csv_cells_cannot_start_a_formula() -> None:
    rows: list[csv_rows.Row] = [
        (value, "evaluation", value, value, value, value, value) for value in HOSTILE
    ]
    text = csv_rows.write(rows)
    for row in list(csv.reader(io.StringIO(text)))[1:]:
        for cell in row:
            assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r")
            assert "\x1b" not in cell and "\u202e" not in cell


def test_markdown_is_not_over_escaped() -> None:
    text = render("markdown", make_summary(note="Call me on 12.3. Thanks - really."))
    assert "# Participant P-0142" in text  # not P\-0142
    assert "Call me on 12.3. Thanks - really." in text
    assert "\\." not in text and "\\-" not in text


def test_markdown_escapes_what_markdown_would_act_on() -> None:
    from osp_cli.ui import safe

    out = safe.markdown_text("- a list?\n# a heading?\n3. a number?\n| a | table |\n_x_ `y`")
    assert out.split("\n") == [
        "\\- a list?",
        "\\# a heading?",
        "3\\. a number?",
        "\\| a \\| table \\|",
        "\\_x\\_ \\`y\\`",
    ]


def test_html_counts_read_correctly() -> None:
    summary = make_summary()
    one = dataclasses.replace(summary, exercises=summary.exercises[:1], checkins=())
    page = render("html", one)
    assert "1 exercise ·" in page and "1 exercises" not in page
    assert "Exercises (1)" in page


def test_html_tables_label_every_cell_and_keep_one_font_for_his_words() -> None:
    from report_example import example_summary

    page = render("html", example_summary())
    # Each participant cell carries its column name, for the one-block-per-row layout.
    assert 'data-label="How I felt and coped"' in page
    assert '<table class="blocks">' in page  # four columns: blocks on every page
    assert '<table class="rows c2">' in page
    # One font rule for everything he wrote; the tables inside answers do not reset it.
    assert ".a, .note, .voice, .a td, .plan li { font-family: var(--voice); }" in page
    assert ".a table {" not in page
    # No label sits inside the chart's plot: the support line is named in the legend.
    assert "7 or more: support offered" in page and "7: support offered" not in page


def test_markdown_link_syntax_is_broken_up() -> None:
    from osp_cli.ui import safe

    out = safe.markdown_text("[md link](javascript:alert(1)) and (a note)")
    assert "](" not in out and "\\[md link\\]\\(javascript" in out
    assert "(a note)" in out  # ordinary brackets are left alone
