"""Showing something longer than the screen, a screen at a time.

Whatever is shown is drawn by the usual views (so all user text has been through the
safe-text path, ``osp_cli.ui.safe``) into memory, never to a file: no temporary file, no
history, no external program. Then:

* if it fits the screen, or output is not a terminal, it is printed as it is;
* on a terminal it is shown a page at a time by a small prompt_toolkit pager: Space,
  Enter or Page Down for the next page, b or Page Up for the previous one, Up and Down a
  line, / to find a word (n finds the next), q when finished;
* in plain mode (``--plain``, ``NO_COLOR``, ``TERM=dumb``) it is printed a page at a time
  in order, top to bottom, nothing redrawn: Enter for more, b to go back a page,
  /word to find a word, q to stop.

``show`` takes a function that draws with ``console()``; ``show_text`` takes text, which
it cleans first. Other areas (the support panel, reports) can use either.
"""

from __future__ import annotations

import io
import re
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from prompt_toolkit.application import Application
from prompt_toolkit.application.current import get_app
from prompt_toolkit.buffer import Buffer
from prompt_toolkit.filters import Condition
from prompt_toolkit.formatted_text import ANSI, to_formatted_text
from prompt_toolkit.key_binding import KeyBindings
from prompt_toolkit.layout import ConditionalContainer, HSplit, Layout, Window
from prompt_toolkit.layout.controls import BufferControl, FormattedTextControl
from prompt_toolkit.styles import Style
from rich.console import Console

from osp_cli.ui import console as console_mod
from osp_cli.ui import safe
from osp_cli.ui.prompts import pause, read_line, say_line

FINISHED = "Press Enter when you have finished reading (the screen will be cleared)."
_SGR = re.compile(r"\x1b\[[0-9;]*m")


def render(draw: Callable[[], None]) -> str:
    """What ``draw`` prints, as text (with colour codes unless in plain mode), in memory.
    The shared console is swapped for one that writes to a string while ``draw`` runs."""
    real = console_mod.console()
    buffer = io.StringIO()
    plain = console_mod.plain_mode()
    capture = Console(
        file=buffer,
        width=real.width,
        force_terminal=not plain and real.is_terminal,
        no_color=plain,
        color_system=None if plain or not real.is_terminal else real.color_system,  # type: ignore[arg-type]
        emoji=False,
        markup=True,
        highlight=False,
        safe_box=True,
        soft_wrap=False,
    )
    saved = console_mod._console
    console_mod._console = capture
    try:
        draw()
    finally:
        console_mod._console = saved
    return buffer.getvalue()


def screen_rows() -> int:
    return max(shutil.get_terminal_size((80, 24)).lines, 5)


def fits(text: str) -> bool:
    """True when ``text`` (and a line to answer on) fits the screen."""
    return len(text.rstrip("\n").split("\n")) <= screen_rows() - 2


def on_terminal() -> bool:
    try:
        return sys.stdout.isatty() and sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def show(
    draw: Callable[[], None], *, finish: str | None = FINISHED, interactive: bool = True
) -> None:
    """Show what ``draw`` prints: whole if it fits (then wait for Enter with ``finish``),
    else a page at a time. ``interactive`` False (no keyboard) just prints it all."""
    text = render(draw)
    lines = text.rstrip("\n").split("\n")
    if not interactive or fits(text) or not on_terminal():
        sys.stdout.write(text)
        sys.stdout.flush()
        if interactive and finish:
            pause(finish)
        return
    if console_mod.plain_mode():
        _plain_pages(lines)
    else:
        _pager(lines)


def show_text(value: str, **options: Any) -> None:
    """Text (cleaned here: anything a person wrote is shown inert), a page at a time."""

    def draw() -> None:
        console_mod.console().print(safe.text(value), end="\n")

    show(draw, **options)


# --- plain mode: pages printed in order ---------------------------------------------------


def _find(lines: list[str], word: str, start: int) -> int | None:
    wanted = word.lower()
    for index in range(max(start, 0), len(lines)):
        if wanted in _SGR.sub("", lines[index]).lower():
            return index
    return None


def _plain_pages(lines: list[str]) -> None:
    ask = "Press Enter for more, b to go back, /word to find, q to stop: "
    widest = f"Lines {len(lines)} to {len(lines)} of {len(lines)}. {ask}"
    # The page and its prompt (wrapped at spaces on a narrow screen) fit the screen.
    size = max(screen_rows() - 1 - console_mod.wrap(widest.rstrip()).count("\n") - 1, 3)
    top = 0
    while True:
        for line in lines[top : top + size]:
            sys.stdout.write(line + "\n")
        sys.stdout.flush()
        end = min(top + size, len(lines))
        if end >= len(lines):
            read_line("End. Press Enter to go on. ")
            return
        typed = read_line(f"Lines {top + 1} to {end} of {len(lines)}. {ask}").strip()
        if typed.lower() == "q":
            return
        if typed.lower() == "b":
            top = max(0, top - size)
        elif typed.startswith("/") and typed[1:].strip():
            found = _find(lines, typed[1:].strip(), top + 1)
            if found is None:
                say_line("Not found further on. Carrying on from here.")
                top = end
            else:
                top = found
        else:
            top = end


