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


def test_history_shows_entries_over_time() -> None:
    import dataclasses

    from exchange_data import make_summary

    from osp_cli.inbox.records import Inbox, Received, digest_of

    first = make_summary()
    exercise = first.exercises[0]
    changed = dataclasses.replace(
        exercise,
        completed="2026-03-20T20:00:00+00:00",
        questions=(
            dataclasses.replace(exercise.questions[0], answer="A new week, a new entry."),
            *exercise.questions[1:],
        ),
    )
    later = dataclasses.replace(
        first, created="2026-03-21T10:00:00+00:00", exercises=(changed, *first.exercises[1:])
    )

    def inbox(*summaries: object) -> Inbox:
        return Inbox(tuple(Received(digest_of(s), "", "", s) for s in summaries))  # type: ignore[arg-type]

    found = caseload.history(inbox(first, later), "P-0142")
    assert found is not None
    assert [(title, len(entries)) for title, entries in found.repeated] == [(exercise.title, 2)]
    assert found.repeated[0][1][1].questions[0].answer == "A new week, a new entry."
    # The exercise is listed once, as its latest copy; unchanged exercises have no entries.
    listed = [e for _label, group in found.exercises_by_session for e in group]
    assert [e.id for e in listed].count(exercise.id) == 1 and changed in listed
    same = caseload.history(inbox(first), "P-0142")
    assert same is not None and same.repeated == ()


def _shown(renderable: object, width: int) -> str:
    import io

    from rich.console import Console

    out = Console(file=io.StringIO(), width=width, color_system=None)
    out.print(renderable)
    text = out.file.getvalue()  # type: ignore[attr-defined]
    assert isinstance(text, str)
    return text


def test_caseload_table_fits_80_columns_without_breaking_words() -> None:
    from osp_cli.report.caseload_view import HEADINGS, caseload_table

    lines = [line("P-0412", highest=9, open_items=2), line("P-0413", self_harm=True)]
    text = _shown(caseload_table(lines, 80), 80)
    assert max(len(row) for row in text.splitlines()) <= 80
    words = " ".join(text.replace("│", " ").replace("─", " ").split())
    for heading in HEADINGS:
        for word in heading.split():
            assert word in words, word  # "Self-harm", not "Self-har" / "m"
    assert "signed" in words and "discuss" in words


def test_caseload_on_a_narrow_screen_is_one_block_each() -> None:
    from osp_cli.report.caseload_view import caseload_table

    text = _shown(caseload_table([line("P-0412", highest=9)], 40), 40)
    assert "P-0412\n  Last summary:" in text and "  Highest: 9/10" in text
    assert "│" not in text
