"""Use-cases on an unlocked workbook. Return data; never print or prompt."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from osp_cli import paths
from osp_cli.errors import UserError
from osp_cli.exercises.catalogue import builtin_exercises
from osp_cli.exercises.files import closest
from osp_cli.exercises.loader import parse_exercise
from osp_cli.ui.safe import clean
from osp_cli.vault.layout import workbook_exists
from osp_cli.vault.store import Vault
from osp_cli.workbook import model
from osp_cli.workbook.identity import add_signing_key

if TYPE_CHECKING:
    from osp_cli.exercises.model import Exercise
    from osp_cli.vault.store import Vault


@dataclass
class Workbook:
    """An unlocked workbook: the vault plus the exercise catalogue it can see.

    The vault keeps the typed records (``model.CODEC``): read from the file (migrating an
    older schema) with the saves in its journal applied, and always written in the newest
    schema."""

    vault: Vault[model.Payload]
    _seen: tuple[int, int, int] | None = field(default=None, repr=False)
    _exercises: dict[str, Exercise] = field(default_factory=dict, repr=False)

    @property
    def payload(self) -> model.Payload:
        return self.vault.payload

    def save(self, change: model.Change) -> None:
        """Apply one change and write it durably before returning: one journal record for
        an :class:`~osp_cli.workbook.model.Edit`, a full write for anything else."""
        self.vault.update(change)

    def exercises(self) -> dict[str, Exercise]:
        """Built-in exercises plus custom ones that arrived in assignments.

        Built once per version of the workbook, and each custom exercise is parsed once
        per process (``_parse_custom``), so a lookup costs the same with 10 custom
        exercises or 1,000. Treat the result as read-only."""
        customs = self.payload.custom_exercises
        seen = (id(customs), len(customs), self.vault.header.generation)
        if seen != self._seen:
            found = dict(builtin_exercises())
            for exercise_id, text in sorted(customs.items()):
                found[exercise_id] = _parse_custom(exercise_id, text)
            self._exercises, self._seen = found, seen
        return self._exercises

    def exercise(self, exercise_id: str) -> Exercise:
        known = self.exercises()
        found = known.get(exercise_id)
        if found is None:
            close = closest(exercise_id, list(known))
            also = f"Did you mean '{close}'? " if close else ""
            raise UserError(
                f"There is no exercise called '{_inert(exercise_id)}'.",
                hint=f"{also}Run 'osp list' to see the exercises and their ids.",
            )
        return found

    def answers(self, exercise_id: str) -> dict[str, Any]:
        return model.answers_of(self.payload, exercise_id)


@functools.cache
def _parse_custom(exercise_id: str, text: str) -> Exercise:
    """A custom exercise from its TOML text, parsed once per process (exercises are
    immutable, so one parsed copy can be shared)."""
    return parse_exercise(text, f"assignment:{exercise_id}", fill_safety_flags=True)


def _inert(value: str) -> str:
    return clean(value, multiline=False)[:60]


def workbook_file() -> Path:
    return paths.workbook_path()


def create(passphrase: str) -> tuple[Workbook, str]:
    paths.ensure_home()
    payload = model.new_payload()
    add_signing_key(payload)
    vault, code = Vault.create(workbook_file(), passphrase, payload, model.CODEC)
    return Workbook(vault), code


def open_with_passphrase(passphrase: str) -> Workbook:
    return Workbook(Vault.open(workbook_file(), passphrase, model.CODEC))


def open_with_recovery(code: str) -> Workbook:
    return Workbook(Vault.open_with_recovery(workbook_file(), code, model.CODEC))


def exists() -> bool:
    return workbook_exists(workbook_file())
