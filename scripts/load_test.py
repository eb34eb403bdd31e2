#!/usr/bin/env python
"""Load test on loopback: focal persons saving figures and uploading evidence while staff
browse, against a gunicorn server this script starts on 127.0.0.1 with a fresh database.

    .venv/bin/python scripts/load_test.py                      # 60 s, SQLite
    .venv/bin/python scripts/load_test.py --seconds 120 \\
        --database-url postgres://postgres@127.0.0.1:5432/cchc_load   # an EMPTY database

What it does, in order:

1. prepares a fresh database (SQLite in a temporary folder, or the PostgreSQL database
   given, which must be empty): ``migrate``, the seed plan ``thanh_hoa_2023``, the demo
   accounts, then 50 units (the seed's Phụ lục 1 and, to make up the number, communes added
   to it before the plan is issued), each with its own focal person's account and an
   inspection whose report has been requested, and 10 staff accounts;
2. starts gunicorn on 127.0.0.1 (a free port) and signs every account in;
3. for ``--seconds`` (default 60), 50 focal persons save figures of their report and upload
   small evidence files (PDF, each one different) while 10 staff open the dashboard, the
   remediation tracker, the findings register, the inspection list and inspection pages;
4. stops the server, prints the requests, the error rate and the latency percentiles
   (p50/p95/p99) per kind of request, then checks in the database that every save the
   server acknowledged holds its value and version, and every acknowledged upload is
   stored with its SHA-256 (the file on disk hashed again).

Exit status 0 only if no request failed and nothing acknowledged was lost. Traffic goes to
127.0.0.1 only; the run is bounded in time (``--seconds``) and in count
(``--max-requests``). httpx (requirements-dev.txt) is the HTTP client.
"""

import argparse
import hashlib
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PASSWORD = "Thu-tai-2023!"
HOST = "127.0.0.1"


# --- Inside Django (run as a subprocess with the test server's environment) ------------------


def django_setup():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_inspection.settings")
    import django

    django.setup()


def prepare(out_path, focal_count, staff_count):
    """The plan issued with ``focal_count`` units, each with its focal person and a requested
    report; ``staff_count`` staff accounts. Writes what the clients need to ``out_path``."""
    django_setup()
    import datetime

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import timezone

    from cchc_inspection.roles import GROUP_NAMES, Role
    from plans import services as plan_services
    from plans.forms import team_initial
    from plans.models import InspectionPlan, InspectionTeam, PlanEntry, PlanGroup, TeamMember
    from reports import figures
    from reports import services as report_services
    from reports.models import Indicator
    from units.models import Membership, Unit

    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(username__in=["cchc", "lanhdao"])}
    staff, leader = users["cchc"], users["lanhdao"]
    hashed = make_password(PASSWORD)
    plan = InspectionPlan.objects.order_by("-year", "-pk").first()
    with transaction.atomic():
        units = [e.unit for e in plan.entries.select_related("unit").order_by("pk")][:focal_count]
        missing = focal_count - len(units)
        if missing > 0:
            district = Unit.objects.filter(category=Unit.Category.DISTRICT).first()
            group = plan_services.group_save(
                group=PlanGroup(plan=plan, order=None, title="Các xã (thử tải)"), actor=staff
            )
            for n in range(missing):
                unit = Unit.objects.create(
                    name=f"Xã Thử Tải Số {n + 1}", category=Unit.Category.COMMUNE, parent=district
                )
                plan_services.entry_save(
                    entry=PlanEntry(plan=plan, group=group, unit=unit), actor=staff
                )
                units.append(unit)
        plan_services.plan_issue(plan=plan, actor=leader)
        plan.refresh_from_db()
        team = plan_services.team_create(
            team=InspectionTeam(plan=plan, name="Đoàn kiểm tra thử tải", **team_initial(plan)),
            actor=staff,
        )
        plan_services.member_save(
            member=TeamMember(team=team, full_name="Phạm Văn Đức", role=TeamMember.Role.LEADER),
            actor=staff,
        )
        plan_services.team_decision_issue(team=team, actor=leader)
        team.refresh_from_db()
        focal_group = Group.objects.get_or_create(name=GROUP_NAMES[Role.FOCAL])[0]
        staff_group = Group.objects.get_or_create(name=GROUP_NAMES[Role.STAFF])[0]
        start = timezone.localdate() + datetime.timedelta(days=20)
        focal = []
        for n, unit in enumerate(units, start=1):
            user = User.objects.create(
                username=f"taithu{n:02d}", password=hashed, last_name="Đầu mối", first_name=str(n)
            )
            user.groups.add(focal_group)
            Membership.objects.create(user=user, unit=unit)
            inspection = plan_services.inspection_schedule(
                plan=plan,
                unit=unit,
                actor=staff,
                team=team,
                form="on_site",
                start_date=start,
                end_date=start,
            )
            report_services.report_request(inspection=inspection, actor=staff)
            items = figures.visible_items(plan.outline, unit)
            indicators = figures.asked_indicators(plan.outline, unit, items)
            focal.append(
                {
                    "username": user.username,
                    "inspection": inspection.pk,
                    "indicators": [i.pk for i in indicators if i.kind == Indicator.Kind.COUNT],
                    "items": [i.pk for i in items if i.answerable],
                }
            )
        staff_names = []
        for n in range(1, staff_count + 1):
            user = User.objects.create(
                username=f"cvtai{n:02d}",
                password=hashed,
                last_name="Chuyên viên",
                first_name=str(n),
            )
            user.groups.add(staff_group)
            staff_names.append(user.username)
    Path(out_path).write_text(
        json.dumps({"focal": focal, "staff": staff_names, "plan": plan.pk}), encoding="utf-8"
    )


