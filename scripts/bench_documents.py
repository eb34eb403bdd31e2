#!/usr/bin/env python
"""Time the official documents: one conclusion notice, and the summary report of a year
with 60 inspections (targets: under 1 s and under 5 s). Run by hand, not by the tests:

    .venv/bin/python scripts/bench_documents.py [--inspections 60] [--repeat 3]

It builds a throw-away SQLite database in a temporary directory from the 2023 seed
(fixtures/thanh_hoa_2023.json), adds the inspections with ~10 findings, a conclusion with
remediation actions and a report with ~35 figures each, then prints the seconds each
render took (best and mean of --repeat runs) and the machine they came from.
"""

import argparse
import datetime
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
SEED = BASE_DIR / "fixtures" / "thanh_hoa_2023.json"


def setup_django(workdir):
    sys.path.insert(0, str(BASE_DIR))
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_inspection.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("loaddata", str(SEED), verbosity=0)


def build_year(count):
    """The seed plan issued, with ``count`` inspections carried through to a conclusion."""
    from django.contrib.auth import get_user_model

    from cchc_inspection.numbering import take_number
    from findings.models import Conclusion, Finding, RemediationAction
    from plans.models import Inspection, InspectionPlan, InspectionTeam, TeamMember
    from reports.models import Indicator, IndicatorValue, OutlineItem, UnitReport
    from units.models import Unit

    user = get_user_model().objects.create(username="bench")
    plan = InspectionPlan.objects.select_related("agency").get(year=2023)
    take_number(document=plan, agency=plan.agency, issued_on=datetime.date(2023, 3, 5), actor=user)
    plan.status = InspectionPlan.Status.ISSUED
    plan.save()
    team = InspectionTeam.objects.create(plan=plan, name="Đoàn kiểm tra số 1", symbol="QĐ-SNV")
    TeamMember.objects.create(team=team, full_name="Nguyễn Văn Trưởng", role="leader")
    units = list(Unit.objects.all())
    for n in range(len(units), count):
        units.append(Unit.objects.create(name=f"Xã Thử nghiệm {n}", category="commune"))
    areas = list(OutlineItem.objects.filter(outline__plan=plan, kind="point"))
    indicators = list(Indicator.objects.filter(outline__plan=plan))[:35]
    kinds = [Finding.Kind.STRENGTH, Finding.Kind.SHORTCOMING, Finding.Kind.VIOLATION]
    conclusion = None
    for n, unit in enumerate(units[:count]):
        inspection = Inspection.objects.create(
            plan=plan,
            unit=unit,
            team=team,
            start_date=datetime.date(2023, 6, 1) + datetime.timedelta(days=n),
            status=Inspection.Status.REMEDIATING,
        )
        Finding.objects.bulk_create(
            Finding(
                inspection=inspection,
                item=areas[(n + k) % len(areas)],
                kind=kinds[k % 3],
                description=f"Kết quả kiểm tra số {k + 1} tại {unit.name}.",
                created_by=user,
            )
            for k in range(10)
        )
        conclusion = Conclusion.objects.create(
            inspection=inspection,
            symbol="TB-SNV",
            strengths="\n".join(f"Ưu điểm thứ {k + 1} của đơn vị." for k in range(4)),
            shortcomings="\n".join(f"Tồn tại, hạn chế thứ {k + 1}." for k in range(4)),
            created_by=user,
            status=Conclusion.Status.ISSUED,
        )
        for k in range(5):
            deadline = datetime.date(2023, 9, 30) + datetime.timedelta(days=30 * k)
            RemediationAction.objects.create(
                conclusion=conclusion,
                item=areas[(n + k) % len(areas)],
                order=k,
                requirement=f"Khắc phục tồn tại, hạn chế thứ {k + 1} của {unit.name}.",
                responsible="Văn phòng",
                deadline=deadline,
            )
        report = UnitReport.objects.create(inspection=inspection, status=UnitReport.Status.ACCEPTED)
        IndicatorValue.objects.bulk_create(
            IndicatorValue(report=report, indicator=indicator, value=n + i)
            for i, indicator in enumerate(indicators)
        )
    return plan, conclusion


def timed(render, repeat):
    seconds = []
    for _ in range(repeat):
        start = time.perf_counter()
        data = render()
        seconds.append(time.perf_counter() - start)
    return seconds, len(data)


def machine():
    cpus = os.cpu_count()
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {cpus} CPU, Python {platform.python_version()}, {platform.system()}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inspections", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-documents-") as workdir:
        setup_django(Path(workdir))
        from weasyprint import __version__ as weasyprint_version

        from findings.documents import render_conclusion, render_summary

        plan, conclusion = build_year(args.inspections)
        print(f"Máy: {machine()}, WeasyPrint {weasyprint_version}")
        rows = [
            ("Thông báo kết luận kiểm tra", 1.0, lambda: render_conclusion(conclusion)),
            (
                f"Báo cáo kết quả kiểm tra năm ({args.inspections} cuộc kiểm tra)",
                5.0,
                lambda: render_summary(plan),
            ),
        ]
        for label, target, render in rows:
            # The first render of a process also loads the fonts and the templates.
            (cold,), _ = timed(render, 1)
            seconds, size = timed(render, args.repeat)
            mean = statistics.mean(seconds)
            verdict = "đạt" if max(cold, mean) < target else "CHƯA ĐẠT"
            print(
                f"{label}: lần đầu {cold:.2f} s; sau đó {min(seconds):.2f}–{max(seconds):.2f} s "
                f"(trung bình {mean:.2f} s, {args.repeat} lần); {size / 1024:.0f} KB "
                f"— mục tiêu < {target:.0f} s: {verdict}"
            )


if __name__ == "__main__":
    main()
