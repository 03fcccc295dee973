"""Questionary prompts, and their plain-mode twins.

Every questionary prompt uses ``unsafe_ask`` so Ctrl-C reaches the caller (which saves,
says so calmly and exits 130) instead of being swallowed.

In plain mode (``--plain``, ``NO_COLOR``, ``TERM=dumb``) nothing is drawn in place: no
prompt_toolkit application runs at all. A menu is a numbered list printed once, top to
bottom, and the participant types a number and presses Enter; text is read a line at a
time by the terminal itself, so a screen reader hears everything in order and no escape
sequence is ever sent.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable, Sequence
from typing import Any

import questionary
from questionary import Style
from rich.text import Text

from osp_cli.limits import too_long
from osp_cli.ui.console import NARROW, console, plain_mode, width, wrap
from osp_cli.ui.safe import clean


def style() -> Any:
    """The questionary style: none at all in plain mode."""
    if plain_mode():
        return Style([])
    return Style([("qmark", "fg:ansicyan bold"), ("question", "bold"), ("answer", "fg:ansicyan")])


def from_terminal(text: object) -> str:
    """Typed text as valid Unicode.

    prompt_toolkit decodes undecodable bytes (a non-UTF-8 terminal, an odd paste) as lone
    surrogates, which cannot be saved. Decode those bytes again, with U+FFFD for what
    cannot be read, so the answer is kept rather than lost.
    """
    value = str(text or "")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        value = value.encode("utf-8", "replace").decode("utf-8")
    return value


def menu_title(title: str, indent: int = 3) -> str:
    """A menu entry wrapped to the screen at spaces (never inside a word), its later
    lines indented under the first, so a long entry never runs off the edge."""
    room = max(width() - indent - 2, 20)
    if len(title) <= room:
        return title
    lines = textwrap.wrap(title, room, break_long_words=False, break_on_hyphens=False)
    return ("\n" + " " * indent).join(lines)


MENU_HINT = "(use the arrow keys, then Enter)"
_HINT_SAID = False  # below 60 columns the keys are said once, on the first menu of a run


def question_layout(message: str, hint: str, *, qmark: str = "?") -> tuple[str, str]:
    """A questionary message wrapped to the screen at spaces (never inside a word), and
    where its hint goes: at the end of the message's last line when it fits, else on a
    line of its own. Below 60 columns a menu's hint is given once, on the first menu of
    the run, and then left out, so a narrow screen is not filled with it (the pointer
    shows which entry Enter picks). Returns (message, instruction)."""
    global _HINT_SAID
    columns = width()
    room = max(columns - 1, 20)
    lines = textwrap.wrap(
        f"{qmark} {message}", room, break_long_words=False, break_on_hyphens=False
    ) or [qmark]
    text = "\n".join(lines)[len(qmark) + 1 :]
    if not hint:
        return text, " "  # questionary adds its own hint when given none
    if columns < NARROW and hint == MENU_HINT:
        if _HINT_SAID:
            return text, " "
        _HINT_SAID = True
    if len(lines[-1]) + 2 + len(hint) <= room:
        return text, hint
    return text, "\n" + hint


# --- plain mode: lines in, lines out -----------------------------------------------------


def plain() -> bool:
    return plain_mode()


def say_line(value: str) -> None:
    """One line of fixed wording or already-cleaned text, printed inert and wrapped."""
    console().print(Text(value), end="\n")


def read_line(prompt: str = "> ") -> str:
    """One line typed at a plain prompt; the terminal itself echoes and edits it.

    No readline, no history, nothing written anywhere. End of input is ``EOFError``
    (the caller treats it like Ctrl-C: everything is already saved).
    """
    console().file.flush()
    bare = prompt.rstrip(" ")
    sys.stdout.write(wrap(bare, stream=sys.stdout) + prompt[len(bare) :])  # never mid-word
    sys.stdout.flush()
    line = sys.stdin.readline()
    if not line:
        sys.stdout.write("\n")
        raise EOFError
    return from_terminal(line.rstrip("\r\n"))


def plain_menu(
    message: str,
    titles: Sequence[str],
    *,
    default: int | None = None,
    commands: Callable[[str], Any] | None = None,
) -> int | Any:
    """A numbered list; returns the index picked (0-based), or what ``commands`` made of
    the typed text when it is not a number (``None`` from ``commands`` means "not one").
    Titles must already be safe text."""
    if message:
        say_line(message)
    for number, title in enumerate(titles, start=1):
        say_line(f"{number}. {title}")
    tail = f" (or just Enter for {default + 1})" if default is not None else ""
    while True:
        typed = read_line(f"Type a number and press Enter{tail}: ").strip()
        if not typed and default is not None:
            return default
        if typed.isdigit() and 1 <= int(typed) <= len(titles):
            return int(typed) - 1
        if commands is not None and typed:
            made = commands(typed)
            if made is not None:
                return made
        say_line(f"Please type a number from 1 to {len(titles)}, then press Enter.")


def plain_ticks(
    message: str,
    titles: Sequence[str],
    ticked: Sequence[bool],
    *,
    commands: Callable[[str], Any] | None = None,
) -> list[int] | Any:
    """Tick several in plain mode: the numbers typed on one line. Returns the indexes,
    or what ``commands`` made of the typed text when it is not numbers (as in
    :func:`plain_menu`: ``None`` from ``commands`` means "not one")."""
    if message:
        say_line(message)
    for number, (title, mark) in enumerate(zip(titles, ticked, strict=True), start=1):
        say_line(f"{number}. {title}{'  (ticked)' if mark else ''}")
    keep = " Press Enter on its own to keep what is ticked." if any(ticked) else ""
    say_line(
        "Type the numbers of every one you want, with spaces or commas between them "
        f"(for example: 1 3 5, or 1,3,5), then press Enter.{keep}"
    )
    while True:
        line = read_line("Numbers: ")
        typed = line.replace(",", " ").split()
        if not typed:
            return [i for i, mark in enumerate(ticked) if mark]
        if all(t.isdigit() and 1 <= int(t) <= len(titles) for t in typed):
            picked = sorted({int(t) - 1 for t in typed})
            return picked
        if commands is not None:
            made = commands(line)
            if made is not None:
                return made
        say_line(
            f"Please type numbers from 1 to {len(titles)}, with spaces or commas between them."
        )


# --- the prompts every command uses ------------------------------------------------------


def ask_line(message: str, default: str = "", limit: int | None = None) -> str:
    """One line of text (refused, and kept in the box, when over ``limit`` characters)."""

    def check(text: str) -> bool | str:
        return (too_long(text, limit, "This") if limit is not None else None) or True

    if plain():
        say_line(message)
        if default:
            say_line(f"Press Enter on its own to keep what is there now: {clean(default)}")
        while True:
            typed = read_line() or default
            problem = check(typed)
            if problem is True:
                return typed
            say_line(str(problem))

    shown, _ = question_layout(message, "")
    result = questionary.text(
        shown, default=default, qmark="?", style=style(), validate=check
    ).unsafe_ask()
    return from_terminal(result)


def confirm(message: str, default: bool = False) -> bool:
    if plain():
        titles = ["Yes", "No"]
        return plain_menu(message, titles, default=0 if default else 1) == 0

    shown, keys = question_layout(message, "(Y/n)" if default else "(y/N)")
    return bool(
        questionary.confirm(
            shown, default=default, style=style(), instruction=keys + " "
        ).unsafe_ask()
    )


def pause(message: str = "Press Enter to carry on.") -> None:
    """Wait for Enter (any typed text is ignored)."""
    if plain():
        read_line(message + " ")
        return
    ask_line(message)


def choose(message: str, options: list[tuple[str, str]], default: str | None = None) -> str:
    """Pick one of ``options`` (title, value); returns the value. Titles must be safe text."""
    if plain():
        values = [value for _, value in options]
        start = values.index(default) if default in values else None
        return values[plain_menu(message, [title for title, _ in options], default=start)]

    choices = [questionary.Choice(menu_title(title), value) for title, value in options]
    pointed = next((c for c in choices if c.value == default), None)
    shown, hint = question_layout(message, MENU_HINT)
    result = questionary.select(
        shown,
        choices=choices,
        default=pointed,
        instruction=hint,
        qmark="?",
        style=style(),
    ).unsafe_ask()
    return str(result)
