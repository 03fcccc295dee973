"""The practitioner commands' paths not covered elsewhere, and the order of their checks:
the light ones (keys, caseload store, files there and not too large, option values)
before the passphrase is asked for; the key file's, a summary's or a custom exercise's
contents right after it, and always before anything is written (FRONTS rule 5).

Standard input is not a terminal here: a command that asked for the passphrase with no
line to read would stop with "needs a terminal" (exit 2), so exit 1 with the expected
message and an empty standard input shows the check came first."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cli_run import PRAC, flat, home, practitioner, run
from exchange_data import make_summary
from typer.testing import CliRunner

from osp_cli import crypto
from osp_cli.cli.app import app
from osp_cli.exchange import keystore, sealed

ASSIGN = ["assign", "--participant", "P-0142", "--session", "2", "--exercise", "life-timeline"]


@pytest.fixture(scope="module")
def keys_made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Practitioner keys made once (copied for each test that changes the folder)."""
    tmp = tmp_path_factory.mktemp("keys")
    result = practitioner(tmp, ["init"], stdin=f"{PRAC}\n{PRAC}\n")
    assert result.exit_code == 0, result.output
    return tmp


@pytest.fixture
def prac(keys_made: Path, tmp_path: Path) -> Path:
    shutil.copytree(keys_made / "prac", tmp_path / "prac")
    return tmp_path


def sealed_to_us(prac: Path, out: Path) -> Path:
    info = keystore.public_info((prac / "prac" / "practitioner" / "keys.osppk").read_bytes())
    out.write_bytes(sealed.seal(make_summary().to_bytes(), info.x25519_public))
    return out


def sealed_to_another(out: Path) -> Path:
    other = crypto.new_key_pairs()
    out.write_bytes(sealed.seal(make_summary().to_bytes(), other.x25519_public))
    return out


@pytest.mark.parametrize(
    "args",
    [
        ["whoami"],
        ["rotate", "--out", "handover.osph"],
        [*ASSIGN, "--next-session", "2099-01-02", "--out", "a.ospa"],
        ["open", "summary.osps"],
        ["evaluation", "summary.osps", "--csv", "e.csv"],
        ["receive", "summary.osps"],
        ["caseload"],
        ["show", "P-0142"],
        ["discussed", "P-0142", "1"],
        ["archive", "P-0142"],
    ],
    ids=lambda a: a[0],
)
def test_no_keys_is_said_before_any_passphrase(tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "summary.osps").write_bytes(b"OSPSM")
    result = practitioner(tmp_path, args, stdin="")
    assert result.exit_code == 1, result.output
    assert "There are no practitioner keys on this computer yet." in flat(result)
    assert "osp practitioner init" in flat(result)


def test_init_gives_three_tries_then_makes_nothing(tmp_path: Path) -> None:
    strong = "a calm walk by the river at dawn"
    stdin = f"password\n{strong}\n{strong} typo\n{strong}\nsomething else\n"
    result = practitioner(tmp_path, ["init"], stdin=stdin)
    assert result.exit_code == 1, result.output
    text = flat(result)
    assert "That passphrase is too weak." in text
    assert text.count("The two did not match.") == 2
    assert "No passphrase was set, so no keys were made." in text
    assert not (tmp_path / "prac" / "practitioner" / "keys.osppk").exists()


def test_init_refuses_when_keys_exist_before_asking(prac: Path) -> None:
    result = practitioner(prac, ["init"], stdin="")
    assert result.exit_code == 1 and "already exist" in flat(result)


def test_whoami_lists_the_earlier_key_after_rotate(prac: Path) -> None:
    before = practitioner(prac, ["whoami"], stdin="")
    old = flat(before).split("Fingerprint: ")[1][:24]
    assert practitioner(prac, ["rotate", "--out", str(prac / "h.osph")]).exit_code == 0
    after = flat(practitioner(prac, ["whoami"], stdin=""))
    assert f"Earlier key (still opens older summaries): {old}" in after
    assert after.split("Fingerprint: ")[1][:24] != old
    assert "Keys created" in after


def test_a_damaged_key_file_is_refused_after_the_passphrase(prac: Path) -> None:
    key_file = prac / "prac" / "practitioner" / "keys.osppk"
    blob = bytearray(key_file.read_bytes())
    blob[20] ^= 1
    key_file.write_bytes(bytes(blob))
    out = prac / "h.osph"
    result = practitioner(prac, ["rotate", "--out", str(out)])
    assert result.exit_code == 4, result.output
    assert "The practitioner key file is damaged" in flat(result)
    assert not out.exists()
    assert practitioner(prac, ["whoami"], stdin="").exit_code == 4


def test_assign_checks_the_options_and_files_before_the_passphrase(prac: Path) -> None:
    out = prac / "a.ospa"
    missing = practitioner(prac, [*ASSIGN, "--out", str(out)], stdin="")
    assert missing.exit_code == 2 and "Missing --next-session." in flat(missing)
    past = [*ASSIGN, "--next-session", "2020-01-02", "--out", str(out)]
    with home(prac / "prac"):  # no one to answer: refused
        refused = CliRunner().invoke(app, ["practitioner", *past], input="")
        asked = run(["practitioner", *past], keys=["n"])  # asked, and the answer is no
    assert refused.exit_code == 1, refused.output
    assert "The next session date, Thursday 2 January 2020, is in the past." in flat(refused)
    assert asked.exit_code == 1, asked.output
    assert "Nothing was written." in flat(asked)
    no_file = prac / "nowhere.toml"
    absent = practitioner(
        prac,
        [*ASSIGN, "--custom", str(no_file), "--next-session", "2099-01-02", "--out", str(out)],
        stdin="",
    )
    assert absent.exit_code == 1, absent.output
    assert "There is no file called" in flat(absent)
    assert not out.exists()


