"""The step-by-step assignment: its running total, its date check, its command echo."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from osp_cli.dates import check_new_date
from osp_cli.ui.assign_wizard import Choices, _Total, date_problem, is_past


def test_running_total_follows_the_ticks() -> None:
    total = _Total({"a": 15, "b": 20, "c": 5})
    assert "0 ticked, about 0 minutes" in f" {total} "
    assert total.update(["a", "c"]) is True
    assert "2 ticked, about 20 minutes" in f" {total} "  # formatted afresh on each redraw
    assert isinstance(total.update([]), str)  # nothing ticked: a message, not a pass


def test_next_session_date_is_checked() -> None:
    today = _dt.date(2026, 11, 27)
    assert date_problem("2026-12-03", today) is None
    assert date_problem("2026-11-27", today) is None
    # A date that has passed is questioned by the wizard, not refused here.
    assert date_problem("2026-11-26", today) is None and is_past("2026-11-26", today)
    assert not is_past("2026-11-27", today)
    assert "YYYY-MM-DD" in (date_problem("3/12/2026", today) or "")
    assert "no 30 February 2026" in (date_problem("2026-02-30", today) or "")
    assert "There is no 31 February 2027" in (date_problem("2027-02-31", today) or "")
    assert "month 13" in (date_problem("2027-13-01", today) or "")
    assert "year" in (date_problem("2028-01-01", today) or "")


def test_choices_as_a_command() -> None:
    choices = Choices("P-0412", 2, ("life-timeline",), (Path("my file.toml"),), "2026-12-03",
                      "See you", Path("out.ospa"))  # fmt: skip
    assert choices.as_command() == (
        "osp practitioner assign --participant P-0412 --session 2 --exercise life-timeline "
        "--custom 'my file.toml' --next-session 2026-12-03 --note 'See you' --out out.ospa"
    )


def test_month_lengths_and_years_at_the_edges() -> None:
    """Month lengths come from the calendar, December and leap years included; a year
    the date library cannot hold gets a message, not a crash."""
    assert check_new_date("2028-02-29")[0] == _dt.date(2028, 2, 29)
    assert "29 February 2100: February 2100 has 28 days" in (check_new_date("2100-02-29")[1] or "")
    assert check_new_date("2027-12-31")[0] == _dt.date(2027, 12, 31)
    assert "December 2027 has 31 days" in (check_new_date("2027-12-32")[1] or "")
    assert "April 2027 has 30 days" in (check_new_date("2027-04-31")[1] or "")
    assert check_new_date("9999-12-31")[0] == _dt.date(9999, 12, 31)
    assert check_new_date("0000-01-01") == (None, "The date has the year 0. Please check the year.")
