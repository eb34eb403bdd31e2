"""factory_boy factories that build object graphs for tests."""

import contextlib
import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cchc_inspection.models import Agency
from cchc_inspection.roles import GROUP_NAMES
from findings.models import Conclusion, Finding, RemediationAction
from plans.models import (
    Inspection,
    InspectionPlan,
    InspectionTeam,
    PlanEntry,
    PlanGroup,
    TeamMember,
)
from reports.models import Indicator, OutlineItem, ReportOutline, UnitReport
from units.models import Membership, Unit

PASSWORD = "Mat-khau-thu-nghiem-2023"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"nguoidung{n}")
    first_name = "Văn A"
    last_name = "Nguyễn"
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.vn")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or ():
            # get_or_create: a transactional (browser) test flushes the migrated groups.
            self.groups.add(Group.objects.get_or_create(name=GROUP_NAMES[role])[0])


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    parent_name = "UBND TỈNH THANH HÓA"
    name = "SỞ NỘI VỤ"
    short_name = "Sở Nội vụ"
    parent_short_name = "UBND tỉnh Thanh Hóa"
    code = "SNV"
    place_name = "Thanh Hóa"
    head_title = "GIÁM ĐỐC"
    head_name = "Trần Quốc Huy"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"Sở Thử nghiệm số {n}")
    category = Unit.Category.DEPARTMENT


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InspectionPlan

    agency = factory.SubFactory(AgencyFactory)
    year = 2023
    symbol = "KH-SNV"
    title = "Kiểm tra công tác cải cách hành chính năm 2023"
    legal_basis = "Thực hiện Quyết định số 4750/QĐ-UBND ngày 30/12/2022 của Chủ tịch UBND tỉnh."
    purposes = "Đánh giá đúng thực trạng công tác cải cách hành chính."
    requirements = "Việc kiểm tra phải đảm bảo khách quan, trung thực."
    subjects = "Các sở, ngành cấp tỉnh."
    forms = "Kiểm tra trực tiếp tại các cơ quan, đơn vị, địa phương."
    timing = "Theo quyết định thành lập Đoàn kiểm tra."
    contents = "Công tác chỉ đạo, điều hành."
    duties_agency = "Phòng Cải cách hành chính tham mưu thành lập các Đoàn kiểm tra."
    duties_units = (
        "Xây dựng báo cáo gửi đoàn kiểm tra trước thời gian kiểm tra ít nhất 03 (ba) ngày."
    )
    recipients = "Bộ Nội vụ (để b/c);\nLưu: VT, CCHC (02)."
    signer_title = "GIÁM ĐỐC"
    signer_name = "Trần Quốc Huy"


class PlanGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanGroup

    plan = factory.SubFactory(PlanFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = "Các Sở, ngành cấp tỉnh"
    expected_period = "Trong năm 2023"


class PlanEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanEntry

    group = factory.SubFactory(PlanGroupFactory)
    plan = factory.SelfAttribute("group.plan")
    unit = factory.SubFactory(UnitFactory)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InspectionTeam

    plan = factory.SubFactory(PlanFactory)
    name = factory.Sequence(lambda n: f"Đoàn kiểm tra số {n + 1}")
    symbol = "QĐ-SNV"


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMember

    team = factory.SubFactory(TeamFactory)
    full_name = factory.Sequence(lambda n: f"Lê Thị Thành Viên {n}")
    position = "Chuyên viên"
    agency_name = "Sở Nội vụ"
    role = TeamMember.Role.MEMBER


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection

    plan = factory.SubFactory(PlanFactory)
    unit = factory.SubFactory(UnitFactory)
    form = Inspection.Form.ON_SITE
    start_date = datetime.date(2023, 6, 15)
    end_date = datetime.date(2023, 6, 15)


class OutlineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportOutline

    plan = factory.SubFactory(PlanFactory)
    title = "Tình hình, kết quả công tác cải cách hành chính"
    period_start = datetime.date(2021, 1, 1)


class OutlineItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutlineItem

    outline = factory.SubFactory(OutlineFactory)
    kind = OutlineItem.Kind.HEADING
    label = factory.Sequence(lambda n: str(n + 1))
    title = factory.Sequence(lambda n: f"Nội dung báo cáo số {n + 1}")
    order = factory.Sequence(lambda n: n + 1)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    item = factory.SubFactory(OutlineItemFactory)
    outline = factory.SelfAttribute("item.outline")
    code = factory.Sequence(lambda n: f"chi-tieu-{n}")
    label = factory.Sequence(lambda n: f"Chỉ tiêu {n}")
    kind = Indicator.Kind.COUNT
    unit_of_measure = "văn bản"
    order = factory.Sequence(lambda n: n + 1)


class UnitReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitReport

    inspection = factory.SubFactory(InspectionFactory)


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Finding

    inspection = factory.SubFactory(InspectionFactory)
    item = factory.SubFactory(OutlineItemFactory)
    kind = Finding.Kind.SHORTCOMING
    description = "Chưa ban hành kế hoạch tuyên truyền CCHC năm 2023."
    created_by = factory.SubFactory(UserFactory)


class ConclusionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conclusion

    inspection = factory.SubFactory(InspectionFactory)
    symbol = "TB-SNV"
    strengths = "Đơn vị ban hành đầy đủ kế hoạch CCHC năm."
    shortcomings = "Chưa ban hành kế hoạch tuyên truyền CCHC."
    created_by = factory.SubFactory(UserFactory)


class RemediationActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RemediationAction

    conclusion = factory.SubFactory(ConclusionFactory)
    item = factory.SubFactory(OutlineItemFactory)
    requirement = "Ban hành kế hoạch tuyên truyền CCHC năm 2023."
    responsible = "Văn phòng Sở"
    deadline = datetime.date(2023, 12, 31)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Tests put actions straight on an issued conclusion; the application only adds
        # them to a draft (see ``unlocked``).
        with unlocked():
            return super()._create(model_class, *args, **kwargs)


@contextlib.contextmanager
def unlocked():
    """Build test data in a state the application only reaches step by step (a submitted
    report with its figures, an issued conclusion with its actions) in one go: the model
    integrity checks (``cchc_inspection.integrity``) are off inside the block."""
    from cchc_inspection import integrity

    saved = dict(integrity.LOCKS)
    integrity.LOCKS.clear()
    try:
        yield
    finally:
        integrity.LOCKS.update(saved)
