"""Short styled screens written without Rich.

The support screen is the one screen that must never wait: it is the first thing ``osp
support`` shows, and it appears after a high check-in. Importing Rich costs about as much
as importing Typer, so this screen is written by the few lines below instead: each line is
a list of (text, style) pieces, wrapped at spaces to the terminal's width (never inside a
word), and styled with plain escape codes only where colour is allowed (a terminal, not
``--plain``, ``NO_COLOR`` or ``TERM=dumb``). Text written by the person must already have
been through :func:`osp_cli.ui.safe.clean`; fixed wording needs nothing more.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING

from osp_cli.platform import prepare_console
from osp_cli.ui.console import current, plain_mode

if TYPE_CHECKING:
    from rich.console import Console

#: One piece of a line: its text and its style: "", or words from _CODES ("bold cyan").
Piece = tuple[str, str]

_CODES = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33", "cyan": "36"}


class Line:
    """One line of a screen. ``clip`` keeps it to one row, ending in an ellipsis if cut."""

    def __init__(self, *pieces: Piece, clip: bool = False) -> None:
        self.pieces: list[Piece] = [piece for piece in pieces if piece[0]]
        self.clip = clip

    @property
    def plain(self) -> str:
        return "".join(text for text, _style in self.pieces)

    def append(self, text: str, style: str = "") -> Line:
        if text:
            self.pieces.append((text, style))
        return self


def _sgr(style: str) -> str:
    codes = [_CODES[word] for word in style.split() if word in _CODES]
    return f"\x1b[{';'.join(codes)}m" if codes else ""


def _words(line: Line) -> list[list[Piece]]:
    """The line as words (runs of non-space characters, each possibly in several
    styles), each word keeping the spaces that follow it as its last piece."""
    words: list[list[Piece]] = [[]]
    for text, style in line.pieces:
        start = 0
        for index, char in enumerate(text):
            if char == " " and (index + 1 == len(text) or text[index + 1] != " "):
                words[-1].append((text[start : index + 1], style))
                words.append([])
                start = index + 1
        if start < len(text):
            words[-1].append((text[start:], style))
    return [word for word in words if word]


def _width(word: Sequence[Piece], *, trailing: bool) -> int:
    text = "".join(text for text, _style in word)
    return len(text if trailing else text.rstrip(" "))


def layout(line: Line, columns: int) -> list[list[Piece]]:
    """The rows one line takes at this width: greedy, at spaces, a word longer than the
    row left whole; a clipped line is one row cut with "…"."""
    columns = max(columns, 10)
    if line.clip and len(line.plain) > columns:
        row: list[Piece] = []
        room = columns - 1
        for text, style in line.pieces:
            if len(text) >= room:
                row.append((text[:room].rstrip(" ") + "…", style))
                return [row]
            row.append((text, style))
            room -= len(text)
    if line.clip:
        return [list(line.pieces)]
    rows: list[list[Piece]] = [[]]
    used = 0
    for word in _words(line):
        if used and used + _width(word, trailing=False) > columns:
            rows.append([])
            used = 0
        rows[-1].extend(word)
        used += _width(word, trailing=True)
    return [_strip_end(row) for row in rows]


def _strip_end(row: list[Piece]) -> list[Piece]:
    while row and not row[-1][0].rstrip(" "):
        row.pop()
    if row:
        text, style = row[-1]
        row[-1] = (text.rstrip(" "), style)
    return row


def _joined(row: list[Piece]) -> list[Piece]:
    """Neighbouring pieces of the same style as one (one escape code per run)."""
    joined: list[Piece] = []
    for text, style in row:
        if joined and joined[-1][1] == style:
            joined[-1] = (joined[-1][0] + text, style)
        else:
            joined.append((text, style))
    return joined


def colour_allowed(stream: IO[str]) -> bool:
    try:
        return stream.isatty() and not plain_mode()
    except (AttributeError, ValueError):
        return False


def write_lines(lines: Sequence[Line], stream: IO[str] | None = None) -> None:
    """Write the lines, wrapped to the terminal's width, styled where colour is allowed.

    Once Rich has loaded, the lines go through the shared console instead, so that they
    land where everything else goes (inside the pager's page, for instance) and look
    the same."""
    shared = current() if stream is None else None
    if shared is not None:
        _through_rich(lines, shared)
        return
    out = stream if stream is not None else sys.stdout
    styled = colour_allowed(out) and prepare_console(out)
    columns = shutil.get_terminal_size((80, 24)).columns
    chunks: list[str] = []
    for line in lines:
        for row in layout(line, columns):
            for text, style in _joined(row):
                code = _sgr(style) if styled else ""
                chunks.append(f"{code}{text}\x1b[0m" if code else text)
            chunks.append("\n")
    out.write("".join(chunks))
    out.flush()


def _through_rich(lines: Sequence[Line], out: Console) -> None:
    from rich.text import Text

    plain = plain_mode()
    for line in lines:
        text = Text()
        for piece, style in line.pieces:
            text.append(piece, style="" if plain else style)
        if line.clip:
            text.no_wrap = True
            text.overflow = "ellipsis"
        out.print(text)


def say(text: str, style: str = "") -> None:
    """Our own wording, wrapped to the terminal's width: for the first words of a command,
    before Rich has loaded. A file name or anything else a person typed in it must have
    been through the safe-text path first (``safe.path_text``, ``safe.clean``)."""
    write_lines([Line((part, style)) for part in text.split("\n")])
