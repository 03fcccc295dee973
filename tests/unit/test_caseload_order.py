"""Who needs attention first: the caseload's order, and what counts since the last session."""

from __future__ import annotations

import datetime as _dt

from osp_cli.inbox import caseload
from osp_cli.inbox.caseload import CaseLine
from osp_cli.workbook.progress import CheckIn


def line(ref: str, **changes: object) -> CaseLine:
    values: dict[str, object] = {
        "participant_ref": ref,
        "last_summary": "2026-03-01T10:00:00+00:00",
        "last_session": 2,
        "summaries": 1,
        "next_session": "2026-04-01",
        "open_items": 0,
        "highest": 3,
        "self_harm": False,
        "verification": caseload.NOT_SIGNED,
    }
    values.update(changes)
    return CaseLine(**values)  # type: ignore[arg-type]


def test_attention_order() -> None:
    lines = [
        line("P-calm"),
        line("P-soon", next_session="2026-03-20"),
        line("P-talk", open_items=3),
        line("P-high", highest=8),
        line("P-key", verification=caseload.DIFFERENT_KEY + ": do not rely on this"),
        line("P-harm", self_harm=True, highest=2),
        line("P-none", highest=None),
    ]
    ordered = [x.participant_ref for x in sorted(lines, key=CaseLine.attention)]
    assert ordered == ["P-harm", "P-key", "P-high", "P-talk", "P-soon", "P-calm", "P-none"]


def test_only_checkins_since_the_last_session_count() -> None:
    def at(day: int, upset: int) -> CheckIn:
        return CheckIn(f"2026-03-{day:02d}T20:00:00+00:00", upset, 0, "", "manual")

    checkins = [at(1, 9), at(10, 4), at(12, 2)]
    since = caseload.since_last_session(checkins, _dt.date(2026, 3, 5))
    assert [c.feeling for c in since] == [4, 2]
    assert caseload.since_last_session(checkins, None) == checkins
