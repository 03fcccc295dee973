"""osp never follows symbolic links in its own folder, and a wrong passphrase writes
nothing (issue 12.5)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from osp_cli.cli.app import app
from osp_cli.errors import UserError, WrongPassphrase
from osp_cli.vault import store
from osp_cli.vault.store import Vault
from osp_cli.workbook import model, service

PASS = "correct horse battery staple"


def _snapshot(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    return {
        p.name: (p.lstat().st_mode, p.lstat().st_mtime_ns, p.read_bytes())
        for p in sorted(folder.iterdir())
    }


def test_a_symlinked_workbook_file_is_refused(new_workbook: object, tmp_path: Path) -> None:
    path = service.workbook_file()
    synced = tmp_path / "Dropbox" / "workbook.osp"
    synced.parent.mkdir()
    os.replace(path, synced)
    path.symlink_to(synced)
    before = synced.read_bytes()
    result = CliRunner().invoke(app, ["list"], input=PASS + "\n")
    assert result.exit_code == 1, result.output
    said = " ".join(result.output.split())
    assert "symbolic link" in said and "synced or shared folder" in said
    assert synced.read_bytes() == before
    with pytest.raises(UserError):
        Vault.open(path, PASS)


def test_a_symlinked_folder_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = tmp_path / "cloud" / "osp"
    real.mkdir(parents=True)
    link = tmp_path / "osp-home-link"
    link.symlink_to(real, target_is_directory=True)
    monkeypatch.setenv("OSP_HOME", str(link))
    with pytest.raises(UserError, match=r"folder .* is a symbolic link"):
        service.create(PASS)
    assert list(real.iterdir()) == []


def test_a_planted_backup_link_is_never_followed(new_workbook: object, tmp_path: Path) -> None:
    workbook = new_workbook[0]  # type: ignore[index]
    precious = tmp_path / "precious.txt"
    precious.write_text("my own file", encoding="utf-8")
    bak = store.backup_paths(service.workbook_file())[-1]
    bak.symlink_to(precious)
    with pytest.raises(UserError, match="symbolic link"):
        workbook.save(model.add_checkin(1, 1, "", "manual"))
    with pytest.raises(UserError, match="symbolic link"):
        service.open_with_passphrase(PASS)
    # Shredding a link removes the link and never overwrites what it points to.
    store._shred(bak)
    assert not bak.exists() and precious.read_text("utf-8") == "my own file"


def test_a_journal_that_is_a_link_is_never_written_through(
    new_workbook: object, tmp_path: Path
) -> None:
    from osp_cli.vault.journal import journal_path

    workbook = new_workbook[0]  # type: ignore[index]
    synced = tmp_path / "Dropbox" / "workbook.osp.journal"
    synced.parent.mkdir()
    jpath = journal_path(service.workbook_file())
    os.replace(jpath, synced)
    jpath.symlink_to(synced)
    before = synced.read_bytes()
    with pytest.raises(UserError, match="symbolic link"):
        workbook.save(model.set_answer("hopes-and-fears", 1, "what-led-here", "private"))
    with pytest.raises(UserError, match="symbolic link"):
        service.open_with_passphrase(PASS)
    assert synced.read_bytes() == before


def test_a_wrong_passphrase_writes_nothing(new_workbook: object) -> None:
    path = service.workbook_file()
    workbook = new_workbook[0]  # type: ignore[index]
    workbook.save(model.add_checkin(2, 2, "", "manual"))
    (path.parent / f".{path.name}.tmp-1-abcd").write_bytes(b"left by a killed osp")
    os.chmod(path, 0o644)
    lock = path.with_name(path.name + ".lock")
    if lock.exists():
        lock.unlink()
    before = _snapshot(path.parent)
    with pytest.raises(WrongPassphrase):
        Vault.open(path, "not the passphrase")
    assert _snapshot(path.parent) == before
    # With the right passphrase, the stray temp file is swept and modes are tightened.
    Vault.open(path, PASS, model.CODEC)
    assert not (path.parent / f".{path.name}.tmp-1-abcd").exists()
    assert path.stat().st_mode & 0o777 == 0o600
