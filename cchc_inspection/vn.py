"""Vietnamese dates and numbers as official documents write them."""

from decimal import Decimal

from django.utils import timezone

ROMAN = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def long_date(day):
    """ "ngày 05 tháng 3 năm 2023": day below 10 and months 1, 2 take a leading zero."""
    if not day:
        return "ngày    tháng    năm    "
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def short_date(day):
    """ "05/3/2023", as running text writes dates."""
    if not day:
        return ""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{day.day:02d}/{month}/{day.year}"


def number(value, decimals=None):
    """6882 → "6.882"; 84.375 with 2 decimals → "84,38"; None → ""."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    if decimals is None:
        decimals = 0 if value == value.to_integral_value() else 2
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def percent(value, decimals=2):
    return f"{number(value, decimals)}%" if value is not None else ""


def roman(value):
    result = ""
    for arabic, letters in ROMAN:
        while value >= arabic:
            result += letters
            value -= arabic
    return result


def date_time(moment):
    """ "14:05 05/3/2023" in local time; "" for None."""
    if not moment:
        return ""
    local = timezone.localtime(moment)
    return f"{local:%H:%M} {short_date(local.date())}"


def person(user):
    """ "Nguyễn Thị Hương": family name (last_name) first, as Vietnamese names are written."""
    if user is None:
        return ""
    return person_name(user.first_name, user.last_name, user.username)


def person_name(first_name, last_name, username):
    """``person`` of a user read as its columns (a query's row rather than the model)."""
    return " ".join(f"{last_name} {first_name}".split()) or username
