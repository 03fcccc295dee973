"""Support: always available, needs no unlocking.

Two screens. The first is short enough to stay whole on an 80×24 or a 40×20 terminal
with the prompt that follows it: every number, his own people and steps from his plan
(when known), and one line on how to see more. The second holds the longer text (what to
do with strong urges, keeping people safe, confidentiality and the law) and is shown
only on request, never in front of the numbers. The facts come from
:mod:`osp_cli.safeguarding`.
"""

from __future__ import annotations

from collections.abc import Sequence

from osp_cli import messages, safeguarding
from osp_cli.ui.console import plain_mode
from osp_cli.ui.lines import Line, write_lines
from osp_cli.ui.safe import clean

MAX_OWN_ITEMS = 2
"""How many of his own people, and of his own steps, the first screen shows."""

MORE_HINT = "Urges, privacy, the law: 'More help'."


def _line(text: str, style: str = "") -> Line:
    return Line((text, style))


def _own(label: str, items: Sequence[str]) -> Line:
    """'My people: a; b' on one line, cut with an ellipsis if it is too long."""
    shown = "; ".join(clean(item, multiline=False) for item in items[:MAX_OWN_ITEMS])
    return Line((f"{label}: ", "bold"), (shown, ""), clip=True)


def first_screen(
    *,
    people: Sequence[str] = (),
    steps: Sequence[str] = (),
    more_hint: str | None = MORE_HINT,
    heading: str = "Help now",
) -> list[Line]:
    """The lines of the first screen, in order (numbers first)."""
    lines = [_line(heading, "bold")]
    for number, line in enumerate(safeguarding.HELPLINES):
        lines.append(_number_line(line))
        if number == 0:
            lines.append(_line(safeguarding.STOP_IT_NOW_NOTE, "dim"))
    if people:
        lines.append(_own("My people", people))
    if steps:
        lines.append(_own("My steps", steps))
    if not people and not steps:
        lines.append(_line("Your own people and steps: 'osp plan'.", "dim"))
    if more_hint:
        lines.append(_line(more_hint, "dim"))
    return lines


def crisis_panel() -> list[Line]:
    """The short panel after a yes to the self-harm question."""
    lines = [_line("Please reach out now. You do not have to face this alone.", "bold")]
    lines += [_number_line(line) for line in safeguarding.CRISIS_LINES]
    return lines


def _number_line(line: safeguarding.Helpline) -> Line:
    text = Line((f"{line.name} ", "bold"), (line.number, "bold cyan"))
    if line.when:
        text.append(f": {line.when}")
    return text


def more_text() -> list[Line]:
    """The second screen: what to do with strong urges, keeping safe, confidentiality."""
    lines = [_line("If urges are strong right now", "bold")]
    lines += [_line(f"- {step}") for step in safeguarding.URGES_NOW]
    lines += [_line(""), _line("Keeping people safe", "bold"), _line(safeguarding.KEEP_SAFE)]
    lines += [_line(""), _line("Confidentiality", "bold"), _line(safeguarding.CONFIDENTIALITY)]
    lines += [_line(""), _line("The law", "bold"), _line(safeguarding.LEGAL_STATUS)]
    return lines


def show_support(
    *,
    people: Sequence[str] = (),
    steps: Sequence[str] = (),
    more_hint: str | None = MORE_HINT,
    heading: str = "Help now",
) -> None:
    """Print the first screen (numbers first; it fits 40×20 with a prompt below it)."""
    write_lines(first_screen(people=people, steps=steps, more_hint=more_hint, heading=heading))


def show_crisis() -> None:
    write_lines(crisis_panel())


def show_more() -> None:
    """Print the second screen, then the numbers again in one line at the end."""
    write_lines([_line(""), *more_text(), _line("")])
    support_line()


def show_everything(*, more_hint: str | None = None) -> None:
    """Both screens one after the other (for a pipe or a plain screen reader)."""
    show_support(more_hint=more_hint)
    show_more()


def support_line() -> None:
    write_lines(
        [_line(messages.SUPPORT_LINE_PLAIN if plain_mode() else messages.SUPPORT_LINE, "dim")]
    )
