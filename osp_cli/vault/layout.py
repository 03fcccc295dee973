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
