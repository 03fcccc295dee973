"""osp practitioner open: one sealed summary, on screen or as HTML, Markdown or JSON (the
front has checked the outputs, read the file and read the passphrase)."""

from __future__ import annotations

from pathlib import Path

from osp_cli.commands.practitioner import keys, public_keys, summaries
from osp_cli.exchange import files, folder, pins
from osp_cli.report import render
from osp_cli.report.terminal_view import renderable
from osp_cli.ui import pager
from osp_cli.ui.console import console
from osp_cli.ui.lines import say
from osp_cli.ui.safe import path_text
from osp_cli.workbook.model import now


def run(
    *,
    passphrase: str,
    file: Path,
    blob: bytes,
    html: Path | None,
    markdown: Path | None,
    json_out: Path | None,
    accept_new_key: bool,
) -> None:
    # Framing and recipient are checked before the keys are unlocked.
    keys.check_recipient(blob, public_keys.current().x25519_public)
    unlocked = keys.unlock(passphrase)
    found = summaries.read(blob, unlocked)
    result = folder.update_pins(
        pins.store_key(unlocked.current.x25519_private),
        lambda store: summaries.with_sender(store, found, now(), accept_new=accept_new_key),
    )
    if not accept_new_key:
        summaries.refuse_different(result, file)
    outputs = [(html, "html"), (markdown, "markdown"), (json_out, "json")]
    wanted = [(path, name) for path, name in outputs if path is not None]
    if not wanted:
        pager.show(lambda: console().print(renderable(result)), finish=None)
        return
    for path, name in wanted:
        files.write_private(path, render(name, result).encode("utf-8"))
        say(f"Wrote {name.upper() if name != 'markdown' else 'Markdown'} to {path_text(path)}.")
    say("These files are not encrypted: store them as your organisation's policy allows.")
