"""Where osp keeps its files: ``$OSP_HOME`` if set, else the platform data dir."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "osp"


def home() -> Path:
    """The data directory (not created here)."""
    override = os.environ.get("OSP_HOME")
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def ensure_home() -> Path:
    """Create the data directory with mode 0700 (and tighten it if it exists)."""
    path = home()
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


def workbook_path() -> Path:
    return home() / "workbook.osp"


def practitioner_dir() -> Path:
    return home() / "practitioner"
