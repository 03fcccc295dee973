"""Generating ``command_index.py``, the list ``osp --help`` reads instead of importing
every command module (regenerated and checked by tests/cli/test_help_snapshots.py)."""

from __future__ import annotations

import json

from osp_cli.cli.app import COMMAND_MODULES, module_commands


def index_entries() -> list[tuple[str, str, str]]:
    """(name, module, first paragraph of help) for every visible command, in order."""
    entries = []
    for module_name in COMMAND_MODULES:
        for name, command in module_commands(module_name).items():
            if not command.hidden:
                first = (command.help or "").split("\n\n")[0].strip()
                entries.append((name, module_name, first))
    return entries


def index_source() -> str:
    """The text of ``command_index.py`` for the commands as they are now."""
    lines = [
        '"""Generated from the command modules: do not edit. Regenerate with',
        "OSP_UPDATE_SNAPSHOTS=1 pytest tests/cli/test_help_snapshots.py",
        "",
        "'osp --help' lists the commands from here, so it need not import every module.",
        '"""',
        "",
        "# (name, module, first paragraph of its help)",
        "COMMANDS: tuple[tuple[str, str, str], ...] = (",
    ]
    for entry in index_entries():
        lines.append("    (")
        lines.extend(f"        {json.dumps(part)}," for part in entry)
        lines.append("    ),")
    lines.append(")")
    return "\n".join(lines) + "\n"
