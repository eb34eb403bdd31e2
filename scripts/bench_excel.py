#!/usr/bin/env python
"""Stream the findings register of 200,000 rows to Excel and report time and peak memory
(target: peak memory under 200 MB). Run by hand, not by the tests:

    .venv/bin/python scripts/bench_excel.py [--findings 200000]

It builds a throw-away SQLite database in a temporary directory (migrations, 1,000
inspections of made-up units, the findings in batches), then writes the register in a
fresh child process so that the peak resident memory it prints (``ru_maxrss``) is that of
the export alone (Django included), not of building the data.
"""

import argparse
import datetime
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
BATCH = 5000


def setup_django(workdir):
    sys.path.insert(0, str(BASE_DIR))
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_inspection.settings")
    import django

    django.setup()


def build(count):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from cchc_inspection.models import Agency
    from cchc_inspection.text import fold
    from findings.models import Finding
    from plans.models import Inspection, InspectionPlan
    from reports.models import OutlineItem, ReportOutline
    from units.models import Unit

    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create(username="bench")
    agency = Agency.objects.create(
        parent_name="UBND TỈNH",
        name="SỞ NỘI VỤ",
        short_name="Sở Nội vụ",
        parent_short_name="UBND tỉnh",
        code="SNV",
        place_name="Tỉnh",
        head_name="A",
    )
    plan = InspectionPlan.objects.create(
        agency=agency,
        year=2023,
        symbol="KH-SNV",
        title="Kiểm tra CCHC năm 2023",
        legal_basis="-",
        purposes="-",
        requirements="-",
        subjects="-",
        forms="-",
        timing="-",
        contents="-",
        duties_agency="-",
        duties_units="-",
        recipients="-",
    )
    outline = ReportOutline.objects.create(plan=plan, title="Đề cương")
    areas = [
        OutlineItem.objects.create(
            outline=outline, kind="heading", label=str(n), title=f"Lĩnh vực {n}", order=n
        )
        for n in range(1, 21)
    ]
    inspections = []
    for n in range(1000):
        unit = Unit.objects.create(name=f"Xã Thử Nghiệm Số {n}", category="commune")
        inspections.append(
            Inspection.objects.create(plan=plan, unit=unit, start_date=datetime.date(2023, 6, 1))
        )
    kinds = [Finding.Kind.STRENGTH, Finding.Kind.SHORTCOMING, Finding.Kind.VIOLATION]
    text = "Chưa ban hành kế hoạch tuyên truyền cải cách hành chính năm 2023 đúng thời hạn"
    for start in range(0, count, BATCH):
        Finding.objects.bulk_create(
            Finding(
                inspection=inspections[k % len(inspections)],
                item=areas[k % len(areas)],
                kind=kinds[k % 3],
                description=f"{text} (số {k + 1}).",
                search_description=fold(f"{text} (số {k + 1})."),
                cause="Chưa bố trí đủ công chức theo dõi.",
                recommendation="Ban hành kế hoạch và báo cáo kết quả.",
                created_by=user,
            )
            for k in range(start, min(start + BATCH, count))
        )


def export(target):
    from findings.exports import write_findings
    from findings.models import Finding

    started = time.perf_counter()
    writer = write_findings(Finding.objects.order_by("pk"))
    handle = writer.save()
    with open(target, "wb") as out:
        while chunk := handle.read(1 << 20):
            out.write(chunk)
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{writer.rows_written - 3} rows in {seconds:.1f} s; peak memory {peak_kb / 1024:.0f} MB")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=200_000)
    parser.add_argument("--export-only", metavar="WORKDIR", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export_only:
        workdir = Path(args.export_only)
        setup_django(workdir)
        export(workdir / "so-ket-qua.xlsx")
        return
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        setup_django(workdir)
        started = time.perf_counter()
        build(args.findings)
        print(f"built {args.findings} findings in {time.perf_counter() - started:.0f} s")
        subprocess.run([sys.executable, __file__, "--export-only", str(workdir)], check=True)
        size = (workdir / "so-ket-qua.xlsx").stat().st_size
        print(f"file size {size / 1024 / 1024:.1f} MB")
    print(
        f"machine: {platform.platform()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, {platform.processor() or platform.machine()}"
    )


if __name__ == "__main__":
    main()
