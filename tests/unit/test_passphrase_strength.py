"""New passphrases are scored with zxcvbn (score 3 or more), with plain feedback that
never repeats the passphrase (issue 12.3)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from osp_cli.cli.app import app
from osp_cli.ui.strength import SUGGESTION, passphrase_problem

WEAK = ["P@ssw0rd123", "Summer2024!", "abcdefghij", "1q2w3e4r5t", "manchester"]
STRONG = ["correct horse battery staple", "a long and quiet evening walk"]


@pytest.mark.parametrize("weak", WEAK)
def test_the_weak_passphrases_of_the_review_are_refused(weak: str) -> None:
    problem = passphrase_problem(weak)
    assert problem is not None
    assert weak not in problem and weak.lower() not in problem.lower()
    assert SUGGESTION in problem and "four or more words" in problem


@pytest.mark.parametrize("strong", STRONG)
def test_sentences_pass(strong: str) -> None:
    assert passphrase_problem(strong) is None


def test_feedback_is_plain_and_specific() -> None:
    assert "run like abc" in (passphrase_problem("abcdefghij") or "")
    assert "Capital letters" in (passphrase_problem("P@ssw0rd123") or "")
    assert "passwords people use most" in (passphrase_problem("manchester") or "")


def test_a_very_long_passphrase_is_scored_quickly() -> None:
    import time

    started = time.monotonic()
    assert passphrase_problem("the river bends twice before the old mill " * 200) is None
    assert time.monotonic() - started < 5


def test_the_practitioner_key_passphrase_follows_the_same_rule(tmp_path: Path) -> None:
    weak = "\n".join(w for w in WEAK[:3]) + "\n"
    result = CliRunner().invoke(app, ["practitioner", "init"], input=weak)
    assert result.exit_code == 1, result.output
    assert result.output.count("too weak") == 3
    assert not any(w in result.output for w in WEAK)


def test_unlocking_does_not_import_the_estimator(new_workbook: object, tmp_path: Path) -> None:
    """zxcvbn is imported only where a passphrase is chosen (start-up budget)."""
    probe = (
        "import sys\n"
        "sys.argv = ['osp', 'list']\n"
        "from osp_cli.cli.app import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('ZXCVBN' if 'zxcvbn' in sys.modules else 'NONE')\n"
    )
    import os

    done = subprocess.run(
        [sys.executable, "-c", probe],
        input="correct horse battery staple\n",
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ},
    )
    assert done.stdout.strip().endswith("NONE"), done.stdout + done.stderr
