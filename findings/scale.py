"""A realistic data set at one province's or the whole country's size, for benchmarks.

``generate(SIZES["national"])`` builds ~10,000 units in 34 provinces, ten yearly plans per
province (each with the seed's report outline, Phụ lục 1, teams and decisions), ~20,000
inspections in every status, the units' reports with ~1,000,000 figures and ~600,000
evidence records (pointing at a few small shared files), ~200,000 findings, the issued
conclusions and their remediation actions (verified, reported, open on time and overdue),
the status log and the document register. Everything goes in with ``bulk_create`` in
batches, province by province (one transaction each), so ``save()`` does not run: folded
search names and original deadlines are filled in here.

Province of the seed: the outline structure (items, figures, rules, footnotes) and the
plan's sections are copied from ``fixtures/thanh_hoa_2023.json``, with the year and the
place name replaced.
"""

import datetime
import hashlib
import json
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

from cchc_inspection.models import Agency, AgencyStaff, RegisterCounter, RegisterEntry, StatusLog
from cchc_inspection.roles import GROUP_NAMES, Role
from cchc_inspection.text import fold
from plans.models import (
    Inspection,
    InspectionPlan,
    InspectionTeam,
    PlanEntry,
    PlanGroup,
    TeamMember,
)
from reports.models import (
    Evidence,
    Footnote,
    Indicator,
    IndicatorRule,
    IndicatorValue,
    ItemAnswer,
    OutlineItem,
    ReportOutline,
    UnitReport,
)
from units.models import Membership, Unit

from . import scale_words as words
from .models import Conclusion, Finding, RemediationAction, SiteVisitMinutes

BATCH = 2000
SEED_FIXTURE = settings.BASE_DIR / "fixtures" / "thanh_hoa_2023.json"
NATIONAL_USERNAME = "bnv.cchc"
DISTRICTS_ABOLISHED = datetime.date(2025, 6, 30)
S = Inspection.Status
A = RemediationAction.Status
PATH = [S.PLANNED, S.SCHEDULED, S.REPORT_REQUESTED, S.REPORT_SUBMITTED, S.REVIEWED]
PATH += [S.CONCLUDED, S.REMEDIATING, S.CLOSED]
REVIEWED_OR_LATER = {S.REVIEWED, S.CONCLUDED, S.REMEDIATING, S.CLOSED}
CONCLUDED_OR_LATER = {S.CONCLUDED, S.REMEDIATING, S.CLOSED}
# Weights of the statuses in the current year's plan (each appears at least once).
CURRENT_YEAR = {
    S.PLANNED: 8,
    S.SCHEDULED: 10,
    S.REPORT_REQUESTED: 12,
    S.REPORT_SUBMITTED: 10,
    S.REVIEWED: 10,
    S.CONCLUDED: 10,
    S.REMEDIATING: 20,
    S.CLOSED: 15,
    S.CANCELLED: 5,
}
PAST_YEAR = {S.CLOSED: 83, S.REMEDIATING: 12, S.CANCELLED: 5}
# First day of the inspection, in days from today, by status (the current year).
START_OFFSETS = {
    S.SCHEDULED: (10, 60),
    S.REPORT_REQUESTED: (-2, 25),
    S.REPORT_SUBMITTED: (-3, 15),
    S.REVIEWED: (-60, -5),
    S.CONCLUDED: (-120, -30),
    S.REMEDIATING: (-300, -60),
    S.CLOSED: (-320, -120),
    S.CANCELLED: (-200, 30),
}


class GenerationError(Exception):
    pass


@dataclass(frozen=True)
class Size:
    name: str
    provinces: int
    years: int
    departments: int
    centrals: int
    districts: int
    communes_per_district: int
    inspections_per_plan: int
    findings_per_inspection: int
    values_per_report: int
    evidence_per_report: int
    answers_per_report: int
    teams_per_plan: int

    def scaled(self, factor):
        """The same shape with ``factor`` times the units, inspections and rows each."""
        return replace(
            self,
            name=f"{self.name}×{factor}",
            departments=self.departments * factor,
            districts=self.districts * factor,
            inspections_per_plan=self.inspections_per_plan * factor,
            findings_per_inspection=self.findings_per_inspection * 2,
            values_per_report=self.values_per_report * 2,
            evidence_per_report=self.evidence_per_report * 2,
            answers_per_report=self.answers_per_report * 2,
        )


SIZES = {
    "small": Size("small", 1, 2, 4, 1, 2, 4, 9, 3, 6, 2, 3, 2),
    "province": Size("province", 1, 10, 22, 4, 12, 21, 59, 11, 58, 35, 12, 4),
    "national": Size("national", 34, 10, 22, 4, 12, 21, 59, 11, 58, 35, 12, 4),
}


# --- The seed outline, read from the fixture ------------------------------------------------


