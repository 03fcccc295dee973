"""One injection corpus through every output path: it must come out inert.

Paths: the participant's terminal (review, plan, list, progress), the practitioner's
terminal (practitioner open), and the files (Markdown, HTML, CSV; JSON stays valid).
The corpus goes in as answers, list items, table cells, reflections, check-in notes,
the note to the practitioner, and author text of a custom exercise (titles, prompts).
"""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from relhelp import PASS, use_floor_kdf
from typer.testing import CliRunner

from osp_cli.cli.app import app
from osp_cli.exercises.catalogue import builtin_exercises
from osp_cli.workbook import model, service

PRAC = "practitioner secret phrase"

CORPUS = [
    "\x1b[2J\x1b[Hscreen cleared",  # CSI
    "\x1b]0;owned title\x07",  # OSC: window title
    "\x1b]8;;https://evil.example/\x1b\\a link\x1b]8;;\x1b\\",  # OSC 8 hyperlink
    "\x1bP+q544e\x1b\\",  # DCS
    "\x1b[6n",  # a terminal query (would make the terminal type a reply)
    "\x9b31m 8-bit CSI",  # C1
    "\x9d0;8-bit OSC\x9c",
    "next line\x85C1",
    "nul\x00byte and del\x7f",
    "bell\x07 backspace\x08\x08\x08xxx",
    "carriage\rreturn overwrite",
    "bidi \u202eevil\u202c and isolate \u2066x\u2069 and mark \u200f",
    "zero\u200bwidth\ufeffbom",
    "[bold red]markup[/bold red] [link=https://evil.example]click[/link]",
    ":smile: :thumbs_up: emoji codes",
    "<script>alert('x')</script>",
    '<img src=x onerror=alert(1)>"><svg onload=alert(1)>',
    "javascript:alert(1)",
    "# heading\n* item\n[md link](javascript:alert(1))\n```\nfence",
    '=HYPERLINK("http://evil.example","x")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "x" * 20_000 + " very long line",
]
JOINED = " | ".join(CORPUS)

#: Author text of a custom exercise: the loader refuses control characters there, so the
#: rest of the corpus (markup, emoji codes, bidi, HTML, formulas) is what gets through.
CUSTOM = """id = "hostile-author"
title = "=HYPERLINK(1) [bold]T[/bold] :smile: <script>t()</script>"
session = 1
topics = ["evaluation"]
minutes = 5
version = 1
intro = "[link=https://evil.example]x[/link] <img src=x onerror=alert(1)>"
reflection = "@SUM(1) :thumbs_up:"

[[questions]]
id = "q"
kind = "text"
no_names = true
prompt = "-1+1 [red]prompt[/red] :smile: <b>bold</b>"
"""

