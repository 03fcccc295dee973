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
from typing import TYPE_CHECKING, Any

from osp_cli import messages, safeguarding
from osp_cli.ui.console import console, plain_mode
from osp_cli.ui.lines import Line, write_lines

if TYPE_CHECKING:
    from rich.text import Text

MAX_OWN_ITEMS = 2
"""How many of his own people, and of his own steps, the first screen shows."""

MORE_HINT = "Urges, privacy, the law: 'More help'."


def _style(style: str) -> str:
    return "" if plain_mode() else style


def _line(text: str, style: str = "") -> Line:
    return Line((text, style))


def _own(label: str, items: Sequence[str]) -> Line:
    """'My people: a; b' on one line, cut with an ellipsis if it is too long."""
    from osp_cli.ui.safe import clean

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


def more_text() -> list[Any]:
    """The second screen: what to do with strong urges, keeping safe, confidentiality."""
    from rich.text import Text

    def heading(text: str) -> Text:
        return Text(text, style=_style("bold"))

    parts: list[Any] = [heading("If urges are strong right now")]
    parts += [Text(f"- {step}") for step in safeguarding.URGES_NOW]
    parts += [Text(""), heading("Keeping people safe"), Text(safeguarding.KEEP_SAFE)]
    parts += [Text(""), heading("Confidentiality"), Text(safeguarding.CONFIDENTIALITY)]
    parts += [Text(""), heading("The law"), Text(safeguarding.LEGAL_STATUS)]
    return parts


def _print(lines: Sequence[Any]) -> None:
    out = console()
    for line in lines:
        out.print(line)


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
    out = console()
    out.print()
    _print(more_text())
    out.print()
    support_line()


def show_everything(*, more_hint: str | None = None) -> None:
    """Both screens one after the other (for a pipe or a plain screen reader)."""
    show_support(more_hint=more_hint)
    show_more()


def support_line() -> None:
    out = console()
    out.print(
        messages.SUPPORT_LINE_PLAIN if plain_mode() else messages.SUPPORT_LINE,
        style=_style("dim"),
        markup=False,
    )


def own_plan(store: object) -> tuple[list[str], list[str]]:
    """His people (contacts) and steps (coping) from his plan, if the workbook is open."""
    from osp_cli.exercises.model import PlanSection
    from osp_cli.workbook.plan import build_plan

    exercises_of = getattr(store, "exercises", None)
    payload = getattr(store, "payload", None)
    if not callable(exercises_of) or payload is None:
        return [], []
    try:
        plan = build_plan(exercises_of(), payload)
    except Exception:  # support must never fail because of the plan
        return [], []
    people: list[str] = []
    steps: list[str] = []
    for part in plan.parts:
        if part.section == PlanSection.CONTACTS.value:
            people += [item.text for item in part.items]
        elif part.section == PlanSection.COPING.value:
            steps += [item.text for item in part.items]
    return people, steps
