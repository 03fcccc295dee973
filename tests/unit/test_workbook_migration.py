"""Typed workbook records and the migration from schema 1.

The fixture in tests/data/workbook-v1 was written by osp before typed records (its
make_fixture.py drives the real commands of that version): answers of every kind, flags,
skips, a list still being filled in, a reflection, check-ins, an export, an imported
assignment with a custom exercise. It must open, keep every one of them, and be saved in
the newest schema.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from osp_cli.errors import DamagedFile
from osp_cli.workbook import model, service

DATA = Path(__file__).resolve().parent.parent / "data" / "workbook-v1"
PASSPHRASE = (DATA / "passphrase.txt").read_text("utf-8").strip()


def _v1() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / "payload.json").read_text("utf-8"))
    return data


def _open_fixture() -> service.Workbook:
    service.workbook_file().parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(DATA / "workbook.osp", service.workbook_file())
    return service.open_with_passphrase(PASSPHRASE)


def _stored_json() -> dict[str, Any]:
    """What is in the workbook file now, decrypted (bypassing the records)."""
    from osp_cli.vault.store import Vault

    raw: dict[str, Any] = Vault.open(service.workbook_file(), PASSPHRASE).payload
    return raw


def _assert_keeps_everything(payload: model.Payload, v1: dict[str, Any]) -> None:
    assert payload.created == v1["created"]
    assert payload.participant_ref == v1["participant_ref"] == "P-0777"
    assert payload.practitioner is not None
    assert payload.practitioner.to_dict() == v1["practitioner"]
    assert [a.to_dict() for a in payload.assignments] == v1["assignments"]
    assert payload.custom_exercises == v1["custom_exercises"]
    assert "all-kinds" in payload.custom_exercises
    assert (
        set(payload.exercises)
        == set(v1["exercises"])
        == {
            "all-kinds",
            "hopes-and-fears",
            "urge-diary",
        }
    )
    for exercise_id, old in v1["exercises"].items():
        state = payload.exercises[exercise_id]
        assert state.version == old["version"]
        assert len(state.entries) == 1
        entry = state.entries[0]
        assert entry.number == 1
        assert {qid: a.to_dict() for qid, a in entry.answers.items()} == old["answers"]
        assert entry.skipped == old["skipped"]
        assert entry.flagged == old["flagged"]
        assert entry.partial == old.get("partial", [])
        assert entry.reflection == old["reflection"]
        assert (entry.started, entry.updated, entry.completed) == (
            old["started"],
            old["updated"],
            old["completed"],
        )
        assert state.drafts == {}
    assert [
        {k: v for k, v in c.to_dict().items() if k != "self_harm"} for c in payload.checkins
    ] == v1["checkins"]
    assert all(c.self_harm is None for c in payload.checkins)
    assert [(e.at, list(e.exercises)) for e in payload.exports] == [
        (e["at"], e["exercises"]) for e in v1["exports"]
    ]


def test_fixture_is_schema_1_with_something_of_every_kind() -> None:
    v1 = _v1()
    assert v1["schema"] == 1
    answers = v1["exercises"]["all-kinds"]["answers"]
    kinds = {type(a["value"]).__name__ for a in answers.values()}
    assert kinds == {"str", "list", "int", "bool", "dict"}
    assert v1["exercises"]["hopes-and-fears"]["partial"] == ["hopes"]
    assert v1["exercises"]["all-kinds"]["reflection"]
    assert v1["exercises"]["all-kinds"]["skipped"] == ["story"]
    assert v1["exports"] and len(v1["checkins"]) == 4


def test_schema_1_workbook_opens_keeping_every_answer() -> None:
    workbook = _open_fixture()
    _assert_keeps_everything(workbook.payload, _v1())
    # Opening alone does not rewrite the file.
    assert _stored_json()["schema"] == 1


def test_saving_a_migrated_workbook_writes_schema_2_and_keeps_everything() -> None:
    from osp_cli.vault import format as fmt
    from osp_cli.vault import journal

    workbook = _open_fixture()
    assert fmt.parse(service.workbook_file().read_bytes()).version == 1  # written before
    workbook.save(model.set_answer("hopes-and-fears", 1, "fears", ["losing my job"]))
    # The first save is a full write in file format 2, which starts the save journal.
    assert fmt.parse(service.workbook_file().read_bytes()).version == fmt.VERSION == 2
    assert journal.journal_path(service.workbook_file()).stat().st_size == journal.HEADER_SIZE
    stored = _stored_json()
    assert stored["schema"] == model.SCHEMA == 2
    assert "entries" in stored["exercises"]["urge-diary"]
    assert "answers" not in stored["exercises"]["urge-diary"]
    assert all("self_harm" in c for c in stored["checkins"])
    reopened = service.open_with_passphrase(PASSPHRASE)
    v1 = _v1()
    v1["exercises"]["hopes-and-fears"]["answers"]["fears"] = {
        "value": ["losing my job"],
        "at": reopened.payload.exercises["hopes-and-fears"].answers["fears"].at,
    }
    v1["exercises"]["hopes-and-fears"]["updated"] = reopened.payload.exercises[
        "hopes-and-fears"
    ].updated
    _assert_keeps_everything(reopened.payload, v1)
    # The custom exercise from the imported assignment still loads and keeps its answers.
    assert "all-kinds" in reopened.exercises()
    assert reopened.answers("all-kinds")["steps"]["During"]["Action"] == "closed the laptop"


def test_records_round_trip_through_json() -> None:
    payload = model.from_dict(_v1())
    again = model.from_dict(json.loads(json.dumps(payload.to_dict())))
    assert again == payload
    assert again.to_dict()["schema"] == model.SCHEMA


def test_migration_leaves_its_input_alone() -> None:
    v1 = _v1()
    before = json.dumps(v1, sort_keys=True)
    migrated = model.migrate(v1)
    assert json.dumps(v1, sort_keys=True) == before
    assert migrated["schema"] == model.SCHEMA


def test_a_newer_schema_is_refused_with_a_plain_message() -> None:
    newer = {**model.new_payload().to_dict(), "schema": model.SCHEMA + 1}
    with pytest.raises(DamagedFile, match="newer version of osp"):
        model.from_dict(newer)


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d.pop("created"),
        lambda d: d["exercises"]["urge-diary"].__setitem__("entries", []),
        lambda d: d["checkins"][0].__setitem__("feeling", 11),
        lambda d: d["checkins"][0].__setitem__("urge", "high"),
        lambda d: d["assignments"][0].__setitem__("exercises", "all"),
        lambda d: d.__setitem__("schema", "two"),
    ],
)
def test_a_payload_out_of_shape_is_damaged_not_a_traceback(damage: Any) -> None:
    data = model.migrate(_v1())
    damage(data)
    with pytest.raises(DamagedFile) as caught:
        model.from_dict(data)
    assert "not in the form osp expects" in caught.value.message
    assert "walk" not in str(caught.value)  # no answer text in the message


def test_drafts_are_kept_encrypted_and_cleared_by_an_answer(
    new_workbook: tuple[service.Workbook, str],
) -> None:
    workbook = new_workbook[0]
    workbook.save(model.set_draft("thought-record", 1, "situation", "half a thought"))
    reopened = service.open_with_passphrase("correct horse battery staple")
    assert reopened.payload.exercises["thought-record"].drafts == {"situation": "half a thought"}
    assert b"half a thought" not in service.workbook_file().read_bytes()
    reopened.save(model.set_answer("thought-record", 1, "situation", "the whole thought"))
    assert reopened.payload.exercises["thought-record"].drafts == {}
    reopened.save(model.set_draft("thought-record", 1, "thoughts", "x"))
    reopened.save(model.clear_draft("thought-record", "thoughts"))
    assert (
        service.open_with_passphrase("correct horse battery staple")
        .payload.exercises["thought-record"]
        .drafts
        == {}
    )


def test_check_in_keeps_the_self_harm_answer() -> None:
    payload = model.new_payload()
    model.add_checkin(8, 2, "", "manual", self_harm=False)(payload)
    model.add_checkin(3, 1, "")(payload)
    again = model.from_dict(payload.to_dict())
    assert [c.self_harm for c in again.checkins] == [False, None]
    assert again.checkins[0].to_json()["self_harm"] is False  # his practitioner sees it
