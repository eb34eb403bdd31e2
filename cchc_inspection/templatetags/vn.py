"""Template filters for Vietnamese dates and numbers; loaded as a builtin everywhere."""

from django import template
from django.utils import timezone

from cchc_inspection import links, vn

register = template.Library()


def _as_date(value):
    if hasattr(value, "tzinfo") and hasattr(value, "date"):
        return timezone.localtime(value).date() if value.tzinfo else value.date()
    return value


@register.filter
def vn_long_date(value):
    return vn.long_date(_as_date(value))


@register.filter
def vn_date(value):
    return vn.short_date(_as_date(value))


@register.filter
def vn_datetime(value):
    return vn.date_time(value)


@register.filter
def person(user):
    """A user's name as Vietnamese writes it, family name first."""
    return vn.person(user)


@register.filter
def vn_number(value, decimals=None):
    return vn.number(value, decimals)


@register.filter
def vn_percent(value):
    return vn.percent(value)


@register.filter
def roman(value):
    return vn.roman(int(value))


@register.filter
def lines(value):
    """Split a multi-line text field into its non-empty paragraphs."""
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


@register.simple_tag
def link(name, *pks):
    """``{% link "plans:inspection-detail" inspection.pk %}``: ``{% url %}`` for the links
    of every page's navigation and of long loops (see ``cchc_inspection.links``)."""
    return links.link(name, *pks)