@dataclass
class Template:
    plan: dict
    outline: dict
    items: list  # (pk, fields, depth) in document order
    indicators: list
    rules: list
    footnotes: list


def load_template():
    data = json.loads(SEED_FIXTURE.read_text(encoding="utf-8"))
    objects = defaultdict(list)
    for row in data:
        objects[row["model"]].append(row)
    items = sorted(objects["reports.outlineitem"], key=lambda r: r["fields"]["order"])
    parents = {r["pk"]: r["fields"]["parent"] for r in items}

    def depth(pk):
        return 0 if parents[pk] is None else 1 + depth(parents[pk])

    return Template(
        plan=objects["plans.inspectionplan"][0]["fields"],
        outline=objects["reports.reportoutline"][0]["fields"],
        items=[(r["pk"], r["fields"], depth(r["pk"])) for r in items],
        indicators=sorted(objects["reports.indicator"], key=lambda r: r["fields"]["order"]),
        rules=objects["reports.indicatorrule"],
        footnotes=objects["reports.footnote"],
    )


# --- Helpers ---------------------------------------------------------------------------------


class Stats:
    def __init__(self, out):
        self.rows, self.seconds, self.out = Counter(), Counter(), out

    def bulk(self, model, objects):
        started = time.perf_counter()
        created = model.objects.bulk_create(objects, batch_size=BATCH)
        self.rows[model._meta.label] += len(created)
        self.seconds[model._meta.label] += time.perf_counter() - started
        return created


def shared_files():
    """A few small evidence files every generated evidence row points at (written once)."""
    contents = {
        "pdf": (b"%PDF-1.4\n% Tai lieu kiem chung mau\n%%EOF\n", "application/pdf"),
        "png": (b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png"),
    }
    files = {}
    for ext, (content, content_type) in contents.items():
        sha = hashlib.sha256(content).hexdigest()
        name = f"evidence/mau/{sha[:2]}/{sha}"
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(content))
        files[ext] = (name, len(content), sha, content_type)
    return files


def agency_code(index):
    place = words.PROVINCES[index % len(words.PROVINCES)][0]
    suffix = f"-{index // len(words.PROVINCES) + 1}" if index >= len(words.PROVINCES) else ""
    return f"SNV-{fold(place).replace(' ', '').upper()}{suffix}"[:20]


def pick(rng, weights):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def at(day, hour=9):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def localized(text, year, place):
    return (
        text.replace("2023", str(year))
        .replace("2022", str(year - 1))
        .replace("2021", str(year - 2))
        .replace("Thanh Hóa", place)
    )


# --- One province ----------------------------------------------------------------------------


