"""Every size limit in one place: what a person may type, and what a reader accepts.

The prompts refuse text over a limit (the text stays in the box, nothing is lost), the
export checks a summary against the same limits before sealing it, the readers refuse a
file over them before parsing it, and the exercise JSON Schema quotes them. So anything
osp lets a participant write, his practitioner can open. Characters are Unicode code
points (what Python's ``len`` counts).
"""

from __future__ import annotations

#: One text or long-text answer, or a closing reflection.
ANSWER_CHARS = 20_000
#: A check-in note, the note to the practitioner, an assignment's note.
NOTE_CHARS = 2_000
#: One item of a list answer.
LIST_ITEM_CHARS = 1_000
#: One box of a table answer.
TABLE_CELL_CHARS = 2_000
#: Author text in an exercise (a prompt, help, an option, a row or column name...).
EXERCISE_TEXT_CHARS = 20_000
#: A participant reference (also checked for shape: see exchange/assignment.py).
REF_CHARS = 32

#: The summary JSON inside a sealed summary. A summary over this is refused at export,
#: with a message suggesting fewer exercises at a time; readers refuse it before parsing,
#: which keeps their memory use bounded whatever the file holds.
SUMMARY_BYTES = 4 * 1024 * 1024
#: A whole sealed summary file: 18 bytes of framing, the signer's key and signature (96),
#: a summary at its limit padded to 4 KiB, the HPKE encapsulated key (32) and tag (16).
SEALED_SUMMARY_BYTES = 18 + 96 + SUMMARY_BYTES + 4096 + 32 + 16
#: An assignment's signed JSON body (custom exercises embedded).
ASSIGNMENT_BYTES = 4 * 1024 * 1024
#: A whole assignment file: 42 bytes of framing and the signer's key, the body at its
#: limit, the 64-byte signature.
ASSIGNMENT_FILE_BYTES = 42 + ASSIGNMENT_BYTES + 64
#: One custom exercise file (TOML).
CUSTOM_EXERCISE_BYTES = 256 * 1024


def too_long(text: str, limit: int, what: str) -> str | None:
    """A plain message if ``text`` is over ``limit`` characters, else None."""
    if len(text) <= limit:
        return None
    return (
        f"{what} is too long: it can be up to {limit:,} characters, and this is "
        f"{len(text):,}. Please shorten it. Nothing has been saved yet."
    )
