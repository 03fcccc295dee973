"""The one safe-text path: every kind of hostile text comes out inert."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from osp_cli.ui import safe

HOSTILE = [
    "\x1b]0;owned\x07",  # OSC: set the window title
    "\x1b[2J\x1b[H",  # CSI: clear the screen
    "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",  # OSC 8 hyperlink
    "\x9b31m8-bit CSI",
    "\x9d0;8-bit OSC\x9c",
    "nul\x00byte and del\x7f",
    "bidi \u202eevil\u202c and isolate \u2066x\u2069",
    "zero\u200bwidth",
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_clean_leaves_no_control_or_invisible_characters(hostile: str) -> None:
    cleaned = safe.clean(hostile)
    assert not any(ord(c) < 0x20 and c != "\n" for c in cleaned)
    assert not any(0x7F <= ord(c) < 0xA0 for c in cleaned)
    assert not any(c in cleaned for c in "\u202e\u202c\u2066\u2069\u200b")


def test_escape_sequences_are_shown_not_obeyed() -> None:
    assert safe.clean("\x1b]0;owned\x07") == "\\x1b]0;owned\\x07"
    assert safe.clean("a\x1b[31mred") == "a\\x1b[31mred"
    assert safe.clean("bidi\u202eevil") == "bidi\\u202eevil"


def test_ordinary_text_is_unchanged() -> None:
    text = "Café, naïve, 日本語, emoji ✓ and a\nsecond line"
    assert safe.clean(text) == text


def test_single_line_mode_folds_newlines() -> None:
    assert safe.clean("a\nb", multiline=False) == "a b"


def test_very_long_lines_are_folded() -> None:
    cleaned = safe.clean("x" * (safe.MAX_LINE * 2 + 5))
    assert max(len(line) for line in cleaned.split("\n")) == safe.MAX_LINE


def _render(value: str) -> str:
    buffer = io.StringIO()
    Console(file=buffer, force_terminal=True, color_system="truecolor", width=200).print(
        safe.text(value)
    )
    return buffer.getvalue()


def test_rich_markup_and_emoji_codes_print_literally() -> None:
    out = _render("[bold]x[/] [link=https://evil.example]y[/link] :smile:")
    assert "[bold]x[/]" in out
    assert "[link=https://evil.example]y[/link]" in out
    assert ":smile:" in out
    assert "\x1b]8;" not in out  # no hyperlink escape was generated


def test_terminal_output_of_hostile_text_contains_no_raw_escape_from_the_text() -> None:
    for hostile in HOSTILE:
        out = _render(hostile)
        # Rich may add its own SGR styling, but never an OSC, a clear screen or a C1.
        assert "\x1b]" not in out
        assert "\x1b[2J" not in out
        assert "\x9b" not in out and "\x9d" not in out
        assert "\x00" not in out and "\x07" not in out


def test_html_text_escapes_markup_and_quotes() -> None:
    out = safe.html_text('<script>alert("x")</script> & \' \u202e')
    assert "<script>" not in out
    assert "&lt;script&gt;" in out
    assert "&quot;" in out and "&#x27;" in out
    assert "\u202e" not in out


def test_csv_cell_defuses_formulas() -> None:
    for formula in ("=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x"):
        assert safe.csv_cell(formula).startswith("'")
    assert safe.csv_cell("plain") == "plain"


def test_markdown_text_escapes_markdown_and_html() -> None:
    out = safe.markdown_text("**bold** [link](http://x) <b>")
    assert "**" not in out.replace("\\*", "")
    assert "<b>" not in out


def test_the_html_escape_is_the_standard_librarys() -> None:
    """safe.py escapes without importing html (start-up); it must agree with it."""
    import html
    import itertools

    from osp_cli.ui.safe import _escape

    for parts in itertools.product("&<>\"'a\n", repeat=4):
        value = "".join(parts)
        for quote in (True, False):
            assert _escape(value, quote=quote) == html.escape(value, quote=quote)
