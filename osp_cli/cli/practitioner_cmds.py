"""The practitioner's commands. (Being built: see issue 5.)"""

from __future__ import annotations

import typer

practitioner_app = typer.Typer(
    help="For practitioners: keys, signed assignments, opening summaries, evaluation data.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