def verify(acks_path):
    """Every acknowledged save and upload, looked up in the database and on disk."""
    django_setup()
    from reports.models import Evidence, IndicatorValue

    acks = json.loads(Path(acks_path).read_text(encoding="utf-8"))
    result = {"saves": 0, "saves_found": 0, "uploads": 0, "uploads_found": 0, "lost": []}
    stored = {
        (v.report.inspection_id, v.indicator_id): v
        for v in IndicatorValue.objects.select_related("report")
    }
    for key, (value, version) in acks["values"].items():
        inspection, indicator = (int(x) for x in key.split(":"))
        result["saves"] += 1
        row = stored.get((inspection, indicator))
        if row is not None and row.value == int(value) and row.version == version:
            result["saves_found"] += 1
        else:
            result["lost"].append(f"số liệu {key}: {value} (phiên bản {version})")
    result["saves_acknowledged"] = acks["save_count"]
    for inspection, digest in acks["uploads"]:
        result["uploads"] += 1
        row = Evidence.objects.filter(report__inspection_id=inspection, sha256=digest).first()
        ok = row is not None
        if ok:
            with row.file.open("rb") as handle:
                ok = hashlib.sha256(handle.read()).hexdigest() == digest
        if ok:
            result["uploads_found"] += 1
        else:
            result["lost"].append(f"tài liệu {digest[:12]}… của cuộc kiểm tra {inspection}")
    print(json.dumps(result, ensure_ascii=False))


# --- The load run ------------------------------------------------------------------------------


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latency = defaultdict(list)
        self.errors = defaultdict(int)
        self.samples = defaultdict(list)
        self.total = 0

    def record(self, kind, seconds, ok, detail=""):
        with self.lock:
            self.total += 1
            self.latency[kind].append(seconds)
            if not ok:
                self.errors[kind] += 1
                if len(self.samples[kind]) < 3:
                    self.samples[kind].append(detail[:200])


def percentile(values, p):
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def manage(env, *args):
    subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args], env=env, check=True, stdout=subprocess.DEVNULL
    )


