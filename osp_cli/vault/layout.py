"""Where a workbook's files live beside it. Pure path arithmetic: importing this loads
nothing else, so 'is there a workbook?' is answered before any cryptography is loaded."""

from __future__ import annotations

from pathlib import Path

BACKUPS = 3


def backup_paths(path: Path) -> list[Path]:
    return [path.with_name(f"{path.name}.bak{i}") for i in range(1, BACKUPS + 1)]


def workbook_exists(path: Path) -> bool:
    """Is there a workbook here, or a backup of one to restore from?"""
    return path.exists() or any(p.exists() for p in backup_paths(path))


#: The first bytes of every workbook file, and the least a whole one can be
#: (osp_cli/vault/format.py checks the rest, with the cryptography it needs).
MAGIC = b"OSPWB"
SMALLEST = 14 + 64


def looks_like_workbook(path: Path) -> bool:
    """A quick look, before a passphrase is asked for: does ``path`` start as a workbook
    does, and is it not cut short? The whole file is checked later."""
    try:
        with path.open("rb") as handle:
            start = handle.read(SMALLEST)
    except OSError:
        return False
    return len(start) == SMALLEST and start.startswith(MAGIC)
