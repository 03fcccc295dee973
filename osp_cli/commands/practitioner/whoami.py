"""osp practitioner whoami: the key fingerprint to read aloud, and the earlier ones."""

from __future__ import annotations

from osp_cli.commands.practitioner import public_keys
from osp_cli.dates import day_and_time
from osp_cli.exchange import files
from osp_cli.ui.lines import say
from osp_cli.ui.safe import path_text


def run() -> None:
    info = public_keys.current()
    say(f"Fingerprint: {info.fingerprint}", "bold")
    for old in public_keys.retired():
        say(f"Earlier key (still opens older summaries): {old.fingerprint}")
    created = day_and_time(info.created)
    say(f"Keys created {created}, stored in {path_text(files.practitioner_dir())}.")
