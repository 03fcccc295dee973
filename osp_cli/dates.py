"""Dates as the participant (and practitioner) reads them: one plain British format.

``day("2026-12-03")`` is "Thursday 3 December 2026"; a timestamp also gets the time of
day, in this computer's local time: "Thursday 3 December 2026, 21:04". Text that is
not a date (it may come from a file made elsewhere) is returned through the safe-text
path, so it is shown, inert, never obeyed.
"""

from __future__ import annotations

import datetime as _dt
import re

from osp_cli.ui.safe import clean


def parse(stamp: str | None) -> _dt.datetime | None:
    """An ISO date or timestamp; a timestamp without a zone is taken as UTC."""
    if not stamp:
        return None
    try:
        value = _dt.datetime.fromisoformat(stamp)
    except (ValueError, TypeError):
        return None
    return value if value.tzinfo else value.replace(tzinfo=_dt.UTC)


def _is_timestamp(stamp: str) -> bool:
    return len(stamp.strip()) > 10


def _local(stamp: str) -> _dt.datetime | None:
    value = parse(stamp)
    if value is None:
        return None
    return value.astimezone() if _is_timestamp(stamp) else value


def day(stamp: str | None) -> str:
    """'Thursday 3 December 2026' (or the text itself if it is not a date; '' for none)."""
    if not stamp:
        return ""
    value = _local(stamp)
    if value is None:
        return clean(stamp, multiline=False)[:60]
    return f"{value:%A} {value.day} {value:%B %Y}"


def short_day(stamp: str | None) -> str:
    """'3 Dec 2026', for tables with many columns (the text itself if not a date)."""
    if not stamp:
        return ""
    value = _local(stamp)
    if value is None:
        return day(stamp)
    return f"{value.day} {value:%b %Y}"


def day_and_time(stamp: str | None) -> str:
    """'Thursday 3 December 2026, 21:04' (local time); a plain date gives just the day."""
    if not stamp:
        return ""
    value = _local(stamp)
    if value is None or not _is_timestamp(stamp):
        return day(stamp)
    return f"{day(stamp)}, {value:%H:%M}"


def check_new_date(text: str, what: str = "The date") -> tuple[_dt.date | None, str | None]:
    """A date typed as YYYY-MM-DD: the date, or a plain message saying what is wrong.

    A date that is written correctly but does not exist (31 February) gets its own
    message, so it is not mistaken for a typing-format problem."""
    found = re.fullmatch(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*", text or "")
    if found is None:
        return None, f"{what} must be written as YYYY-MM-DD, for example 2027-03-14."
    year, month, day_of_month = (int(part) for part in found.groups())
    if not 1 <= month <= 12:
        return None, f"{what} has month {month}: months run from 01 to 12."
    if not _dt.MINYEAR <= year <= _dt.MAXYEAR:
        return None, f"{what} has the year {year}. Please check the year."
    days = 31 if month == 12 else (_dt.date(year, month + 1, 1) - _dt.timedelta(days=1)).day
    if not 1 <= day_of_month <= days:
        name = _dt.date(year, month, 1).strftime("%B")
        return None, (
            f"There is no {day_of_month} {name} {year}: {name} {year} has {days} days. "
            "Please check the date."
        )
    return _dt.date(year, month, day_of_month), None


def is_past(value: _dt.date, today: _dt.date | None = None) -> bool:
    return value < (today or _dt.date.today())
