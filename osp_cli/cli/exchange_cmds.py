"""The participant's side of the exchange with the practitioner: export and import.
(Being built: see issue 5.)"""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    _ = app
