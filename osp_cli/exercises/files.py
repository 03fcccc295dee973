"""Where the built-in exercise files are, and their ids, without reading them.

Each built-in exercise lives in ``<id>.toml`` (a test checks that every file's name is
its id), so ``osp do ID`` can tell a built-in id, or suggest the closest one, before the
passphrase is asked for and without parsing the library.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import osp_cli


def builtin_dir() -> Path:
    """Where the built-in exercise files are.

    In an installed wheel they sit in ``osp_cli/_exercises`` (see the force-include in
    pyproject.toml); in a source checkout, in the top-level ``exercises/`` folder.
    """
    package = Path(osp_cli.__file__).resolve().parent
    shipped = package / "_exercises"
    if shipped.is_dir():
        return shipped
    return package.parent / "exercises"


def builtin_ids() -> list[str]:
    """The built-in exercise ids, from the file names alone."""
    directory = builtin_dir()
    if not directory.is_dir():
        return []
    return sorted(path.stem for path in directory.glob("*.toml"))


def closest(typed: str, ids: list[str]) -> str | None:
    """The id most like a mistyped one, if any is close enough to suggest."""
    found = difflib.get_close_matches(typed.strip().lower(), ids, n=1, cutoff=0.75)
    return found[0] if found else None
