"""The save journal (osp_cli/vault/journal.py and the vault's use of it): a save appends
one record and leaves the workbook file alone; replaying the records gives exactly what a
full save would; every record is replayed on open and folded into the file; an
unfinished append is ignored; every other truncation or flipped bit is damage."""

from __future__ import annotations

import itertools
import os
import random
import struct
from pathlib import Path
from typing import Any, cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from osp_cli import crypto
from osp_cli.errors import DamagedFile, UserError
from osp_cli.vault import format as fmt
from osp_cli.vault import journal, store
from osp_cli.vault.store import Vault
from osp_cli.workbook import model, service

EX = "hopes-and-fears"
PASSPHRASE = "correct horse battery staple"  # as in tests/conftest.py


def _on_disk(path: Path, key: bytes) -> model.Payload:
    return store.read_payload(path, key, model.CODEC)


def _answers(path: Path, key: bytes) -> dict[str, Any]:
    return model.answers_of(_on_disk(path, key), EX)


def _file_only(path: Path, key: bytes) -> model.Payload:
    """The workbook file by itself, without its journal."""
    return model.from_dict(fmt.decrypt(fmt.parse(path.read_bytes()), key))


@pytest.fixture
def book(new_workbook: tuple[object, str]) -> service.Workbook:
    return cast(service.Workbook, new_workbook[0])


# --- what a save does ------------------------------------------------------------------


