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


PASSPHRASE = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _floor_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """New workbooks and key files use the floor of 3 Argon2id passes instead of the
    ~0.5 s measured for this machine, so tests stay fast; child processes inherit it.
    A test of the tuning itself removes the variable."""
    from osp_cli.crypto import ITERATIONS_ENV

    monkeypatch.setenv(ITERATIONS_ENV, "3")


@pytest.fixture(autouse=True)
def _fresh_console() -> None:
    """Global output settings (--plain, --keep-screen) never leak between tests."""
    from osp_cli.ui.console import SETTINGS, reset_console

    SETTINGS.plain = False
    SETTINGS.keep_screen = False
    reset_console()


@pytest.fixture
def passphrase() -> str:
    return PASSPHRASE


@pytest.fixture
def new_workbook(_osp_home: Path) -> tuple[object, str]:
    """A fresh workbook made through the real use-case: (Workbook, recovery code)."""
    from osp_cli.workbook import service

    return service.create(PASSPHRASE)