INVISIBLE = set(
    "\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)


@pytest.fixture(autouse=True)
def _floor_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    use_floor_kdf(monkeypatch)


def _value_for(question: Any, n: int) -> Any:
    kind = question.kind.value
    text = CORPUS[n % len(CORPUS)]
    if kind in ("text", "long_text"):
        return text
    if kind == "list":
        return [CORPUS[(n + i) % len(CORPUS)] for i in range(3)]
    if kind == "table":
        return {
            row: {col: CORPUS[(n + i + j) % len(CORPUS)] for j, col in enumerate(question.columns)}
            for i, row in enumerate(question.rows)
        }
    if kind == "choice":
        return question.choices[0]
    if kind == "choices":
        return list(question.choices[:2])
    if kind == "scale":
        return question.max
    return True


def fill(payload: model.Payload) -> None:
    exercises = builtin_exercises()
    planned = [e for e in exercises.values() if any(q.plan for q in e.questions)]
    n = 0
    for exercise in planned:
        for question in exercise.questions:
            model.set_answer(exercise.id, exercise.version, question.id, _value_for(question, n))(
                payload
            )
            model.set_flag(exercise.id, exercise.version, question.id, n % 3 == 0)(payload)
            n += 1
        model.set_reflection(exercise.id, exercise.version, CORPUS[n % len(CORPUS)])(payload)
        model.mark_complete(exercise.id, exercise.version)(payload)
    payload.custom_exercises["hostile-author"] = CUSTOM
    model.set_answer("hostile-author", 1, "q", JOINED)(payload)
    for i, text in enumerate(CORPUS):
        model.add_checkin(i % 11, (i * 7) % 11, text)(payload)


@pytest.fixture
def workbook(_osp_home: Path) -> service.Workbook:
    book, _ = service.create(PASS)
    book.save(fill)
    return book


def invoke(args: list[str], stdin: str) -> str:
    from osp_cli.ui.console import reset_console

    reset_console()
    result = CliRunner().invoke(app, args, input=stdin)
    assert result.exit_code == 0, (args, result.output[-2000:], result.exception)
    return result.output


def assert_terminal_inert(out: str, where: str) -> None:
    bad = sorted({f"U+{ord(c):04X}" for c in out if _dangerous(c)})
    assert not bad, f"{where}: raw control or invisible characters reached the output: {bad}"
    flat = " ".join(out.split())
    # Shown as typed, not interpreted: the markup and emoji codes are still there as text.
    assert "😄" not in out and "👍" not in out, f"{where}: an emoji code was interpreted"
    assert ":smile:" in flat, f"{where}: emoji code missing"
    assert "[/bold" in flat or "[bold" in flat, f"{where}: Rich markup was consumed"


def _dangerous(ch: str) -> bool:
    code = ord(ch)
    return (code < 0x20 and ch != "\n") or 0x7F <= code <= 0x9F or ch in INVISIBLE


def test_participant_terminal_paths(workbook: service.Workbook) -> None:
    for args in (
        ["--plain", "review"],
        ["review"],
        ["review", "hostile-author"],
        ["--plain", "plan"],
        ["plan"],
        ["list"],
        ["progress"],
    ):
        out = invoke(args, PASS + "\n")
        bad = sorted({f"U+{ord(c):04X}" for c in out if _dangerous(c)})
        assert not bad, f"osp {' '.join(args)}: raw control or invisible characters: {bad}"
        assert "😄" not in out and "👍" not in out, f"osp {' '.join(args)}: emoji code obeyed"
        if args[-1] in ("review", "hostile-author"):
            assert_terminal_inert(out, f"osp {' '.join(args)}")


def _within_limits(data: Any) -> Any:
    """The hostile corpus cut to the size limits a summary must keep (osp_cli/limits.py):
    every string keeps its hostile start."""
    from osp_cli import limits

    if isinstance(data, str):
        return data[: limits.LIST_ITEM_CHARS]
    if isinstance(data, list):
        return [_within_limits(v) for v in data]
    if isinstance(data, dict):
        return {k: _within_limits(v) for k, v in data.items()}
    return data


@pytest.fixture
def sealed_summary(workbook: service.Workbook, tmp_path: Path) -> Path:
    from osp_cli import __version__
    from osp_cli.exchange import files, keystore, sealed, summary

    result = CliRunner().invoke(app, ["practitioner", "init"], input=f"{PRAC}\n{PRAC}\n")
    assert result.exit_code == 0, result.output
    info = keystore.public_info(files.key_file().read_bytes())
    payload = workbook.payload
    payload.participant_ref = "P-0142"
    chosen = sorted(payload.exercises)
    built = summary.build(payload, workbook.exercises(), chosen, JOINED, osp_version=__version__)
    # A summary is outside input for the practitioner: anyone with the public key can seal
    # one. Put the corpus where the CSV reads from too (times, choice answers, the ref).
    data = built.to_json()
    for i, checkin in enumerate(data["checkins"]):
        checkin["at"] = CORPUS[i % len(CORPUS)][:200]
    entry = data["exercises"][0]
    entry["session"] = "evaluation"
    for i, question in enumerate(entry["questions"]):
        question["kind"] = "choices" if i % 2 else "choice"
        question["answer"] = CORPUS[i % len(CORPUS)][:200] if i % 2 == 0 else CORPUS[:3]
    data["participant_ref"] = "=HYPERLINK(1)"
    hostile = summary.from_json(_within_limits(data))
    path = tmp_path / "summary.osps"
    path.write_bytes(sealed.seal(hostile.to_bytes(), info.x25519_public))
    return path


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_practitioner_paths(sealed_summary: Path, tmp_path: Path) -> None:
    out = invoke(["practitioner", "open", str(sealed_summary)], PRAC + "\n")
    assert_terminal_inert(out, "osp practitioner open")
    html_out, md_out, json_out = tmp_path / "s.html", tmp_path / "s.md", tmp_path / "s.json"
    invoke(
        ["practitioner", "open", str(sealed_summary), "--html", str(html_out),
         "--markdown", str(md_out), "--json", str(json_out)],
        PRAC + "\n",
    )  # fmt: skip

    # HTML: no tag, attribute or URL from the corpus is live; all of it is shown as text.
    page = html_out.read_text("utf-8")
    parser = _Tags()
    parser.feed(page)
    names = {tag for tag, _ in parser.tags}
    assert not names & {"script", "img", "iframe", "object", "embed", "link", "base", "form"}
    for tag, attrs in parser.tags:
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            assert "javascript:" not in (value or "").lower(), (tag, name, value)
            if name in ("href", "src") and value:
                assert value.startswith("#"), (tag, name, value)  # no external resources
    assert any(
        tag == "meta" and ("http-equiv", "Content-Security-Policy") in attrs
        for tag, attrs in parser.tags
    )
    shown = "".join(parser.text)
    assert "<script>alert('x')</script>" in shown  # displayed, as text
    assert not [c for c in page if _dangerous(c) and c not in "\t\r"]

    # Markdown: escaped, so no renderer turns the corpus into HTML, links or headings.
    md = md_out.read_text("utf-8")
    assert not [c for c in md if _dangerous(c)]
    assert "<script" not in md and "<img" not in md and "<svg" not in md
    assert "](javascript:" not in md
    assert "\n# heading" not in md and "\n* item" not in md and "\n```" not in md

    # JSON: valid, and the data is faithful (it is data, not a display).
    data = json.loads(json_out.read_text("utf-8"))
    assert data["note"] == _within_limits(JOINED)


def test_evaluation_csv(sealed_summary: Path, tmp_path: Path) -> None:
    out_path = tmp_path / "evaluation.csv"
    invoke(["practitioner", "evaluation", str(sealed_summary), "--csv", str(out_path)], PRAC + "\n")
    rows = list(csv.reader(io.StringIO(out_path.read_text("utf-8"))))
    assert len(rows) > 1
    cells = [cell for row in rows for cell in row]
    assert "'=HYPERLINK(1)" in cells  # the hostile reference, defused
    assert any("=HYPERLINK" in cell for row in rows[1:] for cell in row[3:])
    for row in rows:
        for cell in row:
            assert cell.lstrip()[:1] not in ("=", "+", "-", "@"), cell[:60]
            assert not [c for c in cell if _dangerous(c)], cell[:60]


def test_markdown_and_html_renderers_directly(sealed_summary: Path) -> None:
    """Every renderer in the registry, on the same summary (no CLI in between)."""
    from osp_cli.exchange import files, keystore, sealed, summary
    from osp_cli.report import render

    keys = keystore.unlock(files.key_file().read_bytes(), PRAC)
    opened = summary.from_bytes(
        sealed.open_sealed(sealed_summary.read_bytes(), keys.x25519_private, keys.x25519_public)
    )
    for name in ("markdown", "html", "csv"):
        rendered = render(name, opened)
        bad = sorted({f"U+{ord(c):04X}" for c in rendered if _dangerous(c) and c not in "\r\t"})
        assert not bad, (name, bad)