def test_a_save_is_one_append_and_one_fsync_and_leaves_the_file_alone(
    book: service.Workbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = book.vault.path
    jpath = journal.journal_path(path)
    before = {p.name: p.read_bytes() for p in store.owned_files(path) if p != jpath}
    synced: list[int] = []
    real_fsync = os.fsync

    def counting_fsync(fd: int) -> None:
        synced.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", counting_fsync)
    sizes = [jpath.stat().st_size]
    for i in range(5):
        book.save(model.set_answer(EX, 1, f"q{i}", f"answer {i}"))
        sizes.append(jpath.stat().st_size)
    book.save(model.add_checkin(3, 4, "a note"))
    assert len(synced) == 6  # one fsync per save: no folder fsync, no backup, no rewrite
    assert {p.name: p.read_bytes() for p in store.owned_files(path) if p != jpath} == before
    assert all(0 < b - a < 1000 for a, b in itertools.pairwise(sizes))
    assert jpath.stat().st_mode & 0o777 == 0o600
    raw = jpath.read_bytes()
    assert b"answer" not in raw and b"a note" not in raw
    saved = _on_disk(path, book.vault.data_key)
    assert model.answers_of(saved, EX) == {f"q{i}": f"answer {i}" for i in range(5)}
    assert [c.note for c in saved.checkins] == ["a note"]
    assert saved.to_dict() == book.payload.to_dict()


def test_the_cost_of_a_save_does_not_read_or_write_the_workbook_file(
    book: service.Workbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A save encrypts only its own record: nothing of the size of the workbook.
    sealed: list[int] = []
    real_seal = crypto.seal

    def measuring_seal(key: bytes, plain: bytes) -> bytes:
        sealed.append(len(plain))
        result: bytes = real_seal(key, plain)
        return result

    book.save(model.both(*(model.set_answer("filler", 1, f"f{i}", "x" * 400) for i in range(300))))
    book.vault.fold()
    monkeypatch.setattr(crypto, "seal", measuring_seal)
    book.save(model.set_answer(EX, 1, "q", "short"))
    assert len(sealed) == 1 and sealed[0] < 400


def test_a_change_that_is_not_an_edit_rewrites_the_file(book: service.Workbook) -> None:
    path = book.vault.path
    book.save(model.set_answer(EX, 1, "q0", "in the journal"))
    before = path.read_bytes()

    def rename(payload: model.Payload) -> None:
        payload.participant_ref = "P-0001"

    book.save(rename)
    assert path.read_bytes() != before
    assert journal.journal_path(path).stat().st_size == journal.HEADER_SIZE
    on_file = _file_only(path, book.vault.data_key)
    assert on_file.participant_ref == "P-0001"
    assert model.answers_of(on_file, EX) == {"q0": "in the journal"}  # folded in too


def test_a_full_journal_is_folded_by_the_next_save(
    book: service.Workbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(journal, "FOLD_AT_RECORDS", 3)
    path = book.vault.path
    generation = book.vault.header.generation
    for i in range(3):
        book.save(model.set_answer(EX, 1, f"q{i}", str(i)))
    assert book.vault.header.generation == generation
    book.save(model.set_answer(EX, 1, "q3", "3"))  # the fourth: a full write
    assert book.vault.header.generation == generation + 1
    assert model.answers_of(_file_only(path, book.vault.data_key), EX) == {
        f"q{i}": str(i) for i in range(4)
    }


# --- replaying is the same as a full save ----------------------------------------------

_QUESTIONS = ["a", "b", "c"]
_exercise = st.sampled_from([EX, "diary"])
_question = st.sampled_from(_QUESTIONS)
_value = st.one_of(st.text(max_size=20), st.integers(0, 10), st.booleans(), st.lists(st.text()))
_edits = st.one_of(
    st.builds(model.set_answer, _exercise, st.just(1), _question, _value),
    st.builds(model.skip, _exercise, st.just(1), _question),
    st.builds(model.set_partial, _exercise, _question, st.booleans()),
    st.builds(model.set_flag, _exercise, st.just(1), _question, st.booleans()),
    st.builds(model.set_reflection, _exercise, st.just(1), st.none() | st.text()),
    st.builds(model.mark_complete, _exercise, st.just(1)),
    st.builds(model.start_entry, st.just("diary"), st.integers(1, 2)),
    st.builds(model.set_draft, _exercise, st.just(1), _question, st.text()),
    st.builds(model.clear_draft, _exercise, _question),
    st.builds(model.add_checkin, st.integers(0, 10), st.integers(0, 10), st.text(max_size=10)),
    st.builds(model.record_export, st.lists(_exercise, max_size=2)),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_edits, min_size=1, max_size=3), max_size=12))
def test_replaying_the_records_gives_what_a_full_save_gives(
    batches: list[list[model.Edit]],
) -> None:
    live, replayed = model.new_payload(), model.new_payload()
    replayed.created = live.created
    for batch in batches:
        record = model.CODEC.apply(live, model.both(*batch))
        assert record is not None
        # Through the bytes of the journal, as another process would read it.
        import json

        model.replay(replayed, json.loads(json.dumps(record)))
    assert model.from_dict(live.to_dict()).to_dict() == replayed.to_dict()


def test_a_record_names_what_it_touches_and_holds_only_that(book: service.Workbook) -> None:
    record = model.CODEC.apply(book.payload, model.set_answer(EX, 1, "q", "An answer."))
    assert record is not None
    (op,) = record["ops"]
    assert {k: v for k, v in op.items() if k != "at"} == {
        "op": "answer", "exercise": EX, "version": 1, "question": "q", "value": "An answer.",
    }  # fmt: skip
    checkin = model.CODEC.apply(book.payload, model.add_checkin(2, 3, "calm"))
    assert checkin is not None and [op["op"] for op in checkin["ops"]] == ["checkin"]
    assert model.CODEC.apply(book.payload, lambda p: None) is None


def test_a_record_of_an_unknown_kind_is_damage(book: service.Workbook) -> None:
    path, key = book.vault.path, book.vault.data_key
    header = book.vault.header
    state = journal.read(journal.journal_path(path), key, header.file_id, header.generation)[0]
    journal.append(journal.journal_path(path), key, state, {"ops": [{"op": "rename"}]})
    with pytest.raises(DamagedFile, match="journal"):
        _on_disk(path, key)


# --- folding -----------------------------------------------------------------------------


def test_opening_folds_the_journal_into_the_workbook_file(book: service.Workbook) -> None:
    path, key = book.vault.path, book.vault.data_key
    book.save(model.set_answer(EX, 1, "q0", "kept"))
    book.save(model.add_checkin(5, 5, "once"))
    generation = book.vault.header.generation
    assert model.answers_of(_file_only(path, key), EX) == {}
    reopened = service.open_with_passphrase(PASSPHRASE)
    assert model.answers_of(reopened.payload, EX) == {"q0": "kept"}
    assert reopened.vault.header.generation == generation + 1
    assert journal.journal_path(path).stat().st_size == journal.HEADER_SIZE
    on_file = _file_only(path, key)
    assert model.answers_of(on_file, EX) == {"q0": "kept"}
    assert [c.note for c in on_file.checkins] == ["once"]  # once, not replayed twice
    assert len(_on_disk(path, key).checkins) == 1


def test_fold_pending_writes_what_a_command_saved(book: service.Workbook) -> None:
    book.save(model.set_answer(EX, 1, "q0", "kept"))
    store.fold_pending()
    assert journal.journal_path(book.vault.path).stat().st_size == journal.HEADER_SIZE
    assert model.answers_of(_file_only(book.vault.path, book.vault.data_key), EX) == {"q0": "kept"}


def test_a_journal_left_by_a_process_stopped_during_a_fold_is_not_replayed_twice(
    book: service.Workbook,
) -> None:
    path, key = book.vault.path, book.vault.data_key
    jpath = journal.journal_path(path)
    book.save(model.add_checkin(1, 1, "only once"))
    left = jpath.read_bytes()
    book.vault.fold()
    jpath.write_bytes(left)  # as if stopped after the file was written, before the reset
    assert [c.note for c in _on_disk(path, key).checkins] == ["only once"]
    assert [c.note for c in service.open_with_passphrase(PASSPHRASE).payload.checkins] == [
        "only once"
    ]


def test_an_old_workbook_without_a_journal_is_migrated_by_its_first_save(
    book: service.Workbook,
) -> None:
    path, key = book.vault.path, book.vault.data_key
    book.save(model.set_answer(EX, 1, "q0", "from before"))
    book.vault.fold()
    # Written by an osp from before the journal: format 1, no journal file.
    parsed = fmt.parse(path.read_bytes())
    header = parsed.header_bytes.replace(b'"format":2', b'"format":1')
    signed = b"OSPWB\x01" + struct.pack(">I", len(header)) + header
    signed += struct.pack(">I", len(parsed.body)) + parsed.body
    tagged = signed + crypto.mac(crypto.subkey(key, fmt._MAC_PURPOSE), signed)
    path.write_bytes(tagged + crypto.digest(tagged))
    journal.journal_path(path).unlink()
    assert fmt.parse(path.read_bytes()).version == 1
    before = path.read_bytes()
    reopened = service.open_with_passphrase(PASSPHRASE)
    assert model.answers_of(reopened.payload, EX) == {"q0": "from before"}
    assert path.read_bytes() == before  # opening alone changes nothing
    reopened.save(model.set_answer(EX, 1, "q1", "after"))  # a full write, in format 2
    assert fmt.parse(path.read_bytes()).version == fmt.VERSION
    assert model.answers_of(_file_only(path, key), EX) == {"q0": "from before", "q1": "after"}
    assert journal.journal_path(path).stat().st_size == journal.HEADER_SIZE
    written = path.read_bytes()
    reopened.save(model.set_answer(EX, 1, "q2", "journalled"))  # then the journal
    assert path.read_bytes() == written
    assert _answers(path, key) == {"q0": "from before", "q1": "after", "q2": "journalled"}


# --- two processes -------------------------------------------------------------------------


def test_two_processes_see_each_others_saves(book: service.Workbook) -> None:
    other = service.open_with_passphrase(PASSPHRASE)
    book.save(model.set_answer(EX, 1, "a", "from one"))
    other.save(model.set_answer(EX, 1, "b", "from the other"))
    book.save(model.add_checkin(1, 2, "one"))
    other.save(model.add_checkin(3, 4, "other"))
    book.save(model.set_answer(EX, 1, "c", "from one again"))
    assert set(model.answers_of(book.payload, EX)) == {"a", "b", "c"}
    other.vault.reload()
    assert other.payload.to_dict() == book.payload.to_dict()
    assert [c.note for c in book.payload.checkins] == ["one", "other"]  # each once
    other.vault.fold()  # a fold by one, then a save by the other
    book.save(model.set_answer(EX, 1, "d", "after the fold"))
    assert set(_answers(book.vault.path, book.vault.data_key)) == {"a", "b", "c", "d"}
    assert len(_on_disk(book.vault.path, book.vault.data_key).checkins) == 2


# --- damage ----------------------------------------------------------------------------------


def _three_saves(book: service.Workbook) -> tuple[Path, bytes, bytes, list[int]]:
    path, key = book.vault.path, book.vault.data_key
    jpath = journal.journal_path(path)
    ends = []
    for i in range(3):
        book.save(model.set_answer(EX, 1, f"q{i}", f"answer {i}"))
        ends.append(jpath.stat().st_size)
    return jpath, key, jpath.read_bytes(), ends


def test_an_unfinished_append_is_ignored_then_cut_off(book: service.Workbook) -> None:
    jpath, key, whole, ends = _three_saves(book)
    path = book.vault.path
    # Every cut inside the last record reads as that save never having finished (it was
    # never acknowledged: the record is acknowledged only once it is whole and fsynced).
    for length in range(ends[1], ends[2]):
        jpath.write_bytes(whole[:length])
        assert _answers(path, key) == {"q0": "answer 0", "q1": "answer 1"}, length
    # Zeros where an unfinished append had extended the file: the same.
    jpath.write_bytes(whole[: ends[1]] + bytes(50))
    assert set(_answers(path, key)) == {"q0", "q1"}
    # The next save cuts the unfinished part off and goes on from there.
    jpath.write_bytes(whole[: ends[2] - 7])
    again = service.open_with_passphrase(PASSPHRASE)  # folds what is whole
    again.save(model.set_answer(EX, 1, "q3", "fourth"))
    assert set(_answers(path, key)) == {"q0", "q1", "q3"}


def test_an_unfinished_append_is_cut_off_by_the_next_save_in_place(
    book: service.Workbook,
) -> None:
    jpath, key, _whole, _ends = _three_saves(book)
    other = service.open_with_passphrase(PASSPHRASE)  # folded: the journal is fresh
    other.save(model.set_answer(EX, 1, "x", "x"))
    other.save(model.set_answer(EX, 1, "z", "stopped while being written"))
    jpath.write_bytes(jpath.read_bytes()[:-7])  # the last record torn
    book.save(model.set_answer(EX, 1, "y", "y"))  # reads the journal, cuts the tail
    assert set(_answers(book.vault.path, key)) == {"q0", "q1", "q2", "x", "y"}


def test_every_flipped_bit_is_damage(book: service.Workbook) -> None:
    jpath, key, whole, _ends = _three_saves(book)
    path = book.vault.path
    # Every byte of the header and of the first record's length and check; a sample of
    # the rest; the last byte.
    rest = range(journal.HEADER_SIZE + 8, len(whole))
    sample = random.Random(7).sample(list(rest), k=min(len(rest), 200))
    for position in [*range(journal.HEADER_SIZE + 8), *sample, len(whole) - 1]:
        damaged = bytearray(whole)
        damaged[position] ^= 1 << (position % 8)
        jpath.write_bytes(bytes(damaged))
        with pytest.raises(DamagedFile):
            _on_disk(path, key)
    jpath.write_bytes(whole)
    assert set(_answers(path, key)) == {"q0", "q1", "q2"}


def test_records_cannot_be_reordered_or_dropped_from_the_middle(
    book: service.Workbook,
) -> None:
    jpath, key, whole, ends = _three_saves(book)
    head = whole[: journal.HEADER_SIZE]
    first, second, third = (
        whole[journal.HEADER_SIZE : ends[0]],
        whole[ends[0] : ends[1]],
        whole[ends[1] :],
    )
    for bad in (head + second + first + third, head + first + third, head + second + third):
        jpath.write_bytes(bad)
        with pytest.raises(DamagedFile):
            _on_disk(book.vault.path, key)


def test_a_journal_from_another_workbook_or_a_later_file_is_damage(
    book: service.Workbook,
) -> None:
    jpath, key, _whole, _ends = _three_saves(book)
    path = book.vault.path
    # A later base generation than the file's (the file went back in time): damage.
    header = fmt.parse(path.read_bytes()).header
    later = journal.reset(jpath, key, header.file_id, header.generation + 5)
    journal.append(jpath, key, later, {"ops": []})
    with pytest.raises(DamagedFile):
        _on_disk(path, key)
    # Another workbook's journal (another key): damage.
    journal.reset(jpath, crypto.new_data_key(), header.file_id, header.generation)
    with pytest.raises(DamagedFile):
        _on_disk(path, key)


def test_a_shrunken_journal_is_damage_for_a_process_that_read_it(
    book: service.Workbook,
) -> None:
    jpath, _key, whole, ends = _three_saves(book)
    jpath.write_bytes(whole[: ends[0]])  # two acknowledged saves cut away at a boundary
    with pytest.raises(DamagedFile, match="cut short"):
        book.save(model.set_answer(EX, 1, "q9", "9"))
    other = service.open_with_passphrase(PASSPHRASE)
    other.save(model.set_answer(EX, 1, "q9", "9"))
    journal.journal_path(other.vault.path).unlink()
    with pytest.raises(DamagedFile, match="disappeared"):
        other.vault.reload()


def test_opening_with_a_damaged_journal_is_exit_4_and_changes_nothing(
    book: service.Workbook,
) -> None:
    path = book.vault.path
    book.save(model.set_answer(EX, 1, "q0", "first"))
    book.vault.fold()  # a backup now exists: it is not used for damage in the journal
    book.save(model.set_answer(EX, 1, "q1", "second"))
    jpath = journal.journal_path(path)
    damaged = bytearray(jpath.read_bytes())
    damaged[-3] ^= 0x40
    jpath.write_bytes(bytes(damaged))
    before = {p.name: p.read_bytes() for p in store.owned_files(path) if p.suffix != ".lock"}
    with pytest.raises(DamagedFile) as caught:
        Vault.open(path, PASSPHRASE, model.CODEC)
    assert int(caught.value.exit_code) == 4
    assert "journal" in caught.value.message
    after = {p.name: p.read_bytes() for p in store.owned_files(path) if p.suffix != ".lock"}
    assert after == before


# --- the other commands ----------------------------------------------------------------------


def test_backup_refuses_while_saves_are_only_in_the_journal(
    book: service.Workbook, tmp_path: Path
) -> None:
    book.save(model.set_answer(EX, 1, "q0", "first"))
    with pytest.raises(UserError, match="not yet in the workbook file"):
        store.copy_out(book.vault.path, tmp_path / "copy.osp")
    store.fold_pending()
    store.copy_out(book.vault.path, tmp_path / "copy.osp")
    copy = fmt.decrypt(fmt.parse((tmp_path / "copy.osp").read_bytes()), book.vault.data_key)
    assert model.answers_of(model.from_dict(copy), EX) == {"q0": "first"}


def test_restore_drops_the_journal_of_the_replaced_file(
    book: service.Workbook, tmp_path: Path
) -> None:
    store.copy_out(book.vault.path, tmp_path / "copy.osp")
    book.save(model.set_answer(EX, 1, "q0", "after the copy"))
    store.restore_from(tmp_path / "copy.osp", book.vault.path, PASSPHRASE)
    assert not journal.journal_path(book.vault.path).exists()
    reopened = service.open_with_passphrase(PASSPHRASE)
    assert model.answers_of(reopened.payload, EX) == {}
    reopened.save(model.set_answer(EX, 1, "q1", "on the restored copy"))
    assert journal.journal_path(book.vault.path).exists()  # started again by a full write
    reopened.save(model.set_answer(EX, 1, "q2", "journalled"))
    assert set(_answers(book.vault.path, book.vault.data_key)) == {"q1", "q2"}


def test_a_passphrase_change_folds_and_renews_the_journal(book: service.Workbook) -> None:
    path = book.vault.path
    book.save(model.set_answer(EX, 1, "q0", "before the change"))
    old_journal = journal.journal_path(path).read_bytes()
    book.vault.change_passphrase("a new and long passphrase")
    assert journal.journal_path(path).read_bytes() != old_journal
    book.save(model.set_answer(EX, 1, "q1", "after the change"))
    reopened = Vault.open(path, "a new and long passphrase", model.CODEC)
    assert model.answers_of(reopened.payload, EX) == {
        "q0": "before the change",
        "q1": "after the change",
    }


def test_erase_destroys_the_journal(book: service.Workbook) -> None:
    book.save(model.set_answer(EX, 1, "q0", "first"))
    store.erase(book.vault.path)
    assert not journal.journal_path(book.vault.path).exists()


def test_a_save_that_cannot_be_fsynced_is_reported_and_left_out(
    book: service.Workbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    path, key = book.vault.path, book.vault.data_key
    book.save(model.set_answer(EX, 1, "q0", "kept"))
    size = journal.journal_path(path).stat().st_size

    def failing_fsync(fd: int) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(UserError, match="could not be saved"):
        book.save(model.set_answer(EX, 1, "q1", "lost?"))
    monkeypatch.undo()
    assert journal.journal_path(path).stat().st_size == size  # taken back out
    book.save(model.set_answer(EX, 1, "q2", "after"))
    assert model.answers_of(book.payload, EX) == {"q0": "kept", "q2": "after"}
    assert _answers(path, key) == {"q0": "kept", "q2": "after"}


# --- through the command line --------------------------------------------------------------


def test_a_command_folds_its_saves_into_the_file_as_it_ends(
    book: service.Workbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cli_run import run

    path, key = book.vault.path, book.vault.data_key
    appended: list[str] = []
    real_append = journal.append

    def watching(*args: Any) -> journal.State:
        appended.append("record")
        result: journal.State = real_append(*args)
        return result

    monkeypatch.setattr(journal, "append", watching)
    result = run(["checkin"], PASSPHRASE + "\n", ["3\r", "2\r", "steady\r"])
    assert result.exit_code == 0, result.output
    assert appended == ["record"]  # the check-in was saved to the journal...
    # ...and folded into the file itself when the command ended.
    assert journal.journal_path(path).stat().st_size == journal.HEADER_SIZE
    assert [c.note for c in _file_only(path, key).checkins] == ["steady"]


def test_ctrl_c_keeps_the_typing_as_a_draft_through_the_journal(
    book: service.Workbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cli_run import run

    path, key = book.vault.path, book.vault.data_key
    records: list[dict[str, Any]] = []
    real_append = journal.append

    def watching(
        path: Path, data_key: bytes, state: journal.State, record: dict[str, Any]
    ) -> journal.State:
        records.append(record)
        return real_append(path, data_key, state, record)

    monkeypatch.setattr(journal, "append", watching)
    start = "\r" + "0\r0\r\r" + "\r"  # the opening screen, a calm check-in, "ready"
    result = run(["do", "hopes-and-fears"], PASSPHRASE + "\n", [start, "Half of my stor", "\x03"])
    assert result.exit_code == 130, result.output
    drafts = [op for r in records for op in r["ops"] if op["op"] == "draft"]
    assert [op["text"] for op in drafts] == ["Half of my stor"]
    state = _file_only(path, key).exercises["hopes-and-fears"]  # folded as it stopped
    assert list(state.drafts.values()) == ["Half of my stor"]
    assert journal.journal_path(path).stat().st_size == journal.HEADER_SIZE
