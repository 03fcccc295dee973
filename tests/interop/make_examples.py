"""Write docs/format-examples.md: one real file of each kind, made by osp's own commands.

Run from the repository root: ``python tests/interop/make_examples.py``. The interop test
(tests/interop/test_interop.py::test_worked_examples_open) opens every example in that
document with the independent reader, so the examples can never drift from the formats.
"""

from __future__ import annotations

import base64
import sys
import tempfile
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOC = HERE.parent.parent / "docs" / "format-examples.md"

_INTRO = """\
# Worked examples of every osp file

Real files, written by osp's own commands with made-up answers, so that a reader of
[formats.md](formats.md) and [vault-format.md](vault-format.md) can check each step
byte by byte. Made by `python tests/interop/make_examples.py`; the interop tests open
every example below with the independent reader (`tests/interop/osp_reader.py`), so
they always match the formats this version writes.

- Practitioner passphrase: `{prac}`
- Participant passphrase: `{part}`
- Participant recovery code: `{code}`

Each file is shown as its first bytes in hex, split into the documented fields, and then
whole in standard base64.
"""


def _hex(data: bytes) -> str:
    return data.hex(" ")


def _fields(name: str, blob: bytes) -> list[tuple[str, bytes]]:
    """The leading fields of each format, as the documents name them."""
    u32 = int.from_bytes
    if name == "keys.osppk" or name == "workbook.osp":
        h = u32(blob[6:10], "big")
        return [
            ("magic", blob[:5]),
            ("format version", blob[5:6]),
            (f"header length H = {h}", blob[6:10]),
            ("header (start)", blob[10 : min(10 + h, 42)]),
            (f"body length B = {u32(blob[10 + h : 14 + h], 'big')}", blob[10 + h : 14 + h]),
            ("checksum (last 32 bytes)", blob[-32:]),
        ]
    if name == "assignment.ospa":
        return [
            ("magic", blob[:5]),
            ("format version", blob[5:6]),
            ("signer's Ed25519 public key", blob[6:38]),
            (f"body length B = {u32(blob[38:42], 'big')}", blob[38:42]),
            ("body (start)", blob[42:74]),
            ("Ed25519 signature (last 64 bytes)", blob[-64:]),
        ]
    if name == "summary.osps":
        return [
            ("magic", blob[:5]),
            ("format version", blob[5:6]),
            ("recipient key id", blob[6:14]),
            (f"sealed length L = {u32(blob[14:18], 'big')}", blob[14:18]),
            ("HPKE encapsulated key", blob[18:50]),
        ]
    return []


def render() -> str:
    sys.path.insert(0, str(HERE))
    from cli_run import PART, PRAC
    from produce import produce

    with tempfile.TemporaryDirectory() as tmp:  # made-up answers, and ciphertext only
        made = produce(Path(tmp))
        files = {
            "keys.osppk": made.keys.read_bytes(),
            "assignment.ospa": made.assignment.read_bytes(),
            "summary.osps": made.summary.read_bytes(),
            "workbook.osp": made.workbook.read_bytes(),
        }
        csv_text = made.csv.read_text("utf-8")
        code = made.recovery_code
    parts = [_INTRO.format(prac=PRAC, part=PART, code=code)]
    for name, blob in files.items():
        parts.append(f"\n## {name} ({len(blob):,} bytes)\n\n| field | bytes (hex) |\n|---|---|")
        for label, chunk in _fields(name, blob):
            parts.append(f"| {label} | `{_hex(chunk)}` |")
        wrapped = "\n".join(textwrap.wrap(base64.b64encode(blob).decode("ascii"), 76))
        parts.append(f"\n```base64 {name}\n{wrapped}\n```")
    parts.append(f"\n## evaluation.csv\n\n```csv\n{csv_text}```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    DOC.write_text(render(), "utf-8")
    print(f"wrote {DOC}")