class Province:
    def __init__(self, gen, index):
        self.gen, self.size, self.stats = gen, gen.size, gen.stats
        self.place, self.is_city = words.PROVINCES[index % len(words.PROVINCES)]
        self.rng = random.Random(f"{gen.seed}-{index}")
        self.today = gen.today
        self.tier = "thành phố" if self.is_city else "tỉnh"
        self.index = index
        self.abbr = agency_code(index).split("-", 1)[1].lower()
        self.counters = Counter()  # (year, doc type) → last number
        self.register = []  # (document, year, number, issued_on)

    def build(self):
        self.agency = Agency.objects.create(
            parent_name=f"UBND {self.tier.upper()} {self.place.upper()}",
            name="SỞ NỘI VỤ",
            short_name="Sở Nội vụ",
            parent_short_name=f"UBND {self.tier} {self.place}",
            code=agency_code(self.index),
            place_name=self.place,
            head_name=words.person(self.rng),
        )
        self.stats.rows[Agency._meta.label] += 1
        self.make_units()
        self.make_users()
        for offset in range(self.size.years):
            year = self.today.year - self.size.years + 1 + offset
            self.make_plan(year)
        self.make_register()
        return self.agency

    # Units and people ------------------------------------------------------------------

    def unit(self, name, category, parent=None, kind=""):
        name = self.gen.unique_name(name, self.rng)
        return Unit(
            name=name,
            search_name=fold(name),
            category=category,
            commune_kind=kind,
            parent=parent,
            valid_to=DISTRICTS_ABOLISHED if category == Unit.Category.DISTRICT else None,
            head_name=words.person(self.rng),
        )

    def make_units(self):
        size, rng = self.size, self.rng
        depts = [f"{name} {self.tier} {self.place}" for name in words.DEPARTMENTS]
        while len(depts) < size.departments:
            depts.append(f"Ban Quản lý dự án số {len(depts)} {self.tier} {self.place}")
        top = [self.unit(n, Unit.Category.DEPARTMENT) for n in depts[: size.departments]]
        top += [
            self.unit(f"{name} {self.tier} {self.place}", Unit.Category.CENTRAL)
            for name in (words.CENTRAL * 2)[: size.centrals]
        ]
        for n in range(size.districts):
            kind = "Thành phố" if n == 0 else rng.choice(["Huyện"] * 5 + ["Thị xã"])
            top.append(self.unit(f"{kind} {self.gen.place_name(rng)}", Unit.Category.DISTRICT))
        top = self.stats.bulk(Unit, top)
        self.departments = [u for u in top if u.category == Unit.Category.DEPARTMENT]
        self.centrals = [u for u in top if u.category == Unit.Category.CENTRAL]
        self.districts = [u for u in top if u.category == Unit.Category.DISTRICT]
        communes = []
        kinds = [("xa", "Xã")] * 7 + [("phuong", "Phường")] * 2 + [("thi_tran", "Thị trấn")]
        for district in self.districts:
            for _ in range(size.communes_per_district):
                kind, word = rng.choice(kinds)
                name = f"{word} {self.gen.place_name(rng)}"
                communes.append(self.unit(name, Unit.Category.COMMUNE, district, kind))
        self.communes = self.stats.bulk(Unit, communes)

    def user(self, username, role):
        family, middle, given = words.person(self.rng).split(" ", 2)
        user = get_user_model()(
            username=f"{self.abbr}.{username}",
            first_name=f"{middle} {given}",
            last_name=family,
            email=f"{username}@{self.abbr}.example.vn",
            password=self.gen.password_hash,
        )
        user._role = role
        return user

    def make_users(self):
        people = [self.user("cchc", Role.STAFF), self.user("lanhdao", Role.LEADER)]
        people += [self.user(f"doan{n + 1}", Role.TEAM_MEMBER) for n in range(4)]
        # Every unit has its focal person (đầu mối CCHC), as the plan requires.
        focal_units = self.departments + self.centrals + self.districts + self.communes
        people += [self.user(f"donvi{n + 1}", Role.FOCAL) for n in range(len(focal_units))]
        roles = [u._role for u in people]
        people = self.stats.bulk(get_user_model(), people)
        through = get_user_model().groups.through
        self.stats.bulk(
            through,
            [
                through(user_id=u.pk, group_id=self.gen.groups[r])
                for u, r in zip(people, roles, strict=True)
            ],
        )
        self.staff, self.leader = people[0], people[1]
        # The Sở's own staff and leader see its data only; team members and focal persons
        # are scoped by their teams and units.
        self.stats.bulk(AgencyStaff, [AgencyStaff(user=u, agency=self.agency) for u in people[:2]])
        self.team_users = people[2:6]
        self.stats.bulk(
            Membership,
            [
                Membership(user=u, unit=unit, position="Chuyên viên phụ trách CCHC")
                for u, unit in zip(people[6:], focal_units, strict=True)
            ],
        )

    # A plan and its outline ------------------------------------------------------------

    def make_plan(self, year):
        t, current = self.gen.template, year == self.today.year
        fields = {
            name: localized(t.plan[name], year, self.place)
            for name in [
                "title",
                "legal_basis",
                "purposes",
                "requirements",
                "subjects",
                "subjects_note",
                "forms",
                "timing",
                "contents",
                "contents_note",
                "duties_agency",
                "duties_units",
                "recipients",
                "appendix_title",
            ]
        }
        issued_on = datetime.date(year, 2, 1) + datetime.timedelta(days=self.rng.randint(0, 40))
        plan = InspectionPlan(
            agency=self.agency,
            year=year,
            symbol="KH-SNV",
            issued_on=issued_on,
            signer_title="GIÁM ĐỐC",
            signer_name=self.agency.head_name,
            status=InspectionPlan.Status.ISSUED if current else InspectionPlan.Status.CLOSED,
            **fields,
        )
        plan = self.stats.bulk(InspectionPlan, [plan])[0]
        self.number(plan, issued_on)
        outline = self.make_outline(plan, year)
        units = self.inspected_units(year)
        groups = self.make_groups(plan, year, units)
        self.stats.bulk(
            PlanEntry,
            [
                PlanEntry(plan=plan, group=groups[u.category], unit=u, order=n)
                for n, u in enumerate(units)
            ],
        )
        teams = self.make_teams(plan, year, issued_on)
        PlanYear(self, plan, outline, teams, units).build()

    def make_outline(self, plan, year):
        t = self.gen.template
        outline = ReportOutline(
            plan=plan,
            heading=t.outline["heading"],
            title=t.outline["title"],
            period_start=datetime.date(year - 2, 1, 1),
        )
        outline = self.stats.bulk(ReportOutline, [outline])[0]
        items = {}
        for level in range(max(d for _, _, d in t.items) + 1):
            rows = [(pk, f) for pk, f, d in t.items if d == level]
            made = self.stats.bulk(
                OutlineItem,
                [
                    OutlineItem(
                        outline=outline,
                        parent=items.get(f["parent"]),
                        kind=f["kind"],
                        label=f["label"],
                        title=localized(f["title"], year, self.place),
                        guidance=f["guidance"],
                        order=f["order"],
                        answerable=f["answerable"],
                        audience=f["audience"],
                    )
                    for _, f in rows
                ],
            )
            items.update({pk: item for (pk, _), item in zip(rows, made, strict=True)})
        indicators = self.stats.bulk(
            Indicator,
            [
                Indicator(
                    outline=outline,
                    item=items[r["fields"]["item"]],
                    audience=r["fields"]["audience"],
                    **{
                        k: r["fields"][k]
                        for k in [
                            "code",
                            "label",
                            "kind",
                            "unit_of_measure",
                            "order",
                            "includes_communes",
                        ]
                    },
                )
                for r in t.indicators
            ],
        )
        by_pk = {r["pk"]: ind for r, ind in zip(t.indicators, indicators, strict=True)}
        self.make_rules(outline, t, by_pk)
        self.stats.bulk(
            Footnote,
            [
                Footnote(
                    outline=outline,
                    number=r["fields"]["number"],
                    text=localized(r["fields"]["text"], year, self.place),
                    item=items.get(r["fields"]["item"]),
                    covers_communes=r["fields"]["covers_communes"],
                )
                for r in t.footnotes
            ],
        )
        outline.item_list = list(items.values())
        outline.indicator_list = indicators
        return outline

    def make_rules(self, outline, t, indicators):
        fields = [r["fields"] for r in t.rules]
        rules = self.stats.bulk(
            IndicatorRule,
            [
                IndicatorRule(
                    outline=outline,
                    operator=f["operator"],
                    target=indicators[f["target"]],
                    severity=f["severity"],
                    message=f["message"],
                )
                for f in fields
            ],
        )
        through = IndicatorRule.terms.through
        self.stats.bulk(
            through,
            [
                through(indicatorrule_id=rule.pk, indicator_id=indicators[term].pk)
                for rule, f in zip(rules, fields, strict=True)
                for term in f["terms"]
            ],
        )

    def inspected_units(self, year):
        """Phụ lục 1 of ``year``: a rotating share of each level (no districts after 2025);
        half of a year's units of each level were inspected the year before too."""
        n = self.size.inspections_per_plan

        def take(units, count):
            count = min(len(units), count)
            start = year * max(1, count // 2)
            return [units[(start + k) % len(units)] for k in range(count)] if units else []

        chosen = take(self.departments, max(1, n * 20 // 100))
        chosen += take(self.centrals, max(1, n * 4 // 100))
        if datetime.date(year, 1, 1) <= DISTRICTS_ABOLISHED:
            chosen += take(self.districts, max(1, n * 10 // 100))
        chosen += take(self.communes, n - len(chosen))
        return chosen

    def make_groups(self, plan, year, units):
        titles = {
            Unit.Category.DEPARTMENT: "Các Sở, ngành cấp tỉnh",
            Unit.Category.CENTRAL: "Các cơ quan Trung ương đóng trên địa bàn",
            Unit.Category.DISTRICT: "UBND cấp huyện",
            Unit.Category.COMMUNE: "UBND cấp xã",
        }
        present = [c for c in titles if any(u.category == c for u in units)]
        periods = [f"Quý II, quý III năm {year}", f"Trong năm {year}"]
        groups = self.stats.bulk(
            PlanGroup,
            [
                PlanGroup(
                    plan=plan,
                    order=n + 1,
                    title=titles[c],
                    category=c,
                    expected_period=periods[min(n, 1)],
                )
                for n, c in enumerate(present)
            ],
        )
        return dict(zip(present, groups, strict=True))

    def make_teams(self, plan, year, issued_on):
        teams = []
        for n in range(self.size.teams_per_plan):
            day = issued_on + datetime.timedelta(days=20 + n)
            team = InspectionTeam(
                plan=plan,
                name=f"Đoàn kiểm tra số {n + 1}",
                symbol="QĐ-SNV",
                issued_on=day,
                signer_title="GIÁM ĐỐC",
                signer_name=self.agency.head_name,
                status=InspectionTeam.Status.ISSUED,
                duties="Kiểm tra công tác cải cách hành chính theo Kế hoạch.",
            )
            teams.append(team)
        teams = self.stats.bulk(InspectionTeam, teams)
        members = []
        for n, team in enumerate(teams):
            self.number(team, team.issued_on)
            user = self.team_users[n % len(self.team_users)]
            members.append(
                TeamMember(
                    team=team,
                    user=user,
                    full_name=f"{user.last_name} {user.first_name}",
                    position=words.POSITIONS[0][0],
                    agency_name="Sở Nội vụ",
                    role=TeamMember.Role.LEADER,
                    order=0,
                )
            )
            roles = [TeamMember.Role.DEPUTY, TeamMember.Role.MEMBER, TeamMember.Role.SECRETARY]
            names = {members[-1].full_name}
            for k, role in enumerate(roles, start=1):
                name = words.person(self.rng)
                while name in names:
                    name = words.person(self.rng)
                names.add(name)
                position, agency = words.POSITIONS[k]
                members.append(
                    TeamMember(
                        team=team,
                        full_name=name,
                        position=position,
                        agency_name=agency,
                        role=role,
                        order=k,
                    )
                )
        self.stats.bulk(TeamMember, members)
        return teams

    # The document register -----------------------------------------------------------

    def number(self, document, issued_on):
        key = (issued_on.year, document.DOC_TYPE)
        self.counters[key] += 1
        document.number = self.counters[key]
        self.register.append((document, issued_on, self.counters[key]))

    def make_register(self):
        """Register rows for the numbers handed out, and the counters past them."""
        for model in (InspectionPlan, InspectionTeam, Conclusion):
            rows = [(d, day, n) for d, day, n in self.register if isinstance(d, model)]
            model.objects.bulk_update([d for d, _, _ in rows], ["number"], batch_size=BATCH)
        types = self.gen.content_types
        self.stats.bulk(
            RegisterEntry,
            [
                RegisterEntry(
                    agency=self.agency,
                    year=day.year,
                    doc_type=doc.DOC_TYPE,
                    number=n,
                    symbol=doc.symbol,
                    issued_on=day,
                    content_type_id=types[type(doc)],
                    object_id=doc.pk,
                    issued_by=self.leader,
                )
                for doc, day, n in self.register
            ],
        )
        self.stats.bulk(
            RegisterCounter,
            [
                RegisterCounter(agency=self.agency, year=y, doc_type=t, last_number=n)
                for (y, t), n in self.counters.items()
            ],
        )


# --- One plan's year of inspections ----------------------------------------------------------


class PlanYear:
    def __init__(self, province, plan, outline, teams, units):
        self.p, self.plan, self.outline, self.teams, self.units = (
            province,
            plan,
            outline,
            teams,
            units,
        )
        self.rng, self.stats, self.size, self.today = (
            province.rng,
            province.stats,
            province.size,
            province.today,
        )
        self.current = plan.year == self.today.year
        items = outline.item_list
        self.areas = [i for i in items if i.kind in {"heading", "point"} and i.answerable]
        self.answerable = [i for i in items if i.answerable]

    def build(self):
        inspections = self.stats.bulk(
            Inspection, [self.inspection(n, unit) for n, unit in enumerate(self.units)]
        )
        self.make_logs(inspections)
        self.make_reports(inspections)
        findings = self.make_findings(inspections)
        self.make_minutes(inspections)
        self.make_conclusions(inspections, findings)

    def status(self, n):
        if not self.current:
            return pick(self.rng, PAST_YEAR)
        statuses = list(CURRENT_YEAR)
        return statuses[n] if n < len(statuses) else pick(self.rng, CURRENT_YEAR)

    def inspection(self, n, unit):
        rng, status = self.rng, self.status(n)
        form = pick(rng, {"documents": 45, "on_site": 50, "unannounced": 5})
        if form == "unannounced" and status in {S.REPORT_REQUESTED, S.REPORT_SUBMITTED}:
            form = "on_site"
        inspection = Inspection(
            plan=self.plan, unit=unit, form=form, status=status, place=unit.name
        )
        inspection.path = self.path(status, form)
        if status == S.PLANNED:
            return inspection
        inspection.team = self.teams[n % len(self.teams)]
        if self.current:
            low, high = START_OFFSETS[status]
            start = self.today + datetime.timedelta(days=rng.randint(low, high))
        else:
            start = datetime.date(self.plan.year, 3, 1) + datetime.timedelta(rng.randint(0, 250))
        inspection.start_date = start
        inspection.end_date = start + datetime.timedelta(days=rng.choice([0, 0, 1, 2]))
        if form != "unannounced":
            deadline = start - datetime.timedelta(days=self.plan.report_lead_days)
            inspection.report_deadline = inspection.report_deadline_computed = deadline
            if S.REPORT_REQUESTED in inspection.path:
                inspection.report_requested_at = at(deadline - datetime.timedelta(days=15))
        return inspection

    @staticmethod
    def path(status, form):
        if status == S.CANCELLED:
            return [S.PLANNED, S.SCHEDULED, S.CANCELLED]
        path = PATH[: PATH.index(status) + 1]
        if form == "unannounced":
            path = [s for s in path if s not in {S.REPORT_REQUESTED, S.REPORT_SUBMITTED}]
        return path

    def make_logs(self, inspections):
        ct = self.p.gen.content_types[Inspection]
        actor = self.p.staff
        self.stats.bulk(
            StatusLog,
            [
                StatusLog(
                    content_type_id=ct,
                    object_id=i.pk,
                    from_status=before,
                    to_status=after,
                    actor=actor,
                )
                for i in inspections
                for before, after in zip(["", *i.path], i.path, strict=False)
            ],
        )

    # Reports ------------------------------------------------------------------------

    def report_status(self, inspection):
        if inspection.report_requested_at is None or inspection.status == S.CANCELLED:
            return None
        if inspection.status == S.REPORT_REQUESTED:
            return "returned" if self.rng.random() < 0.2 else "draft"
        if inspection.status == S.REPORT_SUBMITTED:
            return "submitted"
        return "accepted"

    def make_reports(self, inspections):
        reports, focal = [], self.p.staff
        for inspection in inspections:
            status = self.report_status(inspection)
            if status is None:
                continue
            report = UnitReport(inspection=inspection, status=status)
            if status in {"submitted", "accepted"}:
                late = self.rng.random() < 0.1
                days = self.rng.randint(1, 5) if late else -self.rng.randint(0, 3)
                report.submitted_at = at(inspection.report_deadline + datetime.timedelta(days))
                report.submitted_by = focal
            reports.append(report)
        reports = self.stats.bulk(UnitReport, reports)
        self.make_report_rows(reports)

    def applicable(self, unit):
        provincial = unit.category in {Unit.Category.DEPARTMENT, Unit.Category.CENTRAL}
        allowed = {
            "all",
            "district" if unit.is_district else "",
            "provincial" if provincial else "",
        }
        return [i for i in self.outline.indicator_list if i.audience in allowed]

    def make_report_rows(self, reports):
        size, rng = self.size, self.rng
        answers, values, evidence, links = [], [], [], []
        files = self.p.gen.files
        for report in reports:
            unit = report.inspection.unit
            share = 1 if report.status in {"submitted", "accepted"} else 2
            for item in self.answerable[: size.answers_per_report // share]:
                answers.append(
                    ItemAnswer(
                        report=report, item=item, text=words.answer(rng, unit, self.plan.year)
                    )
                )
            for indicator in self.applicable(unit)[: size.values_per_report // share]:
                values.append(
                    IndicatorValue(report=report, indicator=indicator, value=self.value(indicator))
                )
            for n in range(size.evidence_per_report // share):
                name = rng.choice(words.EVIDENCE_NAMES).format(year=self.plan.year, q=n % 4 + 1)
                path, length, sha, content_type = files[name.rsplit(".", 1)[1]]
                evidence.append(
                    Evidence(
                        report=report,
                        file=path,
                        original_name=name,
                        size=length,
                        sha256=sha,
                        content_type=content_type,
                        uploaded_by=self.p.staff,
                    )
                )
                links.append(self.answerable[n % len(self.answerable)])
        self.stats.bulk(ItemAnswer, answers)
        self.stats.bulk(IndicatorValue, values)
        evidence = self.stats.bulk(Evidence, evidence)
        through = Evidence.items.through
        self.stats.bulk(
            through,
            [
                through(evidence_id=e.pk, outlineitem_id=i.pk)
                for e, i in zip(evidence, links, strict=True)
            ],
        )

    def value(self, indicator):
        kind = indicator.kind
        if kind == Indicator.Kind.BOOLEAN:
            return Decimal(self.rng.random() < 0.8)
        if kind == Indicator.Kind.PERCENT:
            return Decimal(self.rng.randint(6000, 10000)) / 100
        if kind == Indicator.Kind.AMOUNT:
            return Decimal(self.rng.randint(10, 5000) * 1_000_000)
        return Decimal(self.rng.randint(0, 2000))

    # Findings, minutes, conclusions, remediation ---------------------------------------

    def make_findings(self, inspections):
        findings = []
        for inspection in inspections:
            if inspection.status not in REVIEWED_OR_LATER:
                continue
            for n in range(self.size.findings_per_inspection):
                # Every inspection finds a strength and a shortcoming at least.
                texts = words.FINDING_TEXTS if n > 2 else words.SHORTCOMINGS
                texts = words.STRENGTHS if n == 0 else texts
                kind, description, cause, recommendation = self.rng.choice(texts)
                findings.append(
                    Finding(
                        inspection=inspection,
                        item=self.rng.choice(self.areas),
                        kind=kind,
                        description=description,
                        search_description=fold(description),
                        cause=cause,
                        recommendation=recommendation,
                        responsible=inspection.unit.name if kind != "strength" else "",
                        handling="" if kind == "strength" else "unit_fixes",
                        created_by=self.p.staff,
                    )
                )
        return self.stats.bulk(Finding, findings)

    def make_minutes(self, inspections):
        self.stats.bulk(
            SiteVisitMinutes,
            [
                SiteVisitMinutes(
                    inspection=i,
                    held_on=i.start_date,
                    place=i.unit.name,
                    team_participants="\n".join(words.person(self.rng) for _ in range(3)),
                    unit_participants="\n".join(words.person(self.rng) for _ in range(2)),
                    checked="Đã kiểm tra hồ sơ, tài liệu theo đề cương báo cáo và Bộ phận Một cửa.",
                    unit_representative=i.unit.head_name,
                    unit_representative_title="Thủ trưởng cơ quan",
                    created_by=self.p.staff,
                )
                for i in inspections
                if i.form == "on_site" and i.status in REVIEWED_OR_LATER
            ],
        )

    def make_conclusions(self, inspections, findings):
        by_inspection = defaultdict(list)
        for finding in findings:
            by_inspection[finding.inspection_id].append(finding)
        concluded = [i for i in inspections if i.status in CONCLUDED_OR_LATER]
        conclusions = []
        for inspection in concluded:
            found = by_inspection[inspection.pk]
            issued = min(
                inspection.end_date + datetime.timedelta(self.rng.randint(10, 25)), self.today
            )
            conclusion = Conclusion(
                inspection=inspection,
                symbol="TB-SNV",
                issued_on=issued,
                signer_authority="KT. GIÁM ĐỐC",
                signer_title="PHÓ GIÁM ĐỐC",
                signer_name=words.person(self.rng),
                status=Conclusion.Status.ISSUED,
                strengths="\n".join(f.description for f in found if f.kind == "strength"),
                shortcomings="\n".join(f.description for f in found if f.kind != "strength"),
                requirements_intro="Đề nghị đơn vị khắc phục các tồn tại, hạn chế sau:",
                created_by=self.p.staff,
            )
            self.p.number(conclusion, issued)
            conclusions.append(conclusion)
        conclusions = self.stats.bulk(Conclusion, conclusions)
        actions = []
        for conclusion in conclusions:
            status = conclusion.inspection.status
            fixes = [f for f in by_inspection[conclusion.inspection_id] if f.kind != "strength"]
            for order, finding in enumerate(fixes, start=1):
                actions.append(self.action(conclusion, finding, order, status))
        self.stats.bulk(RemediationAction, actions)

    def action(self, conclusion, finding, order, inspection_status):
        rng = self.rng
        deadline = conclusion.issued_on + datetime.timedelta(days=rng.randint(30, 120))
        if inspection_status == S.CLOSED:
            status = A.VERIFIED
        elif inspection_status == S.CONCLUDED:
            status = A.OPEN
            if self.current:  # just concluded: the deadlines are ahead
                deadline = max(deadline, self.today + datetime.timedelta(days=rng.randint(5, 60)))
        elif self.current and order <= 2:
            # This year's remediation: an action overdue, another reported for verification.
            status = A.OPEN if order == 1 else A.REPORTED
            deadline = self.today + datetime.timedelta(days=rng.randint(5, 30) * (-1) ** order)
        else:
            status = pick(rng, {A.VERIFIED: 35, A.REPORTED: 20, A.OPEN: 45})
        action = RemediationAction(
            conclusion=conclusion,
            finding=finding,
            item=finding.item,
            order=order,
            requirement=finding.recommendation or finding.description,
            responsible=conclusion.inspection.unit.name,
            deadline=deadline,
            original_deadline=deadline,
            status=status,
        )
        if status != A.OPEN:
            reported = min(deadline - datetime.timedelta(days=rng.randint(-5, 20)), self.today)
            action.unit_report = rng.choice(words.REMEDIED_TEXTS)
            action.reported_at = at(reported)
            if status == A.VERIFIED:
                action.verified_at = at(min(reported + datetime.timedelta(days=7), self.today))
                action.review_comment = "Đã kiểm tra tài liệu chứng minh; xác nhận hoàn thành."
        return action


# --- The whole run ---------------------------------------------------------------------------


class Generator:
    def __init__(
        self, size, *, seed=2025, password="KiemTra@2023", out=None, today=None, first_province=0
    ):
        """``first_province``: index of the first province to build (another data set can
        then be generated beside one already there)."""
        self.size, self.seed = size, seed
        self.provinces = range(first_province, first_province + size.provinces)
        self.agencies = []
        self.today = today or timezone.localdate()
        self.out = out or (lambda line: None)
        self.stats = Stats(self.out)
        self.password = password
        self.names = set()

    def unique_name(self, name, rng):
        """Official names are unique nationwide here: a clash gets another place name."""
        base = name
        while name in self.names:
            name = f"{base.split(' ', 1)[0]} {self.place_name(rng)}"
            base = name
        self.names.add(name)
        return name

    @staticmethod
    def place_name(rng):
        first, second = rng.sample(words.SYLLABLES, 2)
        return f"{first} {second}"

    def prepare(self):
        codes = [agency_code(i) for i in self.provinces]
        if Agency.objects.filter(code__in=codes).exists():
            raise GenerationError(
                "Cơ sở dữ liệu đã có dữ liệu sinh tự động của các tỉnh này (cơ quan mã "
                f"{codes[0]}…); hãy dùng một cơ sở dữ liệu trống."
            )
        self.template = load_template()
        self.names = set(Unit.objects.values_list("name", flat=True))
        self.password_hash = make_password(self.password)
        self.groups = {
            role: Group.objects.get_or_create(name=GROUP_NAMES[role])[0].pk for role in Role
        }
        self.content_types = {
            model: ContentType.objects.get_for_model(model).pk
            for model in (InspectionPlan, InspectionTeam, Conclusion, Inspection)
        }
        self.files = shared_files()

    def run(self):
        started = time.perf_counter()
        self.prepare()
        if connection.vendor == "postgresql":
            # Generated data can be generated again: no need to wait for each commit's flush.
            with connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit TO off")
        for n, index in enumerate(self.provinces, start=1):
            with transaction.atomic():
                self.agencies.append(Province(self, index).build())
            self.out(f"Tỉnh {n}/{len(self.provinces)}: {time.perf_counter() - started:.1f} giây")
        self.national_user()
        self.seconds = time.perf_counter() - started
        return self.stats

    def national_user(self):
        """``bnv.cchc``: CCHC staff of no agency, who sees every province's data (the
        ministry's view; the benchmark exports the whole country's findings as them)."""
        user, created = get_user_model().objects.get_or_create(
            username=NATIONAL_USERNAME,
            defaults={
                "first_name": "Chuyên viên",
                "last_name": "Bộ Nội vụ",
                "email": "cchc@bnv.example.vn",
                "password": self.password_hash,
            },
        )
        if created:
            user.groups.add(self.groups[Role.STAFF])


def generate(size, **kwargs):
    return Generator(size, **kwargs).run()


# --- The pages a benchmark looks at ----------------------------------------------------------


def sample_pages(agency):
    """``(label, url, user)`` of the main pages, on one generated province's data: its
    latest plan's dashboard and plan page, an inspection in remediation, the review of the
    report with the most evidence, a unit's report form (its focal person), the findings
    register with a filter and with a search, the overdue remediation actions, and the
    home page of the focal person of the district inspected most often."""
    from django.db.models import Count
    from django.urls import reverse

    user_model = get_user_model()
    prefix = agency.code.split("-", 1)[1].lower()
    staff = user_model.objects.get(username=f"{prefix}.cchc")
    plan = InspectionPlan.objects.filter(agency=agency).order_by("-year").first()
    mine = Inspection.objects.filter(plan__agency=agency)
    inspection = (
        mine.filter(status=S.REMEDIATING).order_by("-plan__year", "pk").first()
        or mine.filter(status__in=CONCLUDED_OR_LATER).order_by("-plan__year", "pk").first()
    )
    reviewed = (
        UnitReport.objects.filter(inspection__in=mine, status__in=["submitted", "accepted"])
        .annotate(n=Count("evidence"))
        .order_by("-inspection__plan__year", "-n", "pk")
        .first()
    )
    # A report form shows last year's figures beside the fields when there are any.
    editable = (
        UnitReport.objects.filter(inspection__in=mine, status__in=["draft", "returned"])
        .annotate(earlier=Count("inspection__unit__inspections__report"))
        .order_by("-inspection__plan__year", "-earlier", "pk")
        .select_related("inspection")
        .first()
    )
    focal = Membership.objects.filter(unit=editable.inspection.unit_id).first().user
    district = (
        Membership.objects.filter(
            unit__category=Unit.Category.DISTRICT, user__username__startswith=f"{prefix}."
        )
        .annotate(n=Count("unit__inspections"))
        .order_by("-n", "pk")
        .first()
        .user
    )
    findings, tracker = reverse("findings:finding-list"), reverse("findings:tracker")
    return [
        ("Tổng quan (dashboard)", f"{reverse('findings:dashboard')}?plan={plan.pk}", staff),
        ("Trang kế hoạch", reverse("plans:plan-detail", args=[plan.pk]), staff),
        ("Trang cuộc kiểm tra", reverse("plans:inspection-detail", args=[inspection.pk]), staff),
        ("Xem xét báo cáo", reverse("reports:report-review", args=[reviewed.inspection_id]), staff),
        (
            "Báo cáo của đơn vị (biểu mẫu)",
            reverse("reports:report-edit", args=[editable.inspection_id]),
            focal,
        ),
        ("Sổ kết quả, lọc theo loại", f"{findings}?kind=shortcoming", staff),
        ("Sổ kết quả, lọc năm và tìm kiếm", f"{findings}?year={plan.year - 1}&q=mot+cua", staff),
        ("Theo dõi khắc phục, quá hạn", f"{tracker}?overdue=1", staff),
        ("Trang chủ của đơn vị", reverse("findings:unit-home"), district),
    ]
