"""'osp passphrase' and 'osp recover' re-encrypt under a new data key and issue a new
recovery code, and say what old copies elsewhere still open (issue 12.2)."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from osp_cli.cli.app import app
from osp_cli.errors import WrongPassphrase
from osp_cli.workbook import service

PASS = "correct horse battery staple"
NEW = "a quiet walk by the river at dawn"
CODE = re.compile(r"\b[0-9A-Z]{5}(?:-[0-9A-Z]{5}){4}\b")


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_passphrase_change_gives_a_new_code_and_revokes_the_old(
    new_workbook: tuple[object, str],
) -> None:
    _, old_code = new_workbook
    result = CliRunner().invoke(app, ["passphrase"], input=f"{PASS}\n{NEW}\n{NEW}\n")
    assert result.exit_code == 0, result.output
    codes = CODE.findall(result.output)
    assert len(codes) == 1 and codes[0] != old_code
    said = _flat(result.output)
    assert "still opens with your OLD passphrase or OLD recovery code" in said
    assert "Nothing you write from now on can be read with them" in said
    assert PASS not in result.output and NEW not in result.output
    assert service.open_with_recovery(codes[0]).payload
    for secret, opener in (
        (old_code, service.open_with_recovery),
        (PASS, service.open_with_passphrase),
    ):
        try:
            opener(secret)
        except WrongPassphrase:
            continue
        raise AssertionError("an old secret still opens the workbook")


def test_recover_issues_a_new_code(new_workbook: tuple[object, str]) -> None:
    _, old_code = new_workbook
    result = CliRunner().invoke(app, ["recover"], input=f"{old_code}\n{NEW}\n{NEW}\n")
    assert result.exit_code == 0, result.output
    [code] = CODE.findall(result.output.replace(old_code, ""))
    assert "old recovery code no longer opens" in _flat(result.output)
    assert service.open_with_recovery(code).payload
    again = CliRunner().invoke(app, ["recover"], input=f"{old_code}\n")
    assert again.exit_code == 3
