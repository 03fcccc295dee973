"""Practitioner and participant commands in-process: init, assign, import, export, open,
evaluation. Prompts are fed through prompt_toolkit's pipe input; passphrases through
standard input (the first line, as in scripts)."""

from __future__ import annotations

import csv
import io
import json
import stat
from collections.abc import Sequence
from pathlib import Path

import pytest
from cli_run import PART, PRAC, flat, home, practitioner, run
from confidentiality_ideas import missing_ideas
from exchange_data import CUSTOM
from typer.testing import CliRunner, Result

from osp_cli.cli.app import app
from osp_cli.workbook import model, service
from osp_cli.workbook.service import Workbook

ENTER, DOWN = "\r", "\x1b[B"


@pytest.fixture
def prac(tmp_path: Path) -> Path:
    result = practitioner(tmp_path, ["init"], stdin=f"{PRAC}\n{PRAC}\n")
    assert result.exit_code == 0, result.output
    assert "Fingerprint:" in flat(result)
    return tmp_path


def assign(tmp: Path, name: str, *extra: str, ref: str = "P-0142") -> Path:
    out = tmp / name
    result = practitioner(
        tmp,
        ["assign", "--participant", ref, "--session", "2", "--exercise", "hopes-and-fears",
         "--next-session", "2030-01-02", "--note", "Take your time", "--out", str(out), *extra],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return out


def fingerprint(tmp: Path) -> str:
    result = practitioner(tmp, ["whoami"], stdin="")
    assert result.exit_code == 0, result.output
    return result.output.split("Fingerprint:")[1].split("\n")[0].strip()


@pytest.fixture
def book(new_workbook: tuple[Workbook, str]) -> Workbook:
    return new_workbook[0]


def do_import(path: Path, keys: Sequence[str] = ("y",)) -> Result:
    return run(["import", str(path)], stdin=PART + "\n", keys=keys)


def answer(workbook: Workbook, text: str = "I want things to be different.") -> None:
    workbook.vault.reload()
    workbook.save(model.set_answer("hopes-and-fears", 1, "what-led-here", text))
    workbook.save(model.set_answer("hopes-and-fears", 1, "hopes", ["a calmer life"]))
    workbook.save(model.set_flag("hopes-and-fears", 1, "what-led-here", True))
    workbook.save(model.add_checkin(4, 2, "fine", "manual"))


def reopen() -> Workbook:
    return service.open_with_passphrase(PART)


# --- practitioner keys ---------------------------------------------------------------


def test_practitioner_init_stores_keys_privately(prac: Path) -> None:
    folder = prac / "prac" / "practitioner"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert PRAC.encode() not in (folder / "keys.osppk").read_bytes()
    again = practitioner(prac, ["init"], stdin=f"{PRAC}\n{PRAC}\n")
    assert again.exit_code == 1 and "already exist" in flat(again)
    assert len(fingerprint(prac).replace(" ", "")) == 20  # 80 bits, five groups


def test_practitioner_commands_need_keys(tmp_path: Path) -> None:
    result = practitioner(tmp_path, ["whoami"])
    assert result.exit_code == 1 and "osp practitioner init" in flat(result)


def test_assign_refuses_names_and_emails(prac: Path) -> None:
    for ref in ("John Smith", "john@example.com", "johnsmith"):
        result = practitioner(
            prac,
            ["assign", "--participant", ref, "--session", "1", "--exercise", "hopes-and-fears",
             "--next-session", "2030-01-02", "--out", str(prac / "x.ospa")],
        )  # fmt: skip
        assert result.exit_code == 1, result.output
        assert "reference" in flat(result)
        assert not (prac / "x.ospa").exists()


def test_assign_unknown_exercise_suggests_the_closest_id(prac: Path) -> None:
    result = practitioner(
        prac,
        ["assign", "--participant", "P-0142", "--session", "2", "--exercise", "life-timelin",
         "--next-session", "2030-01-02", "--out", str(prac / "x.ospa")],
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "Did you mean 'life-timeline'?" in flat(result)
    assert "warning-signs" in flat(result)  # the built-in ids are listed
    assert not (prac / "x.ospa").exists()


def test_assign_wrong_passphrase(prac: Path) -> None:
    result = practitioner(
        prac,
        ["assign", "--participant", "P-1", "--session", "1", "--exercise", "hopes-and-fears",
         "--next-session", "2030-01-02", "--out", str(prac / "x.ospa")],
        stdin="not it\n",
    )  # fmt: skip
    assert result.exit_code == 3
    assert not (prac / "x.ospa").exists()


# --- import --------------------------------------------------------------------------


def test_first_import_pins_the_key_after_confirmation(prac: Path, book: Workbook) -> None:
    custom = prac / "extra.toml"
    custom.write_text(CUSTOM, encoding="utf-8")
    path = assign(prac, "a1.ospa", "--custom", str(custom))
    result = do_import(path)
    assert result.exit_code == 0, result.output
    assert fingerprint(prac) in flat(result)
    payload = reopen().payload
    assert payload.participant_ref == "P-0142"
    assert payload.practitioner is not None
    assert payload.practitioner.fingerprint == fingerprint(prac)
    entry = payload.assignments[-1]
    assert entry.exercises == ("hopes-and-fears", "my-extra")
    assert entry.next_session == "2030-01-02" and entry.note == "Take your time"
    assert "my-extra" in payload.custom_exercises
    assert "my-extra" in reopen().exercises()
    again = do_import(path, keys=())
    assert again.exit_code == 0 and "already imported" in flat(again)


def test_first_import_not_confirmed_changes_nothing(prac: Path, book: Workbook) -> None:
    result = do_import(assign(prac, "a1.ospa"), keys=("n",))
    assert result.exit_code == 1
    assert reopen().payload.practitioner is None


def test_edited_assignment_is_refused_before_anything_changes(prac: Path, book: Workbook) -> None:
    path = assign(prac, "a1.ospa")
    blob = bytearray(path.read_bytes())
    index = blob.index(b"Take your time")
    blob[index] = ord("M")
    path.write_bytes(bytes(blob))
    before = book.vault.path.read_bytes()
    # The signature is verified once the passphrase has been typed (the check needs
    # cryptography, which loads meanwhile), before anything in the file is read.
    result = do_import(path, keys=())
    assert result.exit_code == 4, result.output
    assert "changed since" in flat(result)
    assert "fingerprint" not in flat(result).lower()
    assert book.vault.path.read_bytes() == before
    assert reopen().payload.practitioner is None


@pytest.mark.parametrize(
    "blob",
    [b"", b"OSPAS", b"not an assignment at all" * 10, b"OSPWB" + bytes(200)],
    ids=["empty", "cut short", "another file", "a workbook"],
)
def test_another_kind_of_file_is_refused_before_the_passphrase(
    book: Workbook, tmp_path: Path, blob: bytes
) -> None:
    path = tmp_path / "wrong.ospa"
    path.write_bytes(blob)
    result = run(["import", str(path)], stdin="")  # no passphrase needed to refuse it
    assert result.exit_code == 4, result.output
    assert "not an osp assignment" in flat(result)


def test_later_assignment_from_another_practitioner_is_refused(
    prac: Path, book: Workbook, tmp_path: Path
) -> None:
    assert do_import(assign(prac, "a1.ospa")).exit_code == 0
    other = tmp_path / "other"
    with home(other / "prac"):
        assert run(["practitioner", "init"], stdin=f"{PRAC}\n{PRAC}\n").exit_code == 0
    result = do_import(assign(other, "evil.ospa"), keys=())
    assert result.exit_code == 4, result.output
    assert "different practitioner key" in flat(result)
    assert len(reopen().payload.assignments) == 1


def test_assignment_for_another_participant_is_refused(prac: Path, book: Workbook) -> None:
    assert do_import(assign(prac, "a1.ospa")).exit_code == 0
    result = do_import(assign(prac, "b.ospa", ref="P-0999"), keys=())
    assert result.exit_code == 4, result.output
    assert "different participant reference" in flat(result)


def test_replayed_older_assignment_is_refused(prac: Path, book: Workbook) -> None:
    older = assign(prac, "older.ospa")
    newer = assign(prac, "newer.ospa")
    assert do_import(newer).exit_code == 0
    result = do_import(older, keys=())
    assert result.exit_code == 4, result.output
    assert "older than one you have already imported" in flat(result)
    assert len(reopen().payload.assignments) == 1


# --- export and open -----------------------------------------------------------------


def export(out: Path, keys: Sequence[str], *extra: str) -> Result:
    return run(["export", "--out", str(out), *extra], stdin=PART + "\n", keys=keys)


def test_export_then_open(prac: Path, book: Workbook, tmp_path: Path) -> None:
    assert do_import(assign(prac, "a1.ospa")).exit_code == 0
    answer(book, "It started when I was lonely <b>&</b>")
    sealed = tmp_path / "summary.osps"
    result = export(sealed, [ENTER, "Looking forward to it" + ENTER, "y"])
    assert result.exit_code == 0, result.output
    assert missing_ideas(result.output) == []  # the three limits and the law, before sealing
    assert stat.S_IMODE(sealed.stat().st_mode) == 0o600
    assert b"lonely" not in sealed.read_bytes()
    assert reopen().payload.exports[-1].exercises == tuple(["hopes-and-fears"])

    page, md, js = tmp_path / "r.html", tmp_path / "r.md", tmp_path / "r.json"
    opened = practitioner(
        prac, ["open", str(sealed), "--html", str(page), "--markdown", str(md), "--json", str(js)]
    )
    assert opened.exit_code == 0, opened.output
    html = page.read_text("utf-8")
    assert "It started when I was lonely &lt;b&gt;&amp;&lt;/b&gt;" in html
    assert "Looking forward to it" in html and "P-0142" in html
    assert "lonely" in md.read_text("utf-8") and '"schema_version": 2' in js.read_text("utf-8")

    shown = practitioner(prac, ["open", str(sealed)])
    assert shown.exit_code == 0, shown.output
    assert shown.output.index("To talk about") < shown.output.index("Exercises")
    assert "It started when I was lonely" in flat(shown)


def test_nothing_new_since_last_export_by_default(
    prac: Path, book: Workbook, tmp_path: Path
) -> None:
    assert do_import(assign(prac, "a1.ospa")).exit_code == 0
    answer(book)
    assert export(tmp_path / "one.osps", [ENTER, ENTER, "y"]).exit_code == 0
    assert export(tmp_path / "two.osps", [ENTER, ENTER, "y"]).exit_code == 0
    assert reopen().payload.exports[-1].exercises == tuple([])


def test_export_warns_about_identifying_answers(prac: Path, book: Workbook, tmp_path: Path) -> None:
    assert do_import(assign(prac, "a1.ospa")).exit_code == 0
    answer(book, "I chatted with Sarah Jones, sarah@example.com")
    out = tmp_path / "s.osps"
    # Choose "They are fine: carry on" (second option), then seal.
    result = export(out, [ENTER, ENTER, DOWN + ENTER, "y"])
    assert result.exit_code == 0, result.output
    assert "might identify someone" in flat(result)
    assert "an email address" in flat(result) and "a name and surname" in flat(result)
    assert out.exists()


def test_export_cancel_after_warning_writes_nothing(
    prac: Path, book: Workbook, tmp_path: Path
) -> None:
    assert do_import(assign(prac, "a1.ospa")).exit_code == 0
    answer(book, "see www.example.com")
    out = tmp_path / "s.osps"
    result = export(out, [ENTER, ENTER, DOWN + DOWN + ENTER])
    assert result.exit_code == 0, result.output
    assert "Nothing was exported" in flat(result)
    assert not out.exists() and reopen().payload.exports == []


def test_identifying_note_can_be_typed_again(prac: Path, book: Workbook, tmp_path: Path) -> None:
    assert do_import(assign(prac, "a1.ospa")).exit_code == 0
    answer(book)
    out = tmp_path / "s.osps"
    keys = [ENTER, "call me on 07700 900123" + ENTER, ENTER, "\x15Thanks" + ENTER, "y"]
    result = export(out, keys)
    assert result.exit_code == 0, result.output
    opened = practitioner(prac, ["open", str(out), "--json", str(tmp_path / "s.json")])
    assert opened.exit_code == 0, opened.output
    text = (tmp_path / "s.json").read_text("utf-8")
    assert '"note": "Thanks"' in text and "07700" not in text


def test_plaintext_copies_only_after_confirmation(
    prac: Path, book: Workbook, tmp_path: Path
) -> None:
    assert do_import(assign(prac, "a1.ospa")).exit_code == 0
    answer(book)
    md, page = tmp_path / "plain.md", tmp_path / "plain.html"
    keys = [ENTER, ENTER, "y", "n", "y"]  # seal: yes; Markdown: no; HTML: yes
    result = export(tmp_path / "s.osps", keys, "--markdown", str(md), "--html", str(page))
    assert result.exit_code == 0, result.output
    assert "will NOT be encrypted" in flat(result)
    assert not md.exists()
    assert page.exists() and "I want things to be different." in page.read_text("utf-8")


def test_export_before_any_import(book: Workbook, tmp_path: Path) -> None:
    answer(book)
    result = export(tmp_path / "s.osps", [ENTER])
    assert result.exit_code == 1 and "osp import" in flat(result)


def test_export_needs_a_terminal(book: Workbook, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["export"], input=PART + "\n")
    assert result.exit_code == 2


def test_summary_for_someone_else_is_refused(prac: Path, book: Workbook, tmp_path: Path) -> None:
    assert do_import(assign(prac, "a1.ospa")).exit_code == 0
    answer(book)
    sealed = tmp_path / "s.osps"
    assert export(sealed, [ENTER, ENTER, "y"]).exit_code == 0
    other = tmp_path / "other"
    with home(other / "prac"):
        assert run(["practitioner", "init"], stdin=f"{PRAC}\n{PRAC}\n").exit_code == 0
    result = practitioner(other, ["open", str(sealed)])
    assert result.exit_code == 4 and "different practitioner key" in flat(result)
    blob = bytearray(sealed.read_bytes())
    blob[100] ^= 1
    sealed.write_bytes(bytes(blob))
    result = practitioner(prac, ["open", str(sealed)])
    assert result.exit_code == 4 and "changed or damaged" in flat(result)


# --- evaluation ----------------------------------------------------------------------


def test_evaluation_skips_damaged_files_by_name(prac: Path, book: Workbook, tmp_path: Path) -> None:
    assert do_import(assign(prac, "a1.ospa")).exit_code == 0
    answer(book)
    good = tmp_path / "good.osps"
    assert export(good, [ENTER, ENTER, "y"]).exit_code == 0
    bad = tmp_path / "bad.osps"
    bad.write_bytes(good.read_bytes()[:-5])
    out = tmp_path / "eval.csv"
    result = practitioner(
        prac, ["evaluation", str(good), str(bad), str(tmp_path / "missing.osps"), "--csv", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "bad.osps" in flat(result) and "missing.osps" in flat(result)
    rows = list(csv.reader(io.StringIO(out.read_text("utf-8"))))
    assert rows[0][:5] == ["participant_ref", "measure_type", "measure", "time", "value"]
    assert rows[1][:3] == ["P-0142", "checkin", "upset"]
    assert any(r[1] == "completion" and r[2] == "hopes-and-fears" for r in rows)
    assert "I want things" not in out.read_text("utf-8")
    only_bad = practitioner(prac, ["evaluation", str(bad), "--csv", str(tmp_path / "x.csv")])
    assert only_bad.exit_code == 4


def test_identifying_answer_can_be_changed_before_export(
    prac: Path, book: Workbook, tmp_path: Path
) -> None:
    assert do_import(assign(prac, "a1.ospa")).exit_code == 0
    answer(book, "I met Sarah Jones online")
    out = tmp_path / "s.osps"
    # New since last export; no note; "Go back and change them"; the earlier answer is
    # filled in: clear it, type a new one (Esc Enter ends multi-line text); seal.
    keys = [ENTER, ENTER, ENTER, "\x15" + "I met someone online" + "\x1b\r", "y"]
    result = export(out, keys)
    assert result.exit_code == 0, result.output
    assert "might identify someone" in flat(result)
    assert reopen().answers("hopes-and-fears")["what-led-here"] == "I met someone online"
    opened = practitioner(prac, ["open", str(out), "--json", str(tmp_path / "s.json")])
    assert opened.exit_code == 0, opened.output
    assert "Sarah" not in (tmp_path / "s.json").read_text("utf-8")


# --- what the participant sees: dates, the preview -----------------------------------


def test_import_shows_the_next_session_as_a_plain_date(prac: Path, book: Workbook) -> None:
    result = do_import(assign(prac, "a1.ospa"))
    assert result.exit_code == 0, result.output
    assert "Next session: Wednesday 2 January 2030" in flat(result)
    assert "2030-01-02" not in result.output


def test_export_preview_indents_answers_and_has_no_practitioner_footer(
    prac: Path, book: Workbook, tmp_path: Path
) -> None:
    assert do_import(assign(prac, "a1.ospa")).exit_code == 0
    answer(book, "the first line\nthe second line")
    sealed = tmp_path / "summary.osps"
    result = export(sealed, [ENTER, ENTER, "y"])
    assert result.exit_code == 0, result.output
    lines = [line.rstrip() for line in result.output.splitlines()]
    assert "  the first line" in lines and "  the second line" in lines
    assert "next session Wednesday 2 January 2030" in flat(result)
    assert "Confidential. Contains a participant's own words" not in flat(result)
    # The practitioner's own view keeps the footer.
    shown = practitioner(prac, ["open", str(sealed)])
    assert shown.exit_code == 0, shown.output
    assert "Confidential. Contains a participant's own words" in flat(shown)
    assert "  the second line" in [line.rstrip() for line in shown.output.splitlines()]


def test_identifying_reflection_says_how_to_change_it(
    prac: Path, book: Workbook, tmp_path: Path
) -> None:
    assert do_import(assign(prac, "a1.ospa")).exit_code == 0
    answer(book)
    book.save(model.set_reflection("hopes-and-fears", 1, "Mail me at sarah@example.com"))
    out = tmp_path / "s.osps"
    result = export(out, [ENTER, ENTER, ENTER])  # "Go back and change them"
    assert result.exit_code == 0, result.output
    assert "osp edit hopes-and-fears _reflection" in flat(result)
    assert "Nothing was exported yet." in flat(result)
    assert not out.exists()


def test_check_ins_and_plan_can_be_left_out_of_a_chosen_export(
    prac: Path, book: Workbook, tmp_path: Path
) -> None:
    assert do_import(assign(prac, "a1.ospa")).exit_code == 0
    answer(book)  # hopes-and-fears answers and a check-in with a note
    book.save(model.set_answer("warning-signs", 1, "thoughts", ["nobody would know"]))
    sealed = tmp_path / "chosen.osps"
    # "Let me choose"; the list is: two exercises, then check-ins, then plan (all ticked).
    keys = [DOWN + ENTER, DOWN + DOWN + " " + DOWN + " " + ENTER, ENTER, "y"]
    result = export(sealed, keys)
    assert result.exit_code == 0, result.output
    js = tmp_path / "chosen.json"
    assert practitioner(prac, ["open", str(sealed), "--json", str(js)]).exit_code == 0
    data = json.loads(js.read_text("utf-8"))
    assert {e["id"] for e in data["exercises"]} == {"hopes-and-fears", "warning-signs"}
    assert data["checkins"] == []
    assert data["plan"] == []
    assert reopen().payload.exports[-1].exercises == tuple(["hopes-and-fears", "warning-signs"])


def test_a_custom_exercise_with_a_built_in_id_is_refused(
    prac: Path, book: Workbook, tmp_path: Path
) -> None:
    """The practitioner's osp refuses to make such a file; one made another way is
    refused on import, once its signature has been checked, and nothing changes."""
    from osp_cli.exchange import assignment, keystore

    keys = keystore.unlock((prac / "prac" / "practitioner" / "keys.osppk").read_bytes(), PRAC)
    text = CUSTOM.replace('id = "my-extra"', 'id = "hopes-and-fears"')
    built = assignment.build(
        participant_ref="P-0142",
        session=2,
        exercises=["hopes-and-fears"],
        custom_exercises={"hopes-and-fears": text},
        next_session="2030-01-02",
        note="",
        x25519_public=keys.x25519_public,
        ed25519_public=keys.ed25519_public,
        sequence=1,
        builtin_ids=[],
    )
    path = tmp_path / "clash.ospa"
    path.write_bytes(assignment.encode(built, keys.ed25519_private))
    result = do_import(path, keys=())
    assert result.exit_code == 4, result.output
    assert "clashes with a built-in exercise" in flat(result)
    assert reopen().payload.assignments == []
    assert reopen().payload.practitioner is None
