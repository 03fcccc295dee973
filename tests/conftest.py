"""Shared test fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _osp_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own empty OSP_HOME, never the real one."""
    home = tmp_path / "osp-home"
    monkeypatch.setenv("OSP_HOME", str(home))
    return home
