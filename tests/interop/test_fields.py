"""The field lists in the documents and the fields osp writes are the same lists.

Each list sits in a document between ``<!-- fields: NAME -->`` and ``<!-- /fields -->``,
as a table whose first column is the field's path. This test walks what osp really
writes (a summary, a workbook payload, the CSV header) and compares the two sets, so a
field added, renamed or removed in the code without the document fails here.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from pathlib import Path
from typing import Any

import pytest

DOCS = Path(__file__).parents[2] / "docs"
DATA = Path(__file__).parents[1] / "data"


def documented(doc: str, name: str) -> dict[str, str]:
    """path → type, from the table between the markers."""
    text = (DOCS / doc).read_text("utf-8")
    match = re.search(rf"<!-- fields: {name} -->\n(.*?)<!-- /fields -->", text, re.S)
    assert match, f"{doc} has no field list '{name}'"
    found: dict[str, str] = {}
    for line in match.group(1).splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[0].startswith("`"):
            found[cells[0].strip("`")] = cells[1]
    return found


def written(value: Any, types: dict[str, str], path: str = "") -> set[str]:
    """Every field path in ``value``; objects whose documented type is a map are walked
    through their values (``{}``), and a field typed ``any`` is not looked inside."""
    found: set[str] = set()
    if types.get(path, "").startswith("map") and isinstance(value, dict):
        for item in value.values():
            found.add(f"{path}{{}}")
            found |= written(item, types, f"{path}{{}}")
    elif types.get(path) == "any":
        pass
    elif isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else key
            found.add(child)
            found |= written(item, types, child)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict):
                found |= written(item, types, f"{path}[]")
    return found


def test_summary_json_fields_match_the_document() -> None:
    from exchange_data import make_summary

    types = documented("formats.md", "summary")
    assert written(make_summary().to_json(), types) == set(types)


def test_payload_fields_match_the_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The schema 1 fixture, opened (and so migrated) by this version of osp."""
    import shutil

    from osp_cli.workbook import service

    shutil.copy(DATA / "workbook-v1" / "workbook.osp", tmp_path / "workbook.osp")
    monkeypatch.setenv("OSP_HOME", str(tmp_path))
    passphrase = (DATA / "workbook-v1" / "passphrase.txt").read_text("utf-8").strip()
    payload: Any = service.open_with_passphrase(passphrase).payload
    if hasattr(payload, "to_dict"):
        payload = payload.to_dict()
    elif dataclasses.is_dataclass(payload) and not isinstance(payload, type):
        payload = dataclasses.asdict(payload)
    types = documented("vault-format.md", "payload")
    assert written(payload, types) == set(types)


def test_csv_columns_match_the_document() -> None:
    from osp_cli.report import csv_rows

    assert tuple(documented("formats.md", "csv")) == tuple(csv_rows.HEADER)
    sys.path.insert(0, str(Path(__file__).parent))
    import osp_reader

    assert tuple(osp_reader.CSV_COLUMNS) == tuple(csv_rows.HEADER)


def test_the_documented_pandas_snippet_loads_the_csv_with_types(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Python snippet in formats.md, run as written on the worked example's CSV."""
    pytest.importorskip("pandas")
    examples = (DOCS / "format-examples.md").read_text("utf-8")
    (tmp_path / "evaluation.csv").write_text(examples.split("```csv\n", 1)[1].split("```")[0])
    snippet = (DOCS / "formats.md").read_text("utf-8").split("```python\n")[-1].split("```")[0]
    monkeypatch.chdir(tmp_path)
    scope: dict[str, Any] = {}
    exec(snippet, scope)  # noqa: S102 - our own documentation, run as a reader would
    rows, numbers = scope["rows"], scope["numbers"]
    assert str(rows["time"].dtype).startswith("datetime64")
    assert rows["value"].map(type).eq(str).all()
    assert len(numbers) and all(isinstance(v, int) for v in numbers["value"].tolist())


def test_the_versions_table_names_what_this_release_writes() -> None:
    from osp_cli.exchange import assignment, handover, keystore, pins, sealed, summary
    from osp_cli.report import csv_rows
    from osp_cli.vault import format as vault_format
    from osp_cli.vault import journal
    from osp_cli.workbook import model

    text = (DOCS / "formats.md").read_text("utf-8")
    table = text.split("## Versions this release reads and writes", 1)[1].split("##", 1)[0]
    writes = {
        row.split("|")[1].strip(): row.split("|")[3].strip().split()[0]
        for row in table.splitlines()
        if row.startswith("| ") and not row.startswith("| format")
    }
    assert writes == {
        "practitioner key file": str(keystore.VERSION),
        "signed assignment": str(assignment.VERSION),
        "sealed summary": str(sealed.VERSION),
        "summary JSON": str(summary.SCHEMA_VERSION),
        "practitioner pin file": str(pins.VERSION),
        "key hand-over": str(handover.VERSION),
        "workbook file (also the practitioner's inbox)": str(vault_format.VERSION),
        "workbook save journal (`workbook.osp.journal`)": str(journal.VERSION),
        "workbook payload": str(model.SCHEMA),
        "evaluation CSV": "2" if len(csv_rows.HEADER) == 10 else "changed: update the table",
    }
