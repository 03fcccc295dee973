"""docs/exercise.schema.json is generated from the format and agrees with the loader."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from osp_cli.exercises.catalogue import TOPICS, builtin_dir
from osp_cli.exercises.loader import KIND_KEYS, TOP_LEVEL_KEYS
from osp_cli.exercises.model import Kind
from osp_cli.exercises.schema import REGENERATE, json_schema, schema_text

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "docs" / "exercise.schema.json"
DATA = ROOT / "tests" / "data" / "exercises"


def test_committed_schema_is_up_to_date() -> None:
    committed = COMMITTED.read_text(encoding="utf-8")
    assert json.loads(committed) == json_schema(), f"schema is stale; run: {REGENERATE}"
    assert committed == schema_text(), f"schema is stale; run: {REGENERATE}"


def test_schema_mirrors_the_loader() -> None:
    schema = json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert set(schema["properties"]) == set(TOP_LEVEL_KEYS)
    assert schema["required"] == [key for key, req in TOP_LEVEL_KEYS.items() if req]
    assert schema["additionalProperties"] is False
    assert schema["properties"]["topics"]["items"]["enum"] == list(TOPICS)
    question = schema["$defs"]["question"]
    assert question["properties"]["kind"]["enum"] == [kind.value for kind in Kind]
    for branch in question["allOf"]:
        kind = Kind(branch["if"]["properties"]["kind"]["const"])
        allowed = set(branch["then"]["properties"])
        assert set(KIND_KEYS[kind]) <= allowed
        assert branch["then"]["additionalProperties"] is False


def _validator() -> Any:
    jsonschema = pytest.importorskip("jsonschema")
    return jsonschema.Draft202012Validator(json_schema())


def _toml(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def test_schema_accepts_valid_files_and_rejects_broken_ones() -> None:
    validator = _validator()  # skipped when jsonschema is not installed
    validator.check_schema(validator.schema)
    valid = sorted((DATA / "valid").glob("*.toml")) + sorted(builtin_dir().glob("*.toml"))
    for path in valid:
        errors = [e.message for e in validator.iter_errors(_toml(path))]
        assert not errors, (path, errors)
    broken = _toml(DATA / "valid" / "all-kinds.toml")
    broken["colour"] = "blue"
    broken["questions"][0]["choices"] = ["a"]
    del broken["care"]
    assert len(list(validator.iter_errors(broken))) >= 3
