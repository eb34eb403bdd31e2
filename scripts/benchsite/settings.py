"""Settings of the benchmark server (scripts/benchmark.py): the app's own settings plus a
response header with the number of SQL queries, and a URLconf that adds the bare baseline
page. Never used by the app itself, so neither is a public page."""

import os

from cchc_inspection.settings import *  # noqa: F403
from cchc_inspection.settings import BASE_DIR, MIDDLEWARE, TEMPLATES

ROOT_URLCONF = "benchsite.urls"
MIDDLEWARE = ["benchsite.middleware.query_count", *MIDDLEWARE]
TEMPLATES = [
    {**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], BASE_DIR / "scripts/benchsite/templates"]}
]
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
if os.environ.get("BENCH_CACHE") == "off":
    # ``benchmark.py --no-cache``: every page rendered as on its first read after a write.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