# --- the full-screen pager ------------------------------------------------------------------


@dataclass
class _State:
    lines: list[str]
    top: int = 0
    message: str = ""
    last_search: str = ""
    searching: bool = False
    matches: list[int] = field(default_factory=list)


def _pager(lines: list[str]) -> None:
    """A small full-screen pager. Nothing is written anywhere but the screen; the search
    box keeps no history."""
    state = _State(lines)

    def height() -> int:
        return max(get_app().output.get_size().rows - 1, 1)

    def last_top() -> int:
        return max(len(state.lines) - height(), 0)

    def move(to: int) -> None:
        state.top = min(max(to, 0), last_top())
        state.message = ""

    def body() -> Any:
        shown = state.lines[state.top : state.top + height()]
        return to_formatted_text(ANSI("\n".join(shown)))

    def status() -> Any:
        end = min(state.top + height(), len(state.lines))
        columns = get_app().output.get_size().columns
        done = end >= len(state.lines)
        if columns >= 70:
            where = f"Lines {state.top + 1}-{end} of {len(state.lines)}"
            keys = (
                "q: finish  b: back  /: find"
                if done
                else ("Space or Enter: next page  b: back  /: find  q: finish")
            )
        elif columns >= 56:
            where = f"{state.top + 1}-{end} of {len(state.lines)}"
            keys = "q: finish  b: back" if done else "Space: more  b: back  /: find  q: finish"
        else:
            where = f"{state.top + 1}-{end}/{len(state.lines)}"
            keys = "q: finish" if done else "Space: more  q: finish"
        if done:
            where = "End. " + where
        text = f" {state.message or where}  {keys} "
        return [("class:status", text[: max(columns - 1, 1)])]

    search = Buffer(multiline=False)  # in memory only; no history object at all
    searching = Condition(lambda: state.searching)
    reading = ~searching
    bindings = KeyBindings()

    def at_end() -> bool:
        return state.top >= last_top()

    @bindings.add("q", filter=reading)
    @bindings.add("Q", filter=reading)
    @bindings.add("escape", filter=reading)
    def _quit(event: Any) -> None:
        event.app.exit()

    @bindings.add("c-c")
    def _interrupt(event: Any) -> None:
        event.app.exit(exception=KeyboardInterrupt)

    @bindings.add(" ", filter=reading)
    @bindings.add("enter", filter=reading)
    @bindings.add("pagedown", filter=reading)
    @bindings.add("f", filter=reading)
    def _next(event: Any) -> None:
        if at_end():
            event.app.exit()
        else:
            move(state.top + height())

    @bindings.add("b", filter=reading)
    @bindings.add("pageup", filter=reading)
    def _back(event: Any) -> None:
        move(state.top - height())

    @bindings.add("down", filter=reading)
    @bindings.add("j", filter=reading)
    def _down(event: Any) -> None:
        move(state.top + 1)

    @bindings.add("up", filter=reading)
    @bindings.add("k", filter=reading)
    def _up(event: Any) -> None:
        move(state.top - 1)

    @bindings.add("home", filter=reading)
    @bindings.add("g", filter=reading)
    def _home(event: Any) -> None:
        move(0)

    @bindings.add("end", filter=reading)
    @bindings.add("G", filter=reading)
    def _end(event: Any) -> None:
        move(last_top())

    def find(word: str, start: int) -> None:
        found = _find(state.lines, word, start)
        if found is None:
            found = _find(state.lines, word, 0)  # wrap round to the top
        if found is None:
            state.message = "Not found."
            return
        state.top = found
        state.message = f"Found on line {found + 1}."

    @bindings.add("/", filter=reading)
    def _search(event: Any) -> None:
        state.searching = True
        search.reset()
        event.app.layout.focus(search_window)

    @bindings.add("n", filter=reading)
    def _again(event: Any) -> None:
        if state.last_search:
            find(state.last_search, state.top + 1)

    @bindings.add("enter", filter=searching)
    def _go(event: Any) -> None:
        word = search.text.strip()
        state.searching = False
        event.app.layout.focus(text_window)
        if word:
            state.last_search = word
            find(word, state.top + 1)
        search.reset()

    @bindings.add("escape", filter=searching)
    def _cancel(event: Any) -> None:
        state.searching = False
        search.reset()
        event.app.layout.focus(text_window)

    text_window = Window(FormattedTextControl(body, focusable=True), wrap_lines=False)
    search_window = Window(
        BufferControl(buffer=search), height=1, get_line_prefix=lambda *_: "Find: "
    )
    layout = Layout(
        HSplit(
            [
                text_window,
                ConditionalContainer(search_window, filter=searching),
                ConditionalContainer(
                    Window(FormattedTextControl(status), height=1), filter=reading
                ),
            ]
        ),
        focused_element=text_window,
    )
    style = Style([("status", "reverse")])
    Application(
        layout=layout, key_bindings=bindings, full_screen=True, style=style, mouse_support=False
    ).run()
