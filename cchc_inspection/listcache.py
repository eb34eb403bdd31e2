"""Rendered parts of read-mostly lists kept in the cache, exact to the last write.

The findings register and the remediation tracker of a national agency read, filter,
count and render tens of thousands of rows for every page, and the same pages are opened
again and again between two writes. The part of such a page that depends only on the data
and the request is kept (``cached``) under a key holding the version of every table it
shows (``TableVersion``): database triggers add one to a table's version on every write,
whatever made it, in the writer's transaction. The versions are read before the data, so
a page is never kept under a version newer than its rows; once a write commits, the next
request reads a new version and renders again. Entries under old versions are never read
again and leave the cache by age (or by the cache's culling).

What else the part depends on must be in the key too: the caller's ``parts`` (scope,
flags that change the HTML), the request's full path as sent (filters, page, and the
page's own address that its forms return to, which keeps the parameters' order: sorting
them would hand one order's "next" addresses to the other) and today's date (overdue
flags; read before the data too, so a part is never older than its key's date). The cache
is the project's default one; a per-process cache (``LocMemCache``) is fine as every
process reads the versions from the database. Writers now update one row per table they
write, held until they commit: concurrent writes to one table wait for each other. A
shared cache (Redis, Memcached) would keep a part rendered by the previous release's
templates: clear it on deploy.

CSRF tokens must never be kept: a part is rendered with ``CSRF_PLACEHOLDER`` as its token,
and the requester's own token input is put in its place on the way out (``with_csrf``).
"""

import hashlib

from django.core.cache import cache
from django.template.backends.utils import csrf_input
from django.utils import timezone
from django.utils.safestring import mark_safe

from .models import TableVersion
from .queries import precompiled

TIMEOUT = 24 * 3600
MISSING = -1
# A value of characters the token's input writes out unescaped; the input it makes starts
# with "<", which escaped text in the page cannot contain.
CSRF_PLACEHOLDER = "csrf-token-placeholder-of-cached-part"
_PLACEHOLDER_INPUT = f'<input type="hidden" name="csrfmiddlewaretoken" value="{CSRF_PLACEHOLDER}">'


@precompiled()
def _all_versions():
    return TableVersion.objects.order_by().values_list("table", "number")


def versions(tables):
    """The version numbers of ``tables`` (``db_table`` names), in their order, read in one
    query. A table with no row has not been written since its row went (a ``flush``, which
    emptied it): it reads as -1, a number no row has; the first write makes the row again,
    at a number above any it had before (the triggers' migration)."""
    numbers = dict(_all_versions())
    return tuple(numbers.get(table, MISSING) for table in tables)


def _key(name, request, tables, parts):
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    numbers = ".".join(map(str, versions(tables)))
    extra = ":".join(map(str, parts))
    return f"listcache:{name}:{extra}:{timezone.localdate().isoformat()}:{numbers}:{path}"


def cached(name, request, *, models, parts, render):
    """The HTML of ``render()`` for this request, from the cache when the same part was
    rendered for the same ``parts`` and path, today, with ``models``' tables unchanged
    since, as safe HTML. ``render`` returns a template's output, with the token of a form
    rendered as ``CSRF_PLACEHOLDER``."""
    key = _key(name, request, [model._meta.db_table for model in models], parts)
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, TIMEOUT)
    return with_csrf(request, html)


def with_csrf(request, html):
    """``html`` with the requester's CSRF token input where a cached part has its
    placeholder (the token is only asked for, and its cookie set, if a form needs it).

    The part is a template's output, every value in it escaped when it was rendered; the
    token input is Django's own, escaped too: the whole is safe to print as it is."""
    if _PLACEHOLDER_INPUT in html:
        html = html.replace(_PLACEHOLDER_INPUT, str(csrf_input(request)))
    return mark_safe(html)
