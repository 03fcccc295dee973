"""osp makes one of each of its files, through its own commands, for the interop tests
and for the worked examples in docs/format-examples.md (tests/interop/make_examples.py)."""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Sequence
from pathlib import Path

from cli_run import PART, PRAC, run
from cli_run import home as osp_home
from typer.testing import Result

from osp_cli.workbook import model, service

ENTER = "\r"


def run_osp(args: Sequence[str], stdin: str = "", keys: Sequence[str] = ()) -> Result:
    result = run(args, stdin, keys)
    assert result.exit_code == 0, result.output
    return result


@dataclasses.dataclass
class Files:
    root: Path
    prac_home: Path
    recovery_code: str
    keys: Path
    assignment: Path
    summary: Path
    csv: Path
    workbook: Path


def produce(root: Path) -> Files:
    """One practitioner and one participant, through osp's own commands, under ``root``."""
    prac_home, part_home = root / "prac", root / "part"
    saved = os.environ.get("OSP_HOME")
    os.environ["OSP_HOME"] = str(part_home)
    try:
        with osp_home(prac_home):
            run_osp(["practitioner", "init"], stdin=f"{PRAC}\n{PRAC}\n")
            assignment = root / "a.ospa"
            run_osp(
                ["practitioner", "assign", "--participant", "P-0412", "--session", "2",
                 "--exercise", "hopes-and-fears", "--exercise", "programme-evaluation",
                 "--next-session", "2030-01-02", "--note", "Take your time",
                 "--out", str(assignment)],
                stdin=PRAC + "\n",
            )  # fmt: skip
        with osp_home(part_home):
            book, code = service.create(PART)
            run_osp(["import", str(assignment)], stdin=PART + "\n", keys=["y"])
            book.vault.reload()
            for change in (
                model.set_answer("hopes-and-fears", 1, "what-led-here", "Lonely, «quiet» days"),
                model.set_answer("hopes-and-fears", 1, "hopes", ["a calmer life", "honesty"]),
                model.set_answer("hopes-and-fears", 1, "readiness", 7),
                model.set_flag("hopes-and-fears", 1, "what-led-here", True),
                model.set_answer("programme-evaluation", 1, "overall", 4),
                model.set_answer("programme-evaluation", 1, "recommend", True),
                model.mark_complete("programme-evaluation", 1),
                model.add_checkin(4, 2, "steady", "manual"),
            ):
                book.save(change)
            time.sleep(1.1)  # check-in times have whole seconds
            book.save(model.add_checkin(8, 6, "hard evening", "manual"))
            summary = root / "s.osps"
            run_osp(
                ["export", "--out", str(summary)],
                stdin=PART + "\n",
                keys=[ENTER, "See you then" + ENTER, "y"],
            )
        with osp_home(prac_home):
            out_csv = root / "e.csv"
            run_osp(
                ["practitioner", "evaluation", str(summary), "--csv", str(out_csv)], PRAC + "\n"
            )
        return Files(
            root=root,
            prac_home=prac_home,
            recovery_code=code,
            keys=prac_home / "practitioner" / "keys.osppk",
            assignment=assignment,
            summary=summary,
            csv=out_csv,
            workbook=part_home / "workbook.osp",
        )
    finally:
        if saved is None:
            os.environ.pop("OSP_HOME", None)
        else:
            os.environ["OSP_HOME"] = saved
