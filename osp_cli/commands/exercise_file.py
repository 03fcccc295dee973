"""One exercise file someone wrote, read and checked: a custom exercise to embed in an
assignment, or one to preview (shared by 'osp practitioner assign' and
'osp exercises preview')."""

from __future__ import annotations

from pathlib import Path

from osp_cli import limits
from osp_cli.errors import ExerciseError
from osp_cli.exchange import files
from osp_cli.exercises.loader import parse_exercise
from osp_cli.exercises.model import Exercise
from osp_cli.ui.safe import path_text


def read(path: Path) -> tuple[Exercise, str]:
    """The exercise in ``path`` and its text (a leading byte-order mark dropped). Refuses a
    file that is missing, too large or not UTF-8; ExerciseError lists every problem."""
    raw = files.read_limited(path, limits.CUSTOM_EXERCISE_BYTES, "an exercise file")
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise ExerciseError([f"{path_text(path)}: is not valid UTF-8"]) from None
    return parse_exercise(text, path_text(path)), text
