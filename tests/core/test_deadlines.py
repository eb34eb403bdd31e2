"""Deadline arithmetic: calendar days, and working days across Tết and substituted days off."""

import datetime
import types

from cchc_inspection import deadlines

D = datetime.date


def plan(days=3, basis="calendar"):
    return types.SimpleNamespace(report_lead_days=days, deadline_basis=basis)


def test_calendar_days_count_every_day():
    # Monday 12/02/2024 is the third day of Tết, but calendar days do not care.
    assert deadlines.report_deadline(plan(3), D(2024, 2, 15)) == D(2024, 2, 12)
    assert deadlines.shift(D(2023, 12, 30), 3) == D(2024, 1, 2)


def test_working_days_skip_tet_2024():
    # Tết Giáp Thìn: 08/02 to 14/02/2024 off; 15/02 is the first working day after it.
    assert not deadlines.is_working_day(D(2024, 2, 8))
    assert not deadlines.is_working_day(D(2024, 2, 14))
    assert deadlines.is_working_day(D(2024, 2, 15))
    assert deadlines.report_deadline(plan(1, "working"), D(2024, 2, 15)) == D(2024, 2, 7)
    assert deadlines.report_deadline(plan(3, "working"), D(2024, 2, 15)) == D(2024, 2, 5)


def test_substituted_day_off_and_its_make_up_saturday():
    # 29/4/2024 (Monday) was given off in exchange for working Saturday 04/5/2024.
    assert not deadlines.is_working_day(D(2024, 4, 29))
    assert "04/05/2024" in deadlines.holiday_name(D(2024, 4, 29))
    assert deadlines.is_working_day(D(2024, 5, 4))
    # One working day before Thursday 02/5: 1/5, 30/4, 29/4 off, then the weekend.
    assert deadlines.shift(D(2024, 5, 2), -1, "working") == D(2024, 4, 26)
    # Three working days before Monday 06/5 count the make-up Saturday.
    assert deadlines.report_deadline(plan(3, "working"), D(2024, 5, 6)) == D(2024, 5, 2)


def test_ordinary_weekends_are_off_and_forward_counting_works():
    assert not deadlines.is_working_day(D(2023, 6, 17))  # a Saturday
    assert deadlines.shift(D(2023, 6, 16), 1, "working") == D(2023, 6, 19)
    assert deadlines.shift(D(2023, 6, 19), -3, "working") == D(2023, 6, 14)


def test_rule_phrase_and_missing_start():
    assert deadlines.basis_phrase(plan(3, "working")) == "03 ngày làm việc"
    assert deadlines.basis_phrase(plan(5)) == "05 ngày"
    assert deadlines.report_deadline(plan(), None) is None
