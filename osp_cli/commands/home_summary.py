"""The top of the home screen: his next session, his practitioner's note, what is set
for him and what he has started. Also all that 'osp' shows without a terminal."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from osp_cli import dates
from osp_cli.ui import safe
from osp_cli.ui.console import console
from osp_cli.ui.support import support_line
from osp_cli.ui.views import heading, say
from osp_cli.workbook import progress
from osp_cli.workbook.service import Workbook


def show_summary(workbook: Workbook) -> None:
    payload = workbook.payload
    exercises = workbook.exercises()
    out = console()
    heading("Your workbook")
    when = progress.next_session(payload)
    if when:
        say(f"Your next session: {dates.day(when)}")
    note = progress.latest_note(payload)
    if note:
        line = safe.text("A note from your practitioner: ")
        line.append_text(safe.text(note))
        out.print(line)
    rows = progress.statuses(exercises, payload)
    assigned = [s for s in rows if s.to_do]
    started = [s for s in rows if s.stage is progress.Stage.IN_PROGRESS and not s.assigned]
    if assigned:
        heading("Set by your practitioner")
        for s in assigned:
            due = f", due {dates.day(s.due)}" if s.due else ""
            bullet(safe.text(s.title), f"{s.label}{due}")
    if started:
        heading("In progress")
        for s in started:
            bullet(safe.text(s.title), s.label)
    finished = sum(1 for s in rows if s.stage is progress.Stage.DONE)
    set_for_you = [s for s in rows if s.assigned]
    if set_for_you:
        done = sum(1 for s in set_for_you if not s.to_do)
        say(
            f"Set for you: {done} of {len(set_for_you)} done. "
            f"Also available: {len(rows) - len(set_for_you)} more exercises."
        )
    elif finished:
        say(f"Finished so far: {finished} exercise{'s' if finished > 1 else ''}. Well done.")
    if not assigned and not started:
        say("Nothing in progress. 'Next exercise' below suggests what to do next.")
    out.print()
    support_line()


def bullet(title: Text, detail: str) -> None:
    """'- Title' with its detail on the line below; wrapped lines keep their indent."""
    title.append("\n")
    title.append(detail, style="dim")
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(Text("-"), title)
    console().print(grid)
