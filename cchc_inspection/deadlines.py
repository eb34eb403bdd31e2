"""The one place deadlines are computed.

A plan counts its deadlines in calendar days (the default) or in working days. Working
days follow the Vietnamese calendar as published by the maintained ``holidays`` library:
Saturdays and Sundays are off, so are public holidays (Tết included) and the days off
substituted from a weekend (e.g. 29/4/2024, worked on Saturday 04/5/2024); the Saturdays
that make up for a substituted day are counted as working days.
"""

import datetime
from functools import lru_cache

import holidays

CALENDAR = "calendar"
WORKING = "working"
COUNTRY = "VN"


@lru_cache(maxsize=64)
def _year_calendar(year):
    """(days off that are not weekends, weekend days that are worked) of one year."""
    calendar = holidays.country_holidays(COUNTRY, years=year, language="vi")
    days_off = {day: name for day, name in calendar.items() if day.year == year}
    make_up = frozenset(day for day in calendar.weekend_workdays if day.year == year)
    return days_off, make_up


def holiday_name(day):
    """The name of the public holiday or substituted day off on ``day``, or ""."""
    return _year_calendar(day.year)[0].get(day, "")


def is_working_day(day):
    """False on weekends (unless a make-up working Saturday), public holidays and days off."""
    days_off, make_up = _year_calendar(day.year)
    if day in make_up:
        return True
    return day.weekday() < 5 and day not in days_off


def shift(day, days, basis=CALENDAR):
    """The day ``days`` days after ``day`` (before it when negative), counted in ``basis``.

    In working days every step lands on a working day, so "3 working days before a
    Monday" skips the weekend and any holiday in between.
    """
    if basis != WORKING:
        return day + datetime.timedelta(days=days)
    step = datetime.timedelta(days=1 if days >= 0 else -1)
    remaining = abs(days)
    while remaining:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day


def report_deadline(plan, start_date):
    """The last day a unit may send its report: ``report_lead_days`` before ``start_date``.

    The seed says "gửi đoàn kiểm tra trước thời gian kiểm tra ít nhất 03 (ba) ngày"; the
    plan holds the number of days and whether they are calendar or working days.
    """
    if start_date is None:
        return None
    return shift(start_date, -plan.report_lead_days, plan.deadline_basis)


def basis_phrase(plan):
    """ "03 ngày làm việc" / "03 ngày" as a sentence about the rule would write it."""
    unit = "ngày làm việc" if plan.deadline_basis == WORKING else "ngày"
    return f"{plan.report_lead_days:02d} {unit}"
