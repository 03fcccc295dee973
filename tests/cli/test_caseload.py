"""The practitioner's caseload: receive into the encrypted inbox, list, show, mark items
discussed, archive. Passphrases (and the lines asked for after them) come through
standard input, as in scripts."""

from __future__ import annotations

import dataclasses
import stat
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

import pytest
from cli_run import home
from exchange_data import payload_with_answers
from typer.testing import CliRunner, Result

from osp_cli.cli.app import app
from osp_cli.exchange import keystore, sealed
from osp_cli.exchange import summary as summary_mod
from osp_cli.exchange.summary import Summary
from osp_cli.workbook import model

PRAC = "practitioner secret phrase"
CANARY = "canary-7f3a9c-answer-text"
NOTE_CANARY = "canary-private-note-51be"


def osp(tmp: Path, args: Sequence[str], stdin: str = PRAC + "\n") -> Result:
    from osp_cli.ui.console import reset_console

    reset_console()
    with home(tmp / "prac"):
        # A wide terminal, so that each caseload line is one line of output.
        return CliRunner().invoke(app, ["practitioner", *args], input=stdin, env={"COLUMNS": "160"})


def flat(result: Result) -> str:
    return " ".join(result.output.split())


@pytest.fixture(scope="module")
def prac(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Practitioner keys made once for the module (key derivation is slow on purpose)."""
    tmp = tmp_path_factory.mktemp("caseload")
    result = osp(tmp, ["init"], stdin=f"{PRAC}\n{PRAC}\n")
    assert result.exit_code == 0, result.output
    return tmp


@pytest.fixture
def fresh(prac: Path, tmp_path: Path) -> Path:
    """A copy of the practitioner folder with no inbox yet."""
    import shutil

    shutil.copytree(prac / "prac", tmp_path / "prac")
    return tmp_path


def make_summary(
    ref: str,
    ratings: Sequence[tuple[int, int]],
    day: int,
    text: str,
    next_session: str = "2030-04-20",
) -> Summary:
    from osp_cli.exercises.catalogue import builtin_exercises

    payload = payload_with_answers()
    payload.participant_ref = ref
    payload.checkins = []
    model.set_answer("hopes-and-fears", 1, "what-led-here", text)(payload)
    for i, (upset, urge) in enumerate(ratings):
        at = f"2026-03-{day:02d}T2{i}:00:00+00:00"
        payload.checkins.append(model.CheckIn(at, upset, urge, "", "manual"))
    made = summary_mod.build(
        payload,
        builtin_exercises(),
        ["hopes-and-fears", "warning-signs"],
        "",
        osp_version="test",
        now=f"2026-03-{day:02d}T23:30:00+00:00",
    )
    return dataclasses.replace(made, next_session=next_session)


def seal_to(tmp: Path, summary: Summary, name: str) -> Path:
    key_file = tmp / "prac" / "practitioner" / "keys.osppk"
    info = keystore.public_info(key_file.read_bytes())
    path = tmp / name
    path.write_bytes(sealed.seal(summary.to_bytes(), info.x25519_public))
    return path


def inbox_count(tmp: Path) -> int:
    from osp_cli.inbox.store import InboxStore

    with home(tmp / "prac"):
        return len(InboxStore.open(PRAC).inbox.summaries)


def test_receive_three_summaries_for_two_participants(fresh: Path) -> None:
    # His first summary named 5 March as the next session: that session has passed.
    first = make_summary("P-0001", [(3, 2), (4, 1)], 2, CANARY, next_session="2026-03-05")
    calm_1 = seal_to(fresh, first, "a.osps")
    calm_2 = seal_to(fresh, make_summary("P-0001", [(2, 2)], 9, "later"), "b.osps")
    high = seal_to(fresh, make_summary("P-0002", [(2, 1), (9, 6)], 5, "hard"), "c.osps")
    result = osp(fresh, ["receive", str(calm_1), str(calm_2), str(high)])
    assert result.exit_code == 0, result.output
    assert "Stored 3 new summaries (P-0001, P-0002)" in flat(result)

    # The same file again, and the same summary sealed a second time: stored once.
    again = seal_to(fresh, first, "a2.osps")
    result = osp(fresh, ["receive", str(calm_1), str(again)])
    assert result.exit_code == 0, result.output
    assert "2 were already in your caseload" in flat(result)
    assert inbox_count(fresh) == 3

    listed = osp(fresh, ["caseload"])
    assert listed.exit_code == 0, listed.output
    rows = [line for line in listed.output.splitlines() if "P-000" in line]
    assert len(rows) == 2
    assert "P-0002" in rows[0] and "9/10" in rows[0]  # the high check-in comes first
    assert "P-0001" in rows[1] and "2/10" in rows[1]  # highest since the last session
    assert "not signed" in rows[0]

    # The inbox is encrypted and private: no answer, reference or passphrase in any file.
    folder = fresh / "prac" / "practitioner"
    inbox = folder / "inbox.osp"
    assert inbox.exists() and stat.S_IMODE(inbox.stat().st_mode) == 0o600
    for path in (fresh / "prac").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for secret in (CANARY, "P-0002", PRAC, "hopes-and-fears"):
                assert secret.encode() not in data, (path.name, secret)


def test_caseload_needs_the_right_passphrase(fresh: Path) -> None:
    path = seal_to(fresh, make_summary("P-0003", [(1, 1)], 3, "x"), "x.osps")
    assert osp(fresh, ["receive", str(path)]).exit_code == 0
    wrong = osp(fresh, ["caseload"], stdin="not the passphrase\n")
    assert wrong.exit_code == 3
    assert "P-0003" not in wrong.output


def test_show_discuss_and_archive(fresh: Path) -> None:
    first = make_summary("P-0004", [(5, 4), (8, 3)], 2, "what I wrote first")
    path = seal_to(fresh, first, "s.osps")
    assert osp(fresh, ["receive", str(path)]).exit_code == 0

    shown = osp(fresh, ["show", "P-0004"])
    assert shown.exit_code == 0, shown.output
    text = flat(shown)
    assert "what I wrote first" in text and "[to discuss]" in text
    assert "Check-ins over time" in text and "The plan now" in text

    listed = osp(fresh, ["caseload"])
    assert "1 to discuss" in flat(listed)
    marked = osp(fresh, ["discussed", "P-0004", "1"], stdin=f"{PRAC}\n{NOTE_CANARY}\n")
    assert marked.exit_code == 0, marked.output
    listed = osp(fresh, ["caseload"])
    assert "1 to discuss" not in flat(listed) and "none" in flat(listed)
    shown = osp(fresh, ["show", "P-0004"])
    assert NOTE_CANARY in flat(shown) and "[discussed" in flat(shown)
    for file in (fresh / "prac").rglob("*"):
        if file.is_file():
            assert NOTE_CANARY.encode() not in file.read_bytes()

    page = fresh / "history.html"
    written = osp(fresh, ["show", "P-0004", "--html", str(page)])
    assert written.exit_code == 0, written.output
    html = page.read_text(encoding="utf-8")
    ET.fromstring(html.split("\n", 1)[1])  # noqa: S314  (our own output, well formed)
    assert "<svg" in html and "Participant P-0004" in html and NOTE_CANARY in html
    assert "<script" not in html.lower()

    # Evaluation rows from the inbox, on screen; it needs somewhere to read and to write.
    rows = osp(fresh, ["evaluation", "--inbox", "--table"])
    assert rows.exit_code == 0, rows.output
    assert "P-0004" in rows.output and "checkin" in rows.output
    assert "2026-03-02 21:00" in rows.output  # the upset 8 check-in
    assert "Rows from 1 summary." in flat(rows)
    assert osp(fresh, ["evaluation", "--table"], stdin="").exit_code == 2
    assert osp(fresh, ["evaluation", "--inbox"], stdin="").exit_code == 2

    # Archiving asks for the reference again; a wrong answer removes nothing.
    kept = osp(fresh, ["archive", "P-0004"], stdin=f"{PRAC}\nP-9999\n")
    assert kept.exit_code == 0 and "Nothing was removed" in flat(kept)
    assert inbox_count(fresh) == 1
    gone = osp(fresh, ["archive", "P-0004"], stdin=f"{PRAC}\nP-0004\n")
    assert gone.exit_code == 0, gone.output
    assert "Removed 1 summary" in flat(gone)
    assert inbox_count(fresh) == 0
    folder = fresh / "prac" / "practitioner"
    assert not list(folder.glob("inbox.osp.bak*"))  # older copies held him too
    missing = osp(fresh, ["show", "P-0004"])
    assert missing.exit_code == 1 and "nothing for P-0004" in flat(missing)


def test_no_caseload_yet_is_said_before_the_passphrase(fresh: Path) -> None:
    result = osp(fresh, ["caseload"], stdin="")  # no passphrase given, none asked for
    assert result.exit_code == 1
    assert "Your caseload is empty" in flat(result) and "receive" in flat(result)
