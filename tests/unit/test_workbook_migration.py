"""The schema 1 workbook fixture (tests/data/workbook-v1, made by its make_fixture.py with
the code that wrote schema 1) opens and holds what the script put in it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from osp_cli.workbook import service

DATA = Path(__file__).resolve().parent.parent / "data" / "workbook-v1"


def _open_fixture() -> service.Workbook:
    service.workbook_file().parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(DATA / "workbook.osp", service.workbook_file())
    passphrase = (DATA / "passphrase.txt").read_text("utf-8").strip()
    return service.open_with_passphrase(passphrase)


def test_schema_1_fixture_opens() -> None:
    expected = json.loads((DATA / "payload.json").read_text("utf-8"))
    assert expected["schema"] == 1
    assert _open_fixture().payload == expected
