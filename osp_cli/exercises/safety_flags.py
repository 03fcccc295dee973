"""The safety-flag rules: where the no-names and no-sexual-detail reminders must be set.

Each rule looks at one question and returns ``(field, message)`` pairs; the loader adds
the file, exercise and question to each. The rules:

* A question where something is typed (text, long_text, list, table) must carry the
  no-names reminder (``no_names = true``), unless the author opts out with a reason
  (``no_names_exempt = "..."``).
* In a ``sensitive = true`` exercise, each such question must also carry the
  no-sexual-detail reminder (``no_sexual_detail = true``).
* Neither flag (nor the opt-out) belongs on a question where nothing can be typed
  (choice, choices, scale, yes_no).
"""

from __future__ import annotations

from typing import NamedTuple

from osp_cli.exercises.model import Kind

__all__ = ["FLAG_KEYS", "TYPED_KINDS", "SafetyFlags", "filled_flags", "safety_flag_problems"]

TYPED_KINDS: frozenset[Kind] = frozenset({Kind.TEXT, Kind.LONG_TEXT, Kind.LIST, Kind.TABLE})
"""Kinds where the participant types words, so where names or detail could appear."""

FLAG_KEYS = ("no_names", "no_names_exempt", "no_sexual_detail")


class SafetyFlags(NamedTuple):
    """The flags as written in one question (``None``: the key is absent)."""

    no_names: bool | None
    no_names_exempt: str | None
    no_sexual_detail: bool | None


def _typed_only(kind: Kind, flags: SafetyFlags) -> list[tuple[str, str]]:
    problems = []
    for key in FLAG_KEYS:
        if getattr(flags, key) is not None:
            problems.append(
                (
                    key,
                    f"only for questions where something is typed (text, long_text, list, "
                    f"table); nothing can be typed in a {kind.value} question, so remove it",
                )
            )
    return problems


def _names(kind: Kind, flags: SafetyFlags) -> list[tuple[str, str]]:
    if flags.no_names_exempt is not None and flags.no_names is True:
        return [
            (
                "no_names_exempt",
                "cannot go with no_names = true; keep the reminder or the exemption, not both",
            )
        ]
    if flags.no_names is True or flags.no_names_exempt is not None:
        return []
    return [
        (
            "no_names",
            f"a {kind.value} question must set no_names = true (the reminder not to write "
            'names), or say why it cannot name anyone with no_names_exempt = "reason"',
        )
    ]


def _sexual_detail(kind: Kind, flags: SafetyFlags, sensitive: bool) -> list[tuple[str, str]]:
    if not sensitive or flags.no_sexual_detail is True:
        return []
    return [
        (
            "no_sexual_detail",
            f"a {kind.value} question in a sensitive exercise must set no_sexual_detail = true "
            "(the reminder not to write sexual detail)",
        )
    ]


def safety_flag_problems(
    kind: Kind, flags: SafetyFlags, *, sensitive: bool
) -> list[tuple[str, str]]:
    """Every safety-flag problem of one question, as ``(field, message)`` pairs."""
    if kind not in TYPED_KINDS:
        return _typed_only(kind, flags)
    return _names(kind, flags) + _sexual_detail(kind, flags, sensitive)


def filled_flags(kind: Kind, flags: SafetyFlags, *, sensitive: bool) -> SafetyFlags:
    """The flags with every missing reminder switched on and misplaced ones dropped.

    For exercises that were accepted before these rules (kept in a workbook, or sent in
    a signed assignment): they still load, and the participant still sees the reminders.
    """
    if kind not in TYPED_KINDS:
        return SafetyFlags(no_names=False, no_names_exempt=None, no_sexual_detail=False)
    exempt = flags.no_names_exempt if flags.no_names is not True else None
    return SafetyFlags(
        no_names=exempt is None,
        no_names_exempt=exempt,
        no_sexual_detail=flags.no_sexual_detail is True or sensitive,
    )
