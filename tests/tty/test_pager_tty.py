"""The catalogue (osp list) and the plan are longer than the screen, so they go through
the pager: judged through pyte at 80x24 and 40x20, the first screen shows their top,
search finds a later part, q finishes, and nothing is written to disk."""

from __future__ import annotations

import io
from pathlib import Path

import pexpect
import pytest
from pty_osp import finish, spawn_osp

from osp_cli.workbook import service

pyte = pytest.importorskip("pyte")
pytestmark = [pytest.mark.tty, pytest.mark.timeout(240)]

PASSPHRASE = "a long and quiet evening walk"
SIZES = [(24, 80), (20, 40)]
BOX = str.maketrans("", "", "│╭╮╰╯─")
# command, the words at its top, a part further down (and what to search for to find it)
LONG = [
    ("list", "Session 1 hopes-and-fears", "Your view of the programme", "programme-evaluation"),
    ("plan", "My plan Built from your own answers.", "What I am working towards",
     "working towards"),
]  # fmt: skip


def _screen(drawn: io.StringIO, size: tuple[int, int]) -> list[str]:
    screen = pyte.Screen(size[1], size[0])
    pyte.Stream(screen).feed(drawn.getvalue())
    return [line.rstrip() for line in screen.display]


def _words(lines: list[str]) -> str:
    return " ".join(" ".join(lines).translate(BOX).split())


@pytest.mark.parametrize(("command", "top", "later", "word"), LONG, ids=["list", "plan"])
@pytest.mark.parametrize("size", SIZES, ids=["80x24", "40x20"])
def test_long_screens_open_at_their_top_in_the_pager(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    size: tuple[int, int],
    command: str,
    top: str,
    later: str,
    word: str,
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("OSP_HOME", str(home))
    service.create(PASSPHRASE)
    for folder in ("tmp", "cwd"):
        (tmp_path / folder).mkdir()
    before = {p for p in tmp_path.rglob("*") if p.is_file()}
    child = spawn_osp(home, command, root=tmp_path, cwd=tmp_path / "cwd", dimensions=size)
    child.expect_exact("Passphrase: ")
    drawn = io.StringIO()
    child.logfile_read = drawn
    child.send(PASSPHRASE + "\n")
    child.expect_exact("q: finish")
    child.expect(pexpect.TIMEOUT, timeout=0.5)
    lines = _screen(drawn, size)
    assert "q: finish" in lines[-1]  # the pager's status line
    assert _words(lines[:-1]).startswith(top), lines
    assert later not in _words(lines)
    if command == "plan":  # its parts are boxes at 80 columns, plain text below 60
        assert any("╭" in line for line in lines) == (size[1] >= 60), lines
    child.send("/")
    child.expect_exact("Find:")
    child.send(word + "\r")
    child.expect_exact("Found on line")
    child.expect(pexpect.TIMEOUT, timeout=0.5)
    assert word in _words(_screen(drawn, size)[:-1])
    child.send("q")
    assert finish(child) == 0
    new = {p for p in tmp_path.rglob("*") if p.is_file()} - before
    assert not [p for p in new if p.parent != home], new  # no history, no temporary file


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "40x20"])
def test_the_export_preview_is_paged_from_its_top_before_sealing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    from osp_cli import crypto
    from osp_cli.workbook import model

    home = tmp_path / "home"
    monkeypatch.setenv("OSP_HOME", str(home))
    workbook, _code = service.create(PASSPHRASE)
    keys = crypto.new_key_pairs()

    def setup(payload: model.Payload) -> None:
        payload.practitioner = model.PractitionerPin(
            x25519=crypto.b64e(keys.x25519_public),
            ed25519=crypto.b64e(keys.ed25519_public),
            fingerprint=crypto.fingerprint(keys.x25519_public, keys.ed25519_public),
            pinned=model.now(),
        )
        model.set_answer("hopes-and-fears", 1, "what-led-here", "a first answer")(payload)
        model.set_answer("hopes-and-fears", 1, "hopes", [f"hope {n}" for n in range(8)])(payload)
        model.set_answer("warning-signs", 1, "thoughts", ["the last answer of all"])(payload)

    workbook.save(setup)
    for folder in ("tmp", "cwd"):
        (tmp_path / folder).mkdir()
    out = tmp_path / "cwd" / "summary.osps"
    child = spawn_osp(home, "export", "--out", str(out), root=tmp_path, cwd=tmp_path / "cwd",
                      dimensions=size)  # fmt: skip
    child.expect_exact("Passphrase: ")
    child.send(PASSPHRASE + "\n")
    child.expect_exact("summary?")
    child.send("\r")  # what is new is ticked
    child.expect_exact("skip):")
    drawn = io.StringIO()
    child.logfile_read = drawn
    child.send("\r")  # no note
    child.expect_exact("q: finish")
    child.expect(pexpect.TIMEOUT, timeout=0.5)
    lines = _screen(drawn, size)
    shown = _words(lines[:-1])
    assert "Hopes and fears" in shown and "the last answer of all" not in shown, lines
    child.send("/")
    child.expect_exact("Find:")
    child.send("last answer\r")
    child.expect_exact("Found on line")
    child.send("q")
    child.expect_exact("save it?")
    child.send("y")
    child.expect_exact("Saved your sealed summary")
    assert finish(child) == 0
    assert out.exists()
