"""The support panel: always available, needs no unlocking."""

from __future__ import annotations

from osp_cli import messages
from osp_cli.ui.console import box, console, plain_mode


def show_support(*, short: bool = False) -> None:
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    out = console()
    body = Table.grid(padding=(0, 2))
    body.add_column()
    body.add_column()
    for name, number, note in messages.HELPLINES:
        body.add_row(Text(name, style="bold"), Text(f"{number}  ({note})"))
    parts: list[object] = [Text("If you need help now", style="bold"), body]
    if not short:
        parts.append(Text("\nIf urges are strong right now", style="bold"))
        for step in messages.URGES_NOW:
            parts.append(Text(f"- {step}"))
        parts.append(Text("\nKeeping people safe", style="bold"))
        parts.append(Text(messages.NO_NAMES))
        parts.append(Text("\nConfidentiality", style="bold"))
        parts.append(Text(messages.CONFIDENTIALITY))
    from rich.console import Group

    group = Group(*parts)  # type: ignore[arg-type]
    if plain_mode():
        out.print(group)
    else:
        out.print(Panel(group, title="Support", box=box(), border_style="cyan"))  # type: ignore[arg-type]


def support_line() -> None:
    out = console()
    out.print(
        messages.SUPPORT_LINE_PLAIN if plain_mode() else messages.SUPPORT_LINE,
        style="dim",
        markup=False,
    )
