"""Make the schema 1 workbook fixture (run once, with the code that wrote schema 1).

    python tests/data/workbook-v1/make_fixture.py

It drives the real commands and use-cases of osp as they stood before typed records
(commit 9e79a91): a practitioner key pair, a signed assignment with a custom exercise,
``osp import``, answers of every kind, a flag, skips, a list still being filled in, a
closing reflection, check-ins and a sealed ``osp export``. It writes, next to itself:

- ``workbook.osp``   the encrypted workbook (schema 1 payload);
- ``passphrase.txt`` its passphrase (a test passphrase, nothing real);
- ``payload.json``   the decrypted schema 1 payload, so the migration test can check that
  every answer, flag, skip, check-in and export survives.

Everything in it is invented test data.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
PASSPHRASE = "fixture horse battery staple"
PRAC = "fixture practitioner phrase"
CUSTOM = HERE.parent / "exercises" / "valid" / "all-kinds.toml"


def _run(home: Path, args: Sequence[str], stdin: str = "", keys: str = "") -> str:
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput
    from typer.testing import CliRunner

    from osp_cli.cli.app import app
    from osp_cli.ui.console import reset_console

    os.environ["OSP_HOME"] = str(home)
    reset_console()
    with create_pipe_input() as inp:
        inp.send_text(keys)
        inp.close()
        with create_app_session(input=inp, output=DummyOutput()):
            result = CliRunner().invoke(app, list(args), input=stdin)
    if result.exit_code != 0:
        raise SystemExit(f"osp {' '.join(args)} failed:\n{result.output}")
    return result.output


def main() -> None:
    from osp_cli.exercises.loader import parse_exercise
    from osp_cli.workbook import model, service
    from osp_cli.workbook.runner import Runner

    work = Path(tempfile.mkdtemp())
    try:
        prac, part = work / "prac", work / "part"
        _run(prac, ["practitioner", "init"], stdin=f"{PRAC}\n{PRAC}\n")
        ospa = work / "s1.ospa"
        _run(
            prac,
            ["practitioner", "assign", "--participant", "P-0777", "--session", "1",
             "--exercise", "hopes-and-fears", "--exercise", "urge-diary",
             "--custom", str(CUSTOM), "--next-session", "2030-02-03",
             "--note", "Take it slowly", "--out", str(ospa)],
            stdin=f"{PRAC}\n",
        )  # fmt: skip

        os.environ["OSP_HOME"] = str(part)
        workbook, _code = service.create(PASSPHRASE)
        _run(part, ["import", str(ospa)], stdin=f"{PASSPHRASE}\n", keys="y")
        workbook.vault.reload()

        # The custom exercise: every kind of question, a skip, a flag, a reflection.
        custom = parse_exercise(CUSTOM.read_text("utf-8"), "fixture")
        runner = Runner(workbook, custom)
        q = custom.question
        for qid, value in [
            ("name-it", "uneasy"),
            ("mood", "tense"),
            ("helpers", ["walking", "music"]),
            ("strength", 8),
            ("talked", True),
            ("who", "my brother"),
            ("why-tense", "Work was piling up\nand I slept badly."),
            ("music-kind", "old soul records"),
            ("strong", "I went out for a walk."),
            ("signs", ["staying up late", "keeping secrets"]),
            (
                "steps",
                {
                    "Before": {"Thought": "nobody cares", "Action": "sat alone"},
                    "During": {"Thought": "just this once", "Action": "closed the laptop"},
                    "After": {"Thought": "I can do this", "Action": "rang my brother"},
                },
            ),
        ]:
            problem = runner.answer(q(qid), value)
            assert problem is None, (qid, problem)
        assert runner.skip(q("story")) is None
        runner.toggle_flag(q("strength"))
        runner.toggle_flag(q("signs"))
        runner.set_reflection("That the walk really helped.")
        runner.checkin(6, 3, "before the hard one", "before")
        runner.complete()
        runner.checkin(3, 1, "", "after")

        # A built-in exercise in progress: one answer, a list still being filled in.
        builtin = workbook.exercises()
        hopes = Runner(workbook, builtin["hopes-and-fears"])
        hq = builtin["hopes-and-fears"].question
        assert hopes.answer(hq("what-led-here"), "I want to understand what happened.") is None
        hopes.save_partial(hq("hopes"), ["to feel calmer", "to be trusted again"])
        hopes.toggle_flag(hq("what-led-here"))

        # The urge diary done once (it becomes repeatable in schema 2).
        diary = Runner(workbook, builtin["urge-diary"])
        dq = builtin["urge-diary"].question
        for qid, value in [
            ("had-urge", True),
            ("situation", "Late at night, tired and fed up."),
            ("urge-peak", 7),
            ("what-i-did", "Put the phone in another room."),
            ("steps-used", ["Put the device away", "Read my plan"]),
            ("urge-after", 2),
        ]:
            assert diary.answer(dq(qid), value) is None, qid
        assert diary.skip(dq("use-again")) is None
        diary.complete()

        workbook.save(model.add_checkin(5, 4, "an ordinary week", "manual"))
        workbook.save(model.add_checkin(8, 2, "rough day", "manual"))

        # A real sealed export of everything (Enter takes the default choice).
        _run(
            part,
            ["export", "--out", str(work / "summary.osps")],
            stdin=f"{PASSPHRASE}\n",
            keys="\r" + "See you soon\r" + "y",
        )
        from osp_cli.vault.store import Vault

        payload = Vault.open(service.workbook_file(), PASSPHRASE).payload  # the JSON as stored
        assert payload["schema"] == 1 and payload["exports"], payload.keys()

        shutil.copyfile(service.workbook_file(), HERE / "workbook.osp")
        (HERE / "passphrase.txt").write_text(PASSPHRASE + "\n", encoding="utf-8")
        (HERE / "payload.json").write_text(
            json.dumps(payload, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
            encoding="utf-8",
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"wrote {HERE / 'workbook.osp'}", file=sys.stderr)


if __name__ == "__main__":
    main()
