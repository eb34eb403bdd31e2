"""The loader: plays the year of ``content.SCENARIOS`` on a plan through the services."""

import contextlib
import datetime
import functools
import os
import random
import zlib
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from cchc_inspection import deadlines, vn
from cchc_inspection.roles import GROUP_NAMES, Role
from cchc_inspection.text import fold
from findings import services
from findings.forms import ActionFormSet, ConclusionForm
from findings.models import Finding
from plans import services as plan_services
from plans.forms import team_initial
from plans.models import InspectionTeam, TeamMember
from reports import services as report_services
from reports.models import OutlineItem
from units.models import Membership, Unit

from .content import (
    ANSWERS,
    CHECKED,
    EXTENSION_REASON,
    FALLBACK_ANSWER,
    FINDINGS,
    PEOPLE,
    REJECTED_COMMENT,
    REMEDIED,
    RETURN_COMMENTS,
    SCENARIOS,
    TEAMS,
    UNIT_DOCUMENTS,
    VERIFIED_COMMENT,
    Form,
)
from .figures import figure_value, item_keys, text_values, unit_figures, unit_subject
from .files import Files
from .reset import MARKER, DemoError


def _at(day, hour=9, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@contextlib.contextmanager
def signed_in(user):
    """Within the block, history rows (django-simple-history) name ``user``, the way
    its middleware names the signed-in user of a page request."""
    try:
        from simple_history.models import HistoricalRecords
    except ImportError:  # pragma: no cover - history not installed
        yield
        return
    context = HistoricalRecords.context
    previous = getattr(context, "request", None)
    context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if previous is None:
            del context.request
        else:
            context.request = previous


def workday(day, forward=False):
    """``day`` if it is a working day, else the nearest one before (or after) it."""
    step = datetime.timedelta(days=1 if forward else -1)
    while not deadlines.is_working_day(day):
        day += step
    return day


def _initials(name):
    words = [w for w in fold(name).replace(",", " ").split() if w != "va"]
    return "".join(w[0] for w in words).upper()


def _level(unit):
    """ "huyện", "thành phố" or "thị xã": how a district-level unit calls itself."""
    folded = fold(unit.name)
    for level in ("thành phố", "thị xã"):
        if folded.startswith(fold(level)):
            return level
    return "huyện"


class Loader:
    """Plays the year of SCENARIOS on ``plan`` through the services, as each role would."""

    def __init__(self, plan, *, today, users):
        self.plan, self.today, self.users = plan, today, users
        self.staff, self.leader = users["cchc"], users["lanhdao"]
        self.outline = plan.outline
        self.keys = item_keys(self.outline)
        self.files = Files(plan.agency)
        self.stored = []  # storage names written, deleted again if the load fails
        self.skipped = []
        self.focal = {}
        self.agency_name = plan.agency.short_name

    def day(self, offset):
        return self.today + datetime.timedelta(days=offset)

    def act(self, person, service, /, **kwargs):
        """Call ``service`` as ``person`` would from its page: ``actor=person``, and the
        change history names them as HistoryRequestMiddleware does for a request."""
        with signed_in(person):
            return service(actor=person, **kwargs)

    # The plan and its teams --------------------------------------------------------------

    def run(self):
        self.act(self.staff, plan_services.log_note, obj=self.plan, note=MARKER)
        plan_day = workday(min(datetime.date(self.plan.year, 3, 15), self.day(-110)))
        self.act(self.leader, plan_services.plan_issue, plan=self.plan, issued_on=plan_day)
        self.plan.refresh_from_db()
        self.teams = [self.make_team(i, members) for i, members in enumerate(TEAMS, start=1)]
        for scenario in SCENARIOS:
            unit = self.unit_named(scenario.unit)
            if unit is None:
                self.skipped.append(scenario.unit)
                continue
            self.play(scenario, unit)

    def make_team(self, number, members):
        team = InspectionTeam(plan=self.plan, name=f"Đoàn kiểm tra số {number}")
        for name, value in team_initial(self.plan).items():
            setattr(team, name, value)
        self.act(self.staff, plan_services.team_create, team=team)
        for role, who, position, agency in members:
            user = self.users[who[1:]] if who.startswith("@") else None
            member = TeamMember(
                team=team,
                user=user,
                full_name="" if user else who,
                position=position,
                agency_name=agency,
                role=role,
            )
            self.act(self.staff, plan_services.member_save, member=member)
        return self.act(
            self.leader,
            plan_services.team_decision_issue,
            team=team,
            issued_on=workday(self.day(-100 + number)),
        )

    def unit_named(self, name):
        listed = self.plan.entries.filter(unit__in=Unit.objects.search(name)).select_related("unit")
        entry = next((e for e in listed if fold(e.unit.name) == fold(name)), None)
        return entry.unit if entry else None

    def focal_for(self, unit):
        """The unit's focal person; a demo account when the unit has none."""
        if unit.pk in self.focal:
            return self.focal[unit.pk]
        membership = (
            Membership.objects.active()
            .filter(unit=unit, user__is_active=True)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        user = membership.user if membership else make_focal_account(unit)
        self.focal[unit.pk] = user
        return user

    def worker(self, scenario):
        """Who records minutes and findings: the team member persona on its team, else the
        CCHC staff member who is the team's secretary."""
        return self.users["doankiemtra"] if scenario.team == 2 else self.staff

    # One inspection --------------------------------------------------------------------

    def play(self, scenario, unit):
        # Visits fall on working days; the ones due in a day or two move earlier, so that
        # their report deadline stays in the past.
        start = workday(self.day(scenario.start), forward=scenario.start > 2)
        on_site = scenario.form != Form.DOCUMENTS
        inspection = self.act(
            self.staff,
            plan_services.inspection_schedule,
            plan=self.plan,
            unit=unit,
            today=start - datetime.timedelta(days=30),
            team=self.teams[scenario.team - 1],
            form=scenario.form,
            start_date=start,
            end_date=start + datetime.timedelta(days=1 if on_site else 0),
            place=f"Trụ sở {unit_subject(unit)}" if on_site else "",
            logistics_notes="Xe ô tô của Văn phòng Sở; xuất phát 07 giờ 00 tại trụ sở Sở Nội vụ."
            if on_site
            else "",
        )
        flow = scenario.flow
        if flow == "scheduled":
            return
        if flow == "cancelled":
            self.act(
                self.staff,
                plan_services.inspection_cancel,
                inspection=inspection,
                reason=scenario.note,
            )
            return
        if scenario.form == Form.UNANNOUNCED:
            self.visit(scenario, inspection)
            self.act(self.staff, plan_services.inspection_review_done, inspection=inspection)
            self.record_findings(scenario, inspection)
            return
        self.report_phase(scenario, inspection, unit)
        if flow in {"closed", "remediating", "drafted"}:
            self.review_phase(scenario, inspection, unit)

    def report_phase(self, scenario, inspection, unit):
        inspection.refresh_from_db()
        deadline = inspection.report_deadline
        submit_day = workday(min(deadline - datetime.timedelta(days=2), self.day(-1)))
        request_day = workday(min(deadline - datetime.timedelta(days=14), submit_day))
        report = self.act(
            self.staff,
            report_services.report_request,
            inspection=inspection,
            now=_at(request_day, 8, 30),
        )
        focal = self.focal_for(unit)
        flow = scenario.flow
        self.fill(report, unit, focal, partial=flow == "late_draft", broken=flow == "draft_broken")
        evidence = self.add_evidence(report, unit, focal, partial=flow == "late_draft")
        if flow in {"late_draft", "draft_broken"}:
            return
        late = flow == "submitted_late"
        self.act(
            focal,
            report_services.report_submit,
            report=report,
            now=None if late else _at(submit_day, 15, 30),
        )
        if flow == "submitted_late":
            return
        if flow == "returned":
            self.return_report(report, unit, focal, evidence)
            return
        self.act(self.staff, report_services.report_accept, report=report)

    def return_report(self, report, unit, focal, evidence):
        comments = [
            (self.keys.get(key) if key else None, text)
            for key, text in RETURN_COMMENTS
            if key is None or key in self.keys
        ]
        self.act(self.staff, report_services.report_return, report=report, comments=comments)
        # The unit starts fixing: a corrected spreadsheet replaces the first one.
        sheet = next(e for e in evidence if e.original_name.endswith(".xlsx"))
        rows, _ = self.act(
            focal,
            report_services.evidence_add,
            report=report,
            files=[self.stats_sheet(unit, report, revised=True)],
            items=[],
            replaces=sheet,
        )
        self.stored += [row.file.name for row in rows]

    def review_phase(self, scenario, inspection, unit):
        if scenario.form != Form.DOCUMENTS:
            self.visit(scenario, inspection)
            self.act(self.staff, plan_services.inspection_review_done, inspection=inspection)
        findings = self.record_findings(scenario, inspection)
        start = inspection.start_date
        conclusion = self.act(
            self.staff,
            services.conclusion_draft,
            inspection=inspection,
            today=start + datetime.timedelta(days=8),
        )
        if scenario.flow == "drafted":
            return
        steps = {step.finding: step for step in scenario.findings}
        by_finding = {pk: steps[key] for key, pk in findings.items()}
        self.set_deadlines(conclusion, inspection, by_finding)
        self.act(
            self.leader,
            services.conclusion_issue,
            conclusion=conclusion,
            issued_on=workday(start + datetime.timedelta(days=10)),
        )
        conclusion.refresh_from_db()
        focal = self.focal_for(unit)
        for action in conclusion.actions.order_by("order"):
            self.follow(action, by_finding[action.finding_id], conclusion, unit, focal)

    def visit(self, scenario, inspection):
        unit = inspection.unit
        rng = random.Random(zlib.crc32(fold(unit.name).encode()))
        people = rng.sample(PEOPLE, 3)
        if unit.is_district:
            level = _level(unit)
            titles = [
                f"Phó Chủ tịch UBND {level}",
                f"Chánh Văn phòng HĐND và UBND {level}",
                "Trưởng phòng Nội vụ",
            ]
        else:
            titles = ["Phó Giám đốc", "Chánh Văn phòng", "Chuyên viên phụ trách CCHC"]
        names = [f"{last} {first}" for last, first in people]
        team_lines = [
            f"{m.full_name}, {m.position or m.get_role_display()}"
            f"{', ' + m.agency_name if m.agency_name else ''} — {m.get_role_display()}"
            for m in inspection.team.members.all()
        ]
        self.act(
            self.worker(scenario),
            services.minutes_create,
            inspection=inspection,
            data={
                "held_on": inspection.start_date,
                "place": inspection.place or f"Trụ sở {unit_subject(unit)}",
                "team_participants": "\n".join(team_lines),
                "unit_participants": "\n".join(
                    f"{name}, {title}" for name, title in zip(names, titles, strict=True)
                ),
                "checked": CHECKED,
                "remarks": (
                    "Đơn vị thống nhất với nội dung biên bản và cam kết khắc phục các tồn tại, "
                    "hạn chế Đoàn kiểm tra đã chỉ ra."
                ),
                "unit_representative": names[0],
                "unit_representative_title": titles[0],
            },
        )

    def record_findings(self, scenario, inspection):
        """Record the scenario's findings; ``{finding key: finding pk}``."""
        made = {}
        responsible = unit_subject(inspection.unit)
        for step in scenario.findings:
            area, kind, description, cause, recommendation = FINDINGS[step.finding]
            if area not in self.keys:
                continue
            handling = ""
            if kind != Finding.Kind.STRENGTH:
                handling = (
                    Finding.Handling.REFER
                    if step.finding == "cap-pho-vuot-khung"
                    else Finding.Handling.UNIT_FIXES
                )
            finding = self.act(
                self.worker(scenario),
                services.finding_create,
                inspection=inspection,
                data={
                    "item": self.keys[area],
                    "kind": kind,
                    "description": description,
                    "cause": cause,
                    "recommendation": recommendation,
                    "responsible": responsible if kind != Finding.Kind.STRENGTH else "",
                    "handling": handling,
                },
            )
            made[step.finding] = finding.pk
        return made

    def set_deadlines(self, conclusion, inspection, by_finding):
        """Give each action its deadline the way the conclusion page does: a bound form and
        action formset saved through ``conclusion_save``."""
        actions = list(conclusion.actions.order_by("order", "pk"))
        data = {name: getattr(conclusion, name) for name in ConclusionForm._meta.fields} | {
            "actions-TOTAL_FORMS": str(len(actions)),
            "actions-INITIAL_FORMS": str(len(actions)),
            "actions-MIN_NUM_FORMS": "0",
            "actions-MAX_NUM_FORMS": "1000",
        }
        for i, action in enumerate(actions):
            deadline = self.day(by_finding[action.finding_id].deadline)
            data |= {
                f"actions-{i}-id": str(action.pk),
                f"actions-{i}-item": str(action.item_id),
                f"actions-{i}-requirement": action.requirement,
                f"actions-{i}-responsible": action.responsible,
                f"actions-{i}-deadline": deadline.isoformat(),
            }
        areas = OutlineItem.objects.filter(
            pk__in=[a.pk for a in services.area_items(inspection)]
        ).order_by("order")
        form = ConclusionForm(data, instance=conclusion)
        formset = ActionFormSet(
            data,
            instance=conclusion,
            queryset=conclusion.actions.order_by("order", "pk"),
            form_kwargs={"areas": areas},
            prefix="actions",
        )
        if not (form.is_valid() and formset.is_valid()):
            raise DemoError(f"Không lưu được dự thảo kết luận: {form.errors} {formset.errors}")
        self.act(
            self.staff, services.conclusion_save, conclusion=conclusion, form=form, formset=formset
        )

    def follow(self, action, step, conclusion, unit, focal):
        outcome = step.outcome
        if outcome == "extended":
            self.act(
                self.staff,
                services.remediation_extend,
                action=action,
                new_deadline=self.day(step.extended_to),
                reason=EXTENSION_REASON,
            )
            return
        if outcome == "open":
            return
        proof = self.proof(action, step, conclusion, unit)
        action = self.act(
            focal,
            services.remediation_report,
            action=action,
            text=REMEDIED[step.finding],
            files=[proof],
        )
        self.stored += [p.file.name for p in action.proofs.all()]
        if outcome == "verified":
            self.act(
                self.staff, services.remediation_verify, action=action, comment=VERIFIED_COMMENT
            )
        elif outcome == "rejected":
            self.act(
                self.staff, services.remediation_reject, action=action, comment=REJECTED_COMMENT
            )

    # The unit's report ---------------------------------------------------------------

    def fill(self, report, unit, focal, *, partial=False, broken=False):
        """Answer the outline item by item, as the report page saves it (``item_save``).
        ``partial`` stops after the first section; ``broken`` makes the typing slip that
        breaks the rule "received = in person + by post + online" (a draft keeps it)."""
        from reports import figures

        known, rng = unit_figures(unit)
        if broken:
            known["hs-tiep-nhan"] += 90
        since = self.outline.period_start.year if self.outline.period_start else self.plan.year
        words = text_values(known, unit, self.plan.year, since)
        keys = {item.pk: key for key, item in self.keys.items()}
        items = figures.visible_items(self.outline, unit)
        indicators = figures.asked_indicators(self.outline, unit, items)
        for item in items:
            if partial and not keys[item.pk].startswith("I."):
                break
            asked = [i for i in indicators if i.item_id == item.pk]
            if not (item.answerable or asked):
                continue
            template = ANSWERS.get(keys[item.pk], FALLBACK_ANSWER)
            text = template.format_map({**words, "title": item.title}) if item.answerable else None
            values = [(i, figure_value(i, known, rng), 0) for i in asked]
            self.act(
                focal,
                report_services.item_save,
                report=report,
                item=item,
                text=text,
                text_version=0,
                values=values,
            )

    def add_evidence(self, report, unit, focal, *, partial=False):
        """Upload the unit's evidence through ``evidence_add``: the documents of
        UNIT_DOCUMENTS (only its plan for a report barely begun) and the one-stop figures
        as a spreadsheet."""
        known, _ = unit_figures(unit)
        since = self.outline.period_start.year if self.outline.period_start else self.plan.year
        words = text_values(known, unit, self.plan.year, since)
        uploads = []
        for doc in UNIT_DOCUMENTS:
            if partial and doc.full_only:
                continue
            upload = self.unit_pdf(
                unit,
                doc.name.format_map(words),
                doc.kind,
                tuple(t.format_map(words) for t in doc.title),
                [t.format_map(words) for t in doc.body],
                workday(datetime.date(self.plan.year, *doc.month_day), forward=True),
            )
            uploads.append((upload, doc.items, doc.description))
        sheet = self.stats_sheet(unit, report)
        uploads.insert(1, (sheet, ["II.2", "II.2.2"], "Số liệu giải quyết TTHC"))
        rows = []
        for upload, keys, description in uploads:
            items = [self.keys[k] for k in keys if k in self.keys]
            if not items:
                continue
            made, _ = self.act(
                focal,
                report_services.evidence_add,
                report=report,
                files=[upload],
                items=items,
                description=description,
            )
            self.stored += [row.file.name for row in made]
            rows += made
        return rows

    def unit_pdf(self, unit, name, kind, title, paragraphs, day):
        """A document ``unit`` issued: its header, number, place and head's signature."""
        rng = random.Random(zlib.crc32(fold(unit.name + name).encode()))
        last, first = random.Random(zlib.crc32(fold(unit.name).encode())).choice(PEOPLE)
        if unit.is_district:
            header = ("", unit_subject(unit).upper())
            symbol, head = f"{kind}-UBND", "CHỦ TỊCH"
            place = unit.name.split(maxsplit=2 if _level(unit) != "huyện" else 1)[-1]
        else:
            parent = "" if unit.category == Unit.Category.CENTRAL else self.plan.agency.parent_name
            header = (parent, unit.name.upper())
            symbol, head = f"{kind}-{_initials(unit.name)}", "GIÁM ĐỐC"
            place = self.plan.agency.place_name
        return self.files.pdf(
            name,
            header=header,
            number=f"{rng.randint(5, 180):02d}/{symbol}",
            place=place,
            day=day,
            title=title,
            paragraphs=[p for p in paragraphs if p],
            signer=(head, f"{last} {first}"),
        )

    def stats_sheet(self, unit, report, revised=False):
        item = self.keys.get("II.2.2")
        values = report.values.select_related("indicator").order_by("indicator__order")
        rows = [
            (v.indicator.label, v.value) for v in values if item and v.indicator.item_id == item.pk
        ]
        title = f"Kết quả giải quyết TTHC năm {self.plan.year} — {unit_subject(unit)}"
        name = f"Thống kê giải quyết TTHC năm {self.plan.year}"
        if revised:
            title += " (bổ sung theo nhận xét của Đoàn kiểm tra)"
            name += " (bổ sung)"
        return self.files.xlsx(f"{name}.xlsx", title=title, rows=rows)

    def proof(self, action, step, conclusion, unit):
        number = conclusion.number_display
        return self.unit_pdf(
            unit,
            f"Báo cáo kết quả khắc phục - yêu cầu {action.order:02d}.pdf",
            "BC",
            ("BÁO CÁO", "Kết quả khắc phục tồn tại, hạn chế sau kiểm tra công tác CCHC"),
            [
                f"Thực hiện Thông báo kết luận kiểm tra số {number} "
                f"{vn.long_date(conclusion.issued_on)} của {self.agency_name}, "
                f"{unit_subject(unit)} báo cáo kết quả khắc phục như sau:",
                f"Yêu cầu: {action.requirement}",
                f"Kết quả: {REMEDIED[step.finding]}",
            ],
            workday(self.day(-3)),
        )


@functools.lru_cache(maxsize=1)
def _demo_password_hash():
    """Hashed once: the demo accounts share one password, and hashing is slow on purpose."""
    from cchc_inspection.management.commands.create_demo_users import DEFAULT_PASSWORD

    return make_password(os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD)


def make_focal_account(unit):
    """A focal person's account for a unit that has none, with the demo password."""
    rng = random.Random(zlib.crc32(fold(unit.name).encode()) + 1)
    last, first = rng.choice(PEOPLE)
    username = "daumoi-" + "-".join(fold(unit.name).replace(",", " ").split())
    user, created = get_user_model().objects.get_or_create(
        username=username[:150],
        defaults={
            "last_name": last,
            "first_name": first,
            "email": f"{username[:60]}@example.vn",
        },
    )
    if created:
        user.password = _demo_password_hash()
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get_or_create(name=GROUP_NAMES[Role.FOCAL])[0])
    Membership.objects.update_or_create(
        user=user, unit=unit, defaults={"is_active": True, "position": "Chuyên viên phụ trách CCHC"}
    )
    return user
