"""The Rich-free writer of the support screen (osp_cli/ui/lines.py)."""

from __future__ import annotations

import io

import pytest

from osp_cli.ui.lines import Line, layout, write_lines


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _rows(line: Line, columns: int) -> list[str]:
    return ["".join(text for text, _style in row) for row in layout(line, columns)]


@pytest.mark.timeout(10)
def test_lines_wrap_at_spaces_and_never_inside_a_word() -> None:
    line = Line(("Stop It Now ", "bold"), ("0808 1000 900", "bold cyan"), (": free, any time", ""))
    rows = _rows(line, 20)
    assert rows == ["Stop It Now 0808", "1000 900: free, any", "time"]
    words = line.plain.split()
    assert " ".join(rows).split() == words  # nothing lost, no word cut
    assert all(len(row) <= 20 for row in rows)


@pytest.mark.timeout(10)
def test_a_word_longer_than_the_row_is_left_whole() -> None:
    assert _rows(Line(("a https://example.org/a/very/long/address b", "")), 12) == [
        "a",
        "https://example.org/a/very/long/address",
        "b",
    ]


@pytest.mark.timeout(10)
def test_a_clipped_line_stays_on_one_row_with_an_ellipsis() -> None:
    line = Line(("My people: ", "bold"), ("Sam (brother); my sponsor at the group", ""), clip=True)
    rows = _rows(line, 24)
    assert rows == ["My people: Sam (brother…"]
    assert len(rows[0]) == 24
    assert _rows(Line(("short", ""), clip=True), 24) == ["short"]


@pytest.mark.timeout(10)
def test_styles_are_sent_only_to_a_terminal_and_never_in_plain_mode(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from osp_cli.ui.console import SETTINGS

    lines = [Line(("Samaritans ", "bold"), ("116 123", "bold cyan"))]
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    terminal = _Terminal()
    write_lines(lines, terminal)
    assert terminal.getvalue() == "\x1b[1mSamaritans \x1b[0m\x1b[1;36m116 123\x1b[0m\n"

    piped = io.StringIO()
    write_lines(lines, piped)
    assert piped.getvalue() == "Samaritans 116 123\n"

    SETTINGS.plain = True
    plain = _Terminal()
    write_lines(lines, plain)
    assert plain.getvalue() == "Samaritans 116 123\n"
    SETTINGS.plain = False

    monkeypatch.setenv("NO_COLOR", "1")
    no_colour = _Terminal()
    write_lines(lines, no_colour)
    assert "\x1b" not in no_colour.getvalue()


@pytest.mark.timeout(10)
def test_once_rich_is_loaded_the_lines_go_where_the_shared_console_goes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Inside the pager (the plan ends with the support lines), the lines are part of the
    page it gathers, not written around it."""
    from osp_cli.ui import pager
    from osp_cli.ui.console import console
    from osp_cli.ui.support import show_support

    console()  # Rich is loaded, as it is by the time the plan is drawn
    page = pager.render(lambda: show_support(heading="If you need help now"))
    assert "If you need help now" in page
    assert "0808 1000 900" in page
    assert "0808" not in capsys.readouterr().out