def test_assign_refuses_two_custom_files_with_one_id(prac: Path) -> None:
    source = Path(__file__).parents[1] / "data" / "exercises" / "valid" / "minimal.toml"
    first, second = prac / "one.toml", prac / "two.toml"
    shutil.copy(source, first)
    shutil.copy(source, second)
    out = prac / "a.ospa"
    result = practitioner(
        prac,
        ["assign", "--participant", "P-0142", "--session", "2", "--custom", str(first),
         "--custom", str(second), "--next-session", "2099-01-02", "--out", str(out)],
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "Two custom files have the same exercise id" in flat(result)
    assert not out.exists()


def test_open_refuses_a_summary_for_another_key_before_unlocking(prac: Path) -> None:
    other = sealed_to_another(prac / "other.osps")
    out = prac / "other.html"
    result = practitioner(prac, ["open", str(other), "--html", str(out)])
    assert result.exit_code == 4, result.output
    assert "sealed for a different practitioner key" in flat(result)
    assert not out.exists()
    gone = practitioner(prac, ["open", str(prac / "gone.osps")], stdin="")
    assert gone.exit_code == 1 and "There is no file called" in flat(gone)


def test_evaluation_with_nothing_readable_writes_no_rows(prac: Path) -> None:
    junk = prac / "junk.osps"
    junk.write_bytes(b"not a summary at all")
    out = prac / "e.csv"
    result = practitioner(prac, ["evaluation", str(junk), "--csv", str(out)])
    assert result.exit_code == 4, result.output
    assert "osp: skipped" in result.output
    assert "None of the summaries could be read" in flat(result)
    assert not out.exists()


def test_evaluation_from_an_empty_caseload_is_refused_before_the_passphrase(
    prac: Path,
) -> None:
    result = practitioner(prac, ["evaluation", "--inbox", "--table"], stdin="")
    assert result.exit_code == 1, result.output
    assert "Your caseload is empty: no summaries have been received" in flat(result)


def test_receive_with_no_readable_file_asks_nothing(prac: Path) -> None:
    result = practitioner(prac, ["receive", str(prac / "a.osps"), str(prac / "b.osps")], stdin="")
    assert result.exit_code == 1, result.output
    assert result.output.count("osp: skipped") == 2
    assert "None of the files could be read, so nothing was stored." in flat(result)
    assert not (prac / "prac" / "practitioner" / "inbox.osp").exists()


def test_receive_of_summaries_for_another_key_makes_no_store(prac: Path) -> None:
    other = sealed_to_another(prac / "other.osps")
    result = practitioner(prac, ["receive", str(other), str(prac / "gone.osps")])
    assert result.exit_code == 1, result.output
    assert "sealed for a different practitioner key" in flat(result)
    assert "There is no file called" in flat(result)
    assert "None of the files could be read, so nothing was stored." in flat(result)
    assert not (prac / "prac" / "practitioner" / "inbox.osp").exists()


def test_caseload_commands_refuse_unknown_references_and_items(prac: Path) -> None:
    for args in (["caseload"], ["show", "P-0142"], ["discussed", "P-0142", "1"]):
        result = practitioner(prac, args, stdin="")
        assert result.exit_code == 1 and "Your caseload is empty" in flat(result), args
    mine = sealed_to_us(prac, prac / "mine.osps")
    assert practitioner(prac, ["receive", str(mine)]).exit_code == 0
    unknown = practitioner(prac, ["show", "P-9999"])
    assert unknown.exit_code == 1 and "There is nothing for P-9999" in flat(unknown)
    ref = make_summary().participant_ref
    no_item = practitioner(prac, ["discussed", ref, "99"])
    assert no_item.exit_code == 1 and "There is no flagged item 99" in flat(no_item)
    archived = practitioner(prac, ["archive", ref], stdin=f"{PRAC}\n{ref}\n")
    assert archived.exit_code == 0, archived.output
    empty = practitioner(prac, ["caseload"])
    assert empty.exit_code == 0, empty.output
    assert "Your caseload is empty. Add summaries with" in flat(empty)


def test_a_custom_exercise_that_is_not_utf8_is_refused(prac: Path) -> None:
    bad = prac / "bad.toml"
    bad.write_bytes(b'id = "caf\xe9"\n')
    out = prac / "a.ospa"
    result = practitioner(
        prac,
        ["assign", "--participant", "P-0142", "--session", "2", "--custom", str(bad),
         "--next-session", "2099-01-02", "--out", str(out)],
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "bad.toml: is not valid UTF-8" in flat(result)
    assert not out.exists()
    preview = run(["exercises", "preview", str(bad)])
    assert preview.exit_code == 1 and "bad.toml: is not valid UTF-8" in flat(preview)


def test_a_passphrase_with_no_terminal_and_no_input_says_what_it_was_for(tmp_path: Path) -> None:
    """Standard input already at its end: the message names what was being typed (not
    'Unlocking', which is wrong for a new passphrase), with exit 2 and no keys made."""
    with home(tmp_path / "new-prac"):
        result = run(["practitioner", "init"], stdin="")
    assert result.exit_code == 2, flat(result)
    assert "Typing your passphrase needs a terminal" in flat(result)
    assert not list((tmp_path / "new-prac").rglob("*.osppk"))