def login(httpx, base, username):
    client = httpx.Client(base_url=base, timeout=60, follow_redirects=False)
    client.get("/dang-nhap/")
    token = client.cookies.get("csrftoken")
    response = client.post(
        "/dang-nhap/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    if response.status_code != 302:
        raise SystemExit(f"Không đăng nhập được {username}: HTTP {response.status_code}")
    client.headers["X-CSRFToken"] = client.cookies.get("csrftoken")
    return client


def small_pdf(label):
    from pypdf import PdfWriter

    out = BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": label, "/Subject": os.urandom(8).hex()})
    writer.write(out)
    return out.getvalue()


class Run:
    def __init__(self, args, base, plan):
        self.args, self.base, self.plan = args, base, plan
        self.stats = Stats()
        self.deadline = time.monotonic() + args.seconds
        self.acked_values = {}  # "inspection:indicator" -> (value, version)
        self.save_count = 0
        self.acked_uploads = []  # (inspection, sha256)
        self.lock = threading.Lock()

    def running(self):
        return time.monotonic() < self.deadline and self.stats.total < self.args.max_requests

    def pause(self):
        if self.args.think:
            time.sleep(random.uniform(0, 2 * self.args.think))

    def timed(self, kind, method, *args, **kwargs):
        start = time.perf_counter()
        try:
            response = method(*args, **kwargs)
        except Exception as error:  # a refused connection or a timeout is an error too
            self.stats.record(kind, time.perf_counter() - start, False, repr(error))
            return None
        elapsed = time.perf_counter() - start
        ok = response.status_code < 400
        self.stats.record(kind, elapsed, ok, f"HTTP {response.status_code} {response.text[:150]}")
        return response if ok else None

    def focal(self, client, who):
        versions = {}
        fetch = {"X-Requested-With": "fetch"}
        inspection = who["inspection"]
        while self.running():
            if who["indicators"] and random.random() < 0.75:
                indicator = random.choice(who["indicators"])
                value = random.randint(0, 500)
                url = f"/bao-cao/kiem-tra/{inspection}/bao-cao/so-lieu/{indicator}/luu/"
                data = {"value": str(value), "version": str(versions.get(indicator, 0))}
                response = self.timed("lưu số liệu", client.post, url, data=data, headers=fetch)
                if response is not None:
                    version = response.json()["version"]
                    versions[indicator] = version
                    with self.lock:
                        self.acked_values[f"{inspection}:{indicator}"] = (value, version)
                        self.save_count += 1
            else:
                content = small_pdf(f"Tài liệu kiểm chứng {who['username']}")
                digest = hashlib.sha256(content).hexdigest()
                url = f"/bao-cao/kiem-tra/{inspection}/bao-cao/tai-lieu/"
                files = {"files": (f"Tai lieu {digest[:8]}.pdf", content, "application/pdf")}
                data = {"items": [str(random.choice(who["items"]))], "description": "Thử tải"}
                response = self.timed(
                    "tải lên tài liệu", client.post, url, data=data, files=files, headers=fetch
                )
                if response is not None and "redirect" in response.json():
                    with self.lock:
                        self.acked_uploads.append((inspection, digest))
            self.pause()

    def staff(self, client, inspections):
        pages = [
            ("tổng quan", lambda: "/kiem-tra/tong-quan/"),
            ("theo dõi khắc phục", lambda: "/kiem-tra/khac-phuc/"),
            ("sổ kết quả kiểm tra", lambda: "/kiem-tra/ket-qua/"),
            ("danh sách cuộc kiểm tra", lambda: "/ke-hoach/cuoc-kiem-tra/"),
            (
                "trang cuộc kiểm tra",
                lambda: f"/ke-hoach/cuoc-kiem-tra/{random.choice(inspections)}/",
            ),
        ]
        while self.running():
            kind, url = random.choice(pages)
            self.timed(kind, client.get, url())
            self.pause()


def start_server(env, port, args, workdir):
    log = open(workdir / "gunicorn.log", "w")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "cchc_inspection.wsgi",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    import httpx

    for _ in range(120):
        try:
            if httpx.get(f"http://{HOST}:{port}/dang-nhap/", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        if process.poll() is not None:
            break
        time.sleep(0.5)
    process.terminate()
    raise SystemExit(f"gunicorn không khởi động được; xem {workdir / 'gunicorn.log'}")


def report(run, seconds):
    stats = run.stats
    print(f"\nThời gian chạy: {seconds:.0f} s; tổng số yêu cầu: {stats.total}")
    header = f"{'loại yêu cầu':<26}{'số yêu cầu':>11}{'lỗi':>6}{'tỷ lệ lỗi':>11}"
    header += f"{'p50 (ms)':>10}{'p95 (ms)':>10}{'p99 (ms)':>10}"
    print(header)
    every = []
    for kind in sorted(stats.latency):
        values = stats.latency[kind]
        every += values
        errors = stats.errors[kind]
        print(
            f"{kind:<26}{len(values):>11}{errors:>6}{errors / len(values):>10.2%}"
            f"{percentile(values, 50) * 1000:>10.0f}{percentile(values, 95) * 1000:>10.0f}"
            f"{percentile(values, 99) * 1000:>10.0f}"
        )
    errors = sum(stats.errors.values())
    if every:
        print(
            f"{'tất cả':<26}{len(every):>11}{errors:>6}{errors / len(every):>10.2%}"
            f"{percentile(every, 50) * 1000:>10.0f}{percentile(every, 95) * 1000:>10.0f}"
            f"{percentile(every, 99) * 1000:>10.0f}"
        )
        print(
            f"Thông lượng: {len(every) / seconds:.1f} yêu cầu/giây; trung vị {statistics.median(every) * 1000:.0f} ms"
        )
    for kind, samples in stats.samples.items():
        for sample in samples:
            print(f"  lỗi {kind}: {sample}")
    return errors


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="thời gian tạo tải (giây)")
    parser.add_argument("--focal", type=int, default=50, help="số đầu mối (mỗi người một đơn vị)")
    parser.add_argument("--staff", type=int, default=10, help="số chuyên viên xem trang")
    parser.add_argument("--think", type=float, default=0.5, help="thời gian nghỉ trung bình (s)")
    parser.add_argument("--workers", type=int, default=4, help="số tiến trình gunicorn")
    parser.add_argument("--threads", type=int, default=2, help="số luồng mỗi tiến trình")
    parser.add_argument("--max-requests", type=int, default=200_000, help="trần số yêu cầu")
    parser.add_argument("--database-url", default="", help="PostgreSQL trống; mặc định SQLite")
    parser.add_argument("--keep", action="store_true", help="giữ thư mục tạm sau khi chạy")
    parser.add_argument("--prepare", help=argparse.SUPPRESS)
    parser.add_argument("--verify", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        return prepare(args.prepare, args.focal, args.staff)
    if args.verify:
        return verify(args.verify)
    if args.seconds <= 0 or args.seconds > 3600:
        raise SystemExit("--seconds phải trong khoảng (0, 3600].")

    import httpx

    workdir = Path(tempfile.mkdtemp(prefix="cchc-tai-"))
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        VAR_DIR=str(workdir),
        MEDIA_ROOT=str(workdir / "media"),
        DATABASE_URL=args.database_url or f"sqlite:///{workdir / 'db.sqlite3'}",
        SECRET_KEY="thu-tai-" + os.urandom(16).hex(),
        ALLOWED_HOSTS=HOST,
        DEMO_PASSWORD=PASSWORD,
        LOG_LEVEL="ERROR",
        # Report requests notify the focal persons: keep those letters in memory.
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    database = "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite"
    print(f"Chuẩn bị cơ sở dữ liệu {database} trong {workdir} …", flush=True)
    manage(env, "migrate", "--noinput")
    manage(env, "loaddata", "thanh_hoa_2023")
    manage(env, "create_demo_users", "--force")
    plan_file = workdir / "plan.json"
    subprocess.run(
        [
            PYTHON,
            __file__,
            "--prepare",
            str(plan_file),
            "--focal",
            str(args.focal),
            "--staff",
            str(args.staff),
        ],
        env=env,
        check=True,
    )
    plan = json.loads(plan_file.read_text(encoding="utf-8"))
    port = free_port()
    server = start_server(env, port, args, workdir)
    base = f"http://{HOST}:{port}"
    try:
        print(
            f"Máy chủ gunicorn tại {base} ({args.workers} tiến trình × {args.threads} luồng). "
            f"Đăng nhập {len(plan['focal'])} đầu mối và {len(plan['staff'])} chuyên viên …",
            flush=True,
        )
        focal_clients = [(login(httpx, base, w["username"]), w) for w in plan["focal"]]
        staff_clients = [login(httpx, base, name) for name in plan["staff"]]
        inspections = [w["inspection"] for w in plan["focal"]]
        run = Run(args, base, plan)
        print(f"Tạo tải trong {args.seconds:.0f} giây …", flush=True)
        started = time.monotonic()
        threads = [threading.Thread(target=run.focal, args=c) for c in focal_clients]
        threads += [
            threading.Thread(target=run.staff, args=(c, inspections)) for c in staff_clients
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        for client, _ in focal_clients:
            client.close()
        for client in staff_clients:
            client.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    errors = report(run, elapsed)
    acks = workdir / "acks.json"
    acks.write_text(
        json.dumps(
            {
                "values": run.acked_values,
                "save_count": run.save_count,
                "uploads": run.acked_uploads,
            }
        ),
        encoding="utf-8",
    )
    checked = subprocess.run(
        [PYTHON, __file__, "--verify", str(acks)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    result = json.loads(checked.stdout.strip().splitlines()[-1])
    print(
        f"\nKiểm tra sau khi chạy: {result['saves_acknowledged']} lần lưu số liệu được xác nhận "
        f"({result['saves']} ô số liệu, {result['saves_found']} khớp giá trị và phiên bản "
        f"trong cơ sở dữ liệu); {result['uploads']} tệp tải lên được xác nhận, "
        f"{result['uploads_found']} có trong cơ sở dữ liệu với SHA-256 đúng của tệp trên đĩa."
    )
    for line in result["lost"][:10]:
        print(f"  MẤT: {line}")
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    else:
        print(f"Giữ thư mục {workdir}")
    ok = errors == 0 and not result["lost"]
    print("KẾT QUẢ: ĐẠT" if ok else "KẾT QUẢ: KHÔNG ĐẠT")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
