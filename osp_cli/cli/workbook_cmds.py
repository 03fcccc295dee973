"""The participant's everyday commands: home, list, do, next, review, edit, check-in,
progress and plan. (Being built: see issue 3.)"""

from __future__ import annotations

import typer


def home() -> None:
    """The home screen."""
    from osp_cli.workbook import service

    if not service.exists():
        from osp_cli.cli.vault_cmds import run_init

        run_init()
        return
    from osp_cli.cli.common import unlock

    unlock()
    from osp_cli.ui.support import support_line

    support_line()


def register(app: typer.Typer) -> None:
    _ = app
