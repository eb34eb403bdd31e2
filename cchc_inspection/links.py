"""Links built on every page (the navigation) or once per row of a long list, without
paying for ``reverse()`` each time.

``reverse()`` walks the URL resolver on every call (tens of microseconds); a page listing
50 rows with three links each spends milliseconds on it. ``link()`` reverses each URL
name once per process with marker arguments and then only substitutes the primary keys.
It takes no arguments or positive integers: every object URL of this product is keyed by
``<int:pk>`` (anything else still goes through ``reverse()``).
"""

import functools

from django.urls import get_script_prefix, reverse

_MARKERS = ("900000000001", "900000000002", "900000000003")


@functools.lru_cache(maxsize=256)
def _pattern(prefix, name, arity):
    path = reverse(name, args=_MARKERS[:arity])
    if any(path.count(marker) != 1 for marker in _MARKERS[:arity]):
        raise ValueError(f"{name}: URL không dựng được bằng link()")
    return path


def link(name, *pks):
    """``reverse(name, args=pks)`` for integer primary keys."""
    if len(pks) > len(_MARKERS) or not all(type(pk) is int and pk > 0 for pk in pks):
        return reverse(name, args=pks)
    path = _pattern(get_script_prefix(), name, len(pks))
    for marker, pk in zip(_MARKERS, pks, strict=False):
        path = path.replace(marker, str(pk))
    return path
