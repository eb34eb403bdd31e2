#!/usr/bin/env python
"""Time and profile the benchmark's pages in-process (no gunicorn, no network): what to run
while making a page faster, before confirming with ``scripts/benchmark.py``.

    DATABASE_URL=sqlite:///var/prof.sqlite3 .venv/bin/python scripts/profile_pages.py --fill
    DATABASE_URL=sqlite:///var/prof.sqlite3 .venv/bin/python scripts/profile_pages.py
    DATABASE_URL=... .venv/bin/python scripts/profile_pages.py 4 --profile --sort cumtime

``--fill`` migrates the database and generates a ``province`` data set in it. Without page
numbers every page of ``findings.scale.sample_pages`` is timed (mean of ``--repeat``
requests through Django's test client, after three warm-up requests), with its query
count and size; ``--profile`` prints the cProfile table of each timed page.
"""

import argparse
import cProfile
import io
import os
import pstats
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", type=int, help="page numbers (default: all)")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--fill", action="store_true", help="migrate and generate data")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchsite.settings")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    os.environ.setdefault("SECRET_KEY", "profile-only-secret-key-" + "x" * 40)
    if args.fill:
        env = dict(os.environ, PYTHONPATH=f"{BASE_DIR / 'scripts'}{os.pathsep}{BASE_DIR}")
        manage = [sys.executable, str(BASE_DIR / "manage.py")]
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
        subprocess.run(
            [*manage, "generate_scale_data", "--size", "province", "--force"], env=env, check=True
        )
    sys.path[:0] = [str(BASE_DIR / "scripts"), str(BASE_DIR)]
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from cchc_inspection.models import Agency
    from findings.scale import sample_pages

    agency = Agency.objects.filter(code__startswith="SNV-").order_by("pk").first()
    for number, (label, url, user) in enumerate(sample_pages(agency)):
        if args.pages and number not in args.pages:
            continue
        client = Client()
        client.force_login(user)
        for _ in range(3):
            response = client.get(url)
            if response.status_code != 200:
                sys.exit(f"{url}: HTTP {response.status_code}")
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        count = len(queries)  # read now: each request clears the connection's query log
        started = time.perf_counter()
        for _ in range(args.repeat):
            client.get(url)
        mean = (time.perf_counter() - started) / args.repeat * 1000
        size = len(response.content) // 1024
        print(f"{number} {label:<36} {mean:7.1f} ms {count:4} truy vấn {size:5} KB  {url}")
        if args.profile:
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(args.repeat):
                client.get(url)
            profile.disable()
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
            print(out.getvalue())


if __name__ == "__main__":
    main()
