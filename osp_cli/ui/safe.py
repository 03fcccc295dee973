"""The one safe-text path for anything a person wrote (answers, notes, author text).

``clean`` makes a string inert for a terminal: C0 and C1 control characters (so every
escape sequence: CSI, OSC, DCS...), NUL, DEL, bidi overrides and other invisible
formatting characters are replaced with visible placeholders, so what was typed is
shown, never obeyed.
``text`` wraps the result in a ``rich.text.Text`` so Rich markup such as ``[bold]`` and
emoji codes such as ``:smile:`` are shown literally. HTML output uses ``html_text``.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.text import Text


# Characters that reorder or hide text (bidi controls, zero-width and similar).
#: A plain number, which a spreadsheet reads as a number and never as a formula.
def _escape(value: str, *, quote: bool) -> str:
    """The same as ``html.escape`` (whose module costs start-up time to import): &, < and
    >, and with ``quote`` the two quote marks, as character references."""
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if quote:
        value = value.replace('"', "&quot;").replace("'", "&#x27;")
    return value


_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")

_INVISIBLE = {
    "\u061c",  # ARABIC LETTER MARK
    "\u200b", "\u200c", "\u200d", "\u200e", "\u200f",
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
    "\u2060", "\u2061", "\u2062", "\u2063", "\u2064",
    "\u2066", "\u2067", "\u2068", "\u2069",
    "\u206a", "\u206b", "\u206c", "\u206d", "\u206e", "\u206f",
    "\ufeff",
}  # fmt: skip
MAX_LINE = 2000  # very long lines are folded so that nothing can push the screen around


def _placeholder(ch: str) -> str:
    return f"\\u{ord(ch):04x}" if ord(ch) > 0xFF else f"\\x{ord(ch):02x}"


def clean(value: str, *, multiline: bool = True) -> str:
    """Make user text inert for a terminal. Keeps newlines (when ``multiline``) and tabs.

    Every control character (C0, DEL, C1, including ESC and the 8-bit CSI/OSC
    introducers) and every invisible or reordering character is replaced by a visible
    ``\\xNN`` / ``\\uNNNN`` placeholder. With ESC gone, the rest of an escape sequence
    is plain printable text, so the whole sequence is shown and never obeyed.
    """
    out: list[str] = []
    for ch in value:
        if ch == "\n":
            out.append("\n" if multiline else " ")
        elif ch == "\t":
            out.append("    ")
        elif ch in _INVISIBLE or unicodedata.category(ch) in _HIDDEN_CATEGORIES:
            out.append(_placeholder(ch))
        else:
            out.append(ch)
    result = "".join(out)
    if any(len(line) > MAX_LINE for line in result.split("\n")):
        result = "\n".join(_fold(line) for line in result.split("\n"))
    return result


# Control, format (bidi marks, zero-width, tag characters, soft hyphen...), surrogate,
# private-use and unassigned code points, and the line/paragraph separators.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def _fold(line: str) -> str:
    return "\n".join(line[i : i + MAX_LINE] for i in range(0, len(line), MAX_LINE)) or line


def text(value: str, style: str = "", *, multiline: bool = True) -> Text:
    """User text as an inert Rich ``Text`` (markup and emoji codes are not interpreted)."""
    from rich.text import Text

    return Text(clean(value, multiline=multiline), style=style, end="")


def path_text(path: object) -> str:
    """A file name from the command line or a folder listing, inert and not too long."""
    return clean(str(path), multiline=False)[:200]


def html_text(value: str) -> str:
    """User text for HTML: cleaned, then escaped (quotes too); newlines become <br>."""
    return _escape(clean(value), quote=True).replace("\n", "<br>\n")


def markdown_text(value: str) -> str:
    """User text for Markdown: cleaned, HTML escaped, and only what Markdown would act on
    escaped: emphasis, code, links, tables and strike-through anywhere, and block markers
    (headings, quotes, lists, rules) at the start of a line. "P-0412" stays "P-0412"."""
    cleaned = _escape(clean(value), quote=False)
    # "](" would still read as a link target to a careless renderer: break it up too.
    inline = _MD_INLINE.sub(r"\\\1", cleaned).replace("\\](", "\\]\\(")
    numbered = _MD_NUMBERED.sub(r"\1\2\\\3", inline)
    return _MD_LINE_START.sub(r"\1\\\2", numbered)


_MD_INLINE = re.compile(r"([\\`*_\[\]|~])")
_MD_NUMBERED = re.compile(r"^([ \t]*)(\d+)([.)])", re.MULTILINE)
_MD_LINE_START = re.compile(r"^([ \t]*)([#+=-])", re.MULTILINE)


def csv_cell(value: str) -> str:
    """A spreadsheet-safe cell: no formula can start it, control characters shown inert."""
    cleaned = clean(value, multiline=False)
    if _NUMBER.fullmatch(cleaned):
        return cleaned  # a plain number (a scale may go below zero) cannot be a formula
    if cleaned.lstrip()[:1] in ("=", "+", "-", "@"):
        cleaned = "'" + cleaned
    return cleaned
