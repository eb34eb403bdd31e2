"""A year of inspections to try the product with: what ``manage.py load_demo_data`` makes.

The loader takes the latest plan (a draft fresh from the seed) and plays its year the way
the pages would: the leader issues the plan and the team decisions, CCHC staff schedule,
request, review, draft conclusions and follow remediation, team members write minutes and
findings, and each unit's focal person answers the outline with figures and evidence and
reports what it fixed. Every step is a call to the same service the page calls, with the
person the page would require; nothing sets a status by hand.

Dates. The plan is issued on a day of its own year (the document says "năm 2023"), but the
inspections happen around *today*, so that the dashboard has reports due this week and
late, and remediation due soon and overdue. Services that normally use the current day
take ``today=``/``issued_on=``/``now=`` for that; the status log itself is written at the
time the loader runs.

No inspection rests in the "concluded" status: issuing a conclusion moves it on at once
(to remediating, or closed when nothing is to be fixed), which the log shows.
"""

import datetime
import functools
import io
import os
import random
import zlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cchc_inspection import vn
from cchc_inspection.models import RegisterCounter, RegisterEntry, StatusLog
from cchc_inspection.roles import GROUP_NAMES, Role
from cchc_inspection.text import fold
from plans import services as plan_services
from plans.forms import team_initial
from plans.models import Inspection, InspectionPlan, InspectionTeam, TeamMember
from reports import services as report_services
from reports.models import Evidence, Indicator, OutlineItem, UnitReport
from units.models import Membership, Unit

from . import services
from .forms import ActionFormSet, ConclusionForm
from .models import Conclusion, Finding, RemediationAction, RemediationProof, SiteVisitMinutes

# The first row the loader writes: its presence marks a plan as filled with demo data.
MARKER = "Nạp dữ liệu thử nghiệm (lệnh load_demo_data)."
Form = Inspection.Form


class DemoError(Exception):
    """The demo cannot be loaded; the message says why, in Vietnamese."""


# --- The year, unit by unit ------------------------------------------------------------------
#
# ``start`` is the first day of the inspection in days from today. ``flow`` is how far the
# inspection has gone. ``findings`` name entries of FINDINGS; for each shortcoming the
# remediation plan gives its deadline (days from today) and what happened to it:
# open, reported, verified, rejected (reported then sent back) or extended (to days).


@dataclass
class Step:
    finding: str
    deadline: int | None = None
    outcome: str = "open"
    extended_to: int | None = None


@dataclass
class Scenario:
    unit: str
    team: int
    form: str
    start: int
    flow: str
    findings: list = field(default_factory=list)
    note: str = ""


SCENARIOS = [
    Scenario(
        "Sở Giáo dục và Đào tạo",
        1,
        Form.ON_SITE,
        -75,
        "closed",
        [
            Step("chi-dao-manh"),
            Step("mot-cua-tot"),
            Step("bao-cao-cham", -40, "verified"),
            Step("chuyen-doi-vi-tri", -35, "verified"),
        ],
    ),
    Scenario(
        "Sở Giao thông Vận tải",
        1,
        Form.DOCUMENTS,
        -70,
        "remediating",
        [
            Step("dien-tu-tot"),
            Step("niem-yet-tthc", -25, "open"),
            Step("tai-san-cong", -2, "reported"),
            Step("toan-trinh-thap", 6, "rejected"),
        ],
    ),
    Scenario(
        "Thành phố Thanh Hóa",
        3,
        Form.DOCUMENTS,
        -65,
        "closed",
        [Step("mot-cua-tot"), Step("sang-kien-tot"), Step("toan-trinh-thap", -30, "verified")],
    ),
    Scenario(
        "Huyện Bá Thước",
        3,
        Form.DOCUMENTS,
        -60,
        "remediating",
        [
            Step("chi-dao-manh"),
            Step("xin-loi-tre-hen", 20, "open"),
            Step("theo-doi-sau-kiem-tra", -30, "verified"),
        ],
    ),
    Scenario(
        "Sở Tư pháp",
        2,
        Form.ON_SITE,
        -50,
        "remediating",
        [
            Step("chi-dao-manh"),
            Step("dien-tu-tot"),
            Step("theo-doi-sau-kiem-tra", -20, "verified"),
            Step("ra-soat-qppl-cham", 4, "open"),
            Step("xin-loi-tre-hen", -10, "rejected"),
            Step("niem-yet-tthc", 30, "reported"),
            Step("chuyen-doi-vi-tri", -5, "extended", extended_to=25),
        ],
    ),
    Scenario(
        "Huyện Đông Sơn",
        2,
        Form.ON_SITE,
        -45,
        "remediating",
        [
            Step("mot-cua-tot"),
            Step("sang-kien-tot"),
            Step("bao-cao-cham", -15, "verified"),
            Step("xin-loi-tre-hen", 3, "open"),
            Step("cap-pho-vuot-khung", -8, "open"),
            Step("toan-trinh-thap", 45, "reported"),
        ],
    ),
    Scenario(
        "Sở Lao động, Thương binh và Xã hội",
        1,
        Form.ON_SITE,
        -30,
        "drafted",
        [Step("chi-dao-manh"), Step("niem-yet-tthc"), Step("tai-san-cong")],
    ),
    Scenario(
        "Huyện Lang Chánh",
        3,
        Form.UNANNOUNCED,
        -12,
        "reviewed",
        [Step("mot-cua-tot"), Step("xin-loi-tre-hen"), Step("van-hoa-cong-vu")],
    ),
    Scenario("Sở Tài nguyên Môi trường", 2, Form.ON_SITE, 2, "submitted_late"),
    Scenario("Huyện Ngọc Lặc", 3, Form.ON_SITE, 5, "accepted"),
    Scenario("Bảo hiểm xã hội tỉnh", 1, Form.DOCUMENTS, 8, "returned"),
    Scenario("Huyện Vĩnh Lộc", 2, Form.DOCUMENTS, 6, "draft_broken"),
    Scenario("Huyện Như Xuân", 3, Form.ON_SITE, 1, "late_draft"),
    Scenario("Huyện Nông Cống", 3, Form.ON_SITE, 20, "scheduled"),
    Scenario(
        "Cục Quản lý thị trường",
        1,
        Form.ON_SITE,
        15,
        "cancelled",
        note=(
            "Đơn vị đang được Thanh tra tỉnh thanh tra toàn diện trong cùng thời gian; "
            "chuyển kiểm tra sang kế hoạch năm sau."
        ),
    ),
]

TEAMS = [
    # (role, full name or persona username, position, agency)
    [
        (TeamMember.Role.LEADER, "@lanhdao", "Phó Giám đốc Sở Nội vụ", ""),
        (TeamMember.Role.DEPUTY, "Trịnh Thị Hà", "Trưởng phòng Cải cách hành chính", ""),
        (
            TeamMember.Role.MEMBER,
            "Lê Thị Thu",
            "Phó Trưởng phòng Xây dựng và kiểm tra văn bản QPPL",
            "Sở Tư pháp",
        ),
        (TeamMember.Role.SECRETARY, "@cchc", "Chuyên viên Phòng Cải cách hành chính", ""),
    ],
    [
        (TeamMember.Role.LEADER, "Nguyễn Đức Long", "Phó Giám đốc Sở Nội vụ", ""),
        (TeamMember.Role.DEPUTY, "Phạm Thị Hồng", "Phó Trưởng phòng Cải cách hành chính", ""),
        (TeamMember.Role.MEMBER, "@doankiemtra", "Chuyên viên chính", ""),
        (
            TeamMember.Role.MEMBER,
            "Hoàng Minh Tú",
            "Chuyên viên Phòng Bưu chính, Viễn thông",
            "Sở Thông tin và Truyền thông",
        ),
        (TeamMember.Role.SECRETARY, "Lê Thị Mai", "Chuyên viên Phòng Cải cách hành chính", ""),
    ],
    [
        (TeamMember.Role.LEADER, "Trịnh Thị Hà", "Trưởng phòng Cải cách hành chính", ""),
        (TeamMember.Role.MEMBER, "Đỗ Văn Khánh", "Chuyên viên Phòng Ngân sách", "Sở Tài chính"),
        (TeamMember.Role.MEMBER, "Vũ Quang Huy", "Chuyên viên Phòng Tổ chức, biên chế", ""),
        (TeamMember.Role.SECRETARY, "@cchc", "Chuyên viên Phòng Cải cách hành chính", ""),
    ],
]

# Names for the people a unit sends to meetings, and for the focal persons the loader
# creates for units that have none (only Sở Tư pháp and Huyện Đông Sơn come with one).
PEOPLE = [
    ("Nguyễn", "Văn Hùng"),
    ("Lê", "Thị Hồng Nhung"),
    ("Trần", "Minh Quân"),
    ("Phạm", "Thị Thanh"),
    ("Hoàng", "Văn Tuấn"),
    ("Vũ", "Thị Ngọc Anh"),
    ("Đặng", "Quốc Việt"),
    ("Bùi", "Thị Hạnh"),
    ("Đỗ", "Đình Khôi"),
    ("Lương", "Thị Yến"),
    ("Mai", "Xuân Trường"),
    ("Trịnh", "Thị Lan Anh"),
]


# --- What the units write, item by item ------------------------------------------------------
#
# Keyed by the item's place in the outline: "I" (a section), "I.1" (a heading), "I.1.2"
# (the second point under it). Placeholders: {subject}, {Subject}, {year}, {since}, and
# each figure by its code with "_" for "-" (already formatted the Vietnamese way).

ANSWERS = {
    "I.1": (
        "Năm {year}, {subject} xác định cải cách hành chính là nhiệm vụ trọng tâm, thường "
        "xuyên; người đứng đầu trực tiếp chỉ đạo, phân công nhiệm vụ cụ thể cho từng phòng, "
        "ban, đơn vị và gắn kết quả thực hiện với đánh giá, xếp loại cán bộ, công chức."
    ),
    "I.1.1": (
        "{Subject} ban hành Kế hoạch CCHC năm {year} với {nhiem_vu_cchc} nhiệm vụ, phân công "
        "rõ đơn vị chủ trì, thời hạn hoàn thành. Đến thời điểm báo cáo đã hoàn thành "
        "{nhiem_vu_hoan_thanh}/{nhiem_vu_cchc} nhiệm vụ, đạt {ty_le_hoan_thanh}; các nhiệm vụ "
        "còn lại đang triển khai theo tiến độ."
    ),
    "I.1.2": (
        "Đã ban hành {vb_trien_khai_cchc} văn bản chỉ đạo, triển khai công tác CCHC (kế "
        "hoạch, công văn đôn đốc, thông báo kết luận giao ban). Các văn bản được ban hành kịp "
        "thời, bám sát Kế hoạch CCHC của tỉnh và được theo dõi trên phần mềm quản lý văn bản."
    ),
    "I.1.3": (
        "Thực hiện chế độ báo cáo định kỳ quý, 6 tháng, năm; từ năm {since} đến nay đã gửi "
        "đúng hạn {bc_cchc_dung_han} báo cáo công tác CCHC về Sở Nội vụ. Tổ chức sơ kết 6 "
        "tháng, tổng kết năm, chỉ rõ nhiệm vụ chậm tiến độ và nguyên nhân."
    ),
    "I.2": (
        "Công tác tuyên truyền CCHC được quan tâm, gắn với phổ biến, giáo dục pháp luật và "
        "chuyển đổi số."
    ),
    "I.2.1": (
        "Ban hành Kế hoạch tuyên truyền CCHC năm {year}; nội dung tập trung vào cải cách thủ "
        "tục hành chính, dịch vụ công trực tuyến, thanh toán trực tuyến và văn hóa công vụ."
    ),
    "I.2.2": (
        "Hình thức tuyên truyền: đăng tin, bài trên Cổng thông tin điện tử; niêm yết tại Bộ "
        "phận Một cửa; lồng ghép tại hội nghị giao ban; tổ chức cuộc thi tìm hiểu về CCHC. "
        "Nhận thức của cán bộ, công chức và người dân có chuyển biến rõ nét, tỷ lệ hồ sơ nộp "
        "trực tuyến tăng so với năm trước."
    ),
    "I.3": (
        "Công tác kiểm tra CCHC được thực hiện theo kế hoạch, kết hợp kiểm tra đột xuất việc "
        "giải quyết thủ tục hành chính."
    ),
    "I.3.1": (
        "Ban hành Kế hoạch kiểm tra công tác CCHC năm {year}; đã kiểm tra {dv_duoc_kiem_tra} "
        "đơn vị; thành phần đoàn gồm lãnh đạo và công chức các phòng chuyên môn."
    ),
    "I.3.2": (
        "Qua kiểm tra phát hiện {van_de_phat_hien} tồn tại, hạn chế (chủ yếu về niêm yết công "
        "khai TTHC, cập nhật hồ sơ trên hệ thống, lưu trữ hồ sơ); đến nay đã khắc phục "
        "{van_de_khac_phuc} vấn đề, các vấn đề còn lại đang được đôn đốc khắc phục."
    ),
    "I.4": "Phong trào sáng kiến, cải tiến trong công tác CCHC được phát động hằng năm.",
    "I.4.1": (
        "Có {sang_kien} sáng kiến, giải pháp CCHC đang áp dụng, tiêu biểu: mô hình “Bộ phận "
        "Một cửa thân thiện”, tra cứu tiến độ hồ sơ bằng mã QR, hướng dẫn người dân nộp hồ sơ "
        "trực tuyến ngay tại Bộ phận Một cửa."
    ),
    "I.4.2": (
        "Các sáng kiến được Hội đồng sáng kiến đánh giá, công nhận; mô hình hướng dẫn nộp hồ "
        "sơ trực tuyến tại chỗ góp phần nâng tỷ lệ hồ sơ trực tuyến và đang được nhân rộng."
    ),
    "II.1": (
        "Công tác xây dựng, kiểm tra, rà soát văn bản QPPL được thực hiện đúng trình tự, thủ "
        "tục của Luật Ban hành văn bản quy phạm pháp luật."
    ),
    "II.1.1": (
        "Từ năm {since} đến nay, {subject} đã ban hành, tham mưu ban hành {qppl_ban_hanh} văn "
        "bản QPPL, bảo đảm đúng thẩm quyền, trình tự, thủ tục."
    ),
    "II.1.2": (
        "Triển khai kịp thời các văn bản pháp luật mới thuộc lĩnh vực quản lý qua hội nghị "
        "quán triệt, văn bản hướng dẫn và đăng tải trên Cổng thông tin điện tử."
    ),
    "II.1.3": (
        "Ban hành Kế hoạch rà soát, kiểm tra văn bản QPPL năm {year}; đã rà soát "
        "{qppl_ra_soat} văn bản QPPL thuộc trách nhiệm tham mưu, ban hành."
    ),
    "II.1.4": (
        "Sau rà soát đã sửa đổi, bổ sung, bãi bỏ {qppl_da_xu_ly} văn bản; đề xuất cấp có "
        "thẩm quyền sửa đổi, bổ sung, bãi bỏ {qppl_de_xuat} văn bản."
    ),
    "II.1.5": (
        "Ban hành Kế hoạch theo dõi tình hình thi hành pháp luật năm {year}; thực hiện "
        "{kiem_tra_thpl} cuộc kiểm tra, khảo sát; kết quả được tổng hợp và kiến nghị xử lý."
    ),
    "II.2": (
        "Cải cách thủ tục hành chính và thực hiện cơ chế một cửa, một cửa liên thông được "
        "xác định là khâu đột phá, triển khai đồng bộ.{communes}"
    ),
    "II.2.1": (
        "Ban hành Kế hoạch kiểm soát TTHC năm {year}; rà soát {tthc_ra_soat} TTHC; công bố "
        "{quy_trinh_noi_bo} quy trình nội bộ giải quyết TTHC và {tthc_cong_bo} TTHC. TTHC được "
        "công khai tại Bộ phận Một cửa, trên Cổng Dịch vụ công và bằng mã QR."
    ),
    "II.2.2": (
        "Số TTHC thực hiện theo cơ chế một cửa: {tthc_mot_cua}; liên thông cùng cấp "
        "{tthc_lien_thong_cung_cap}, liên thông giữa các cấp {tthc_lien_thong_cac_cap}; cắt "
        "giảm thời gian giải quyết {tthc_cat_giam} TTHC. Tổng số hồ sơ tiếp nhận "
        "{hs_tiep_nhan} (trực tiếp {hs_truc_tiep}; qua BCCI {hs_bcci}; trực tuyến "
        "{hs_truc_tuyen}); đã giải quyết {hs_da_giai_quyet}, trong đó đúng hạn {hs_dung_han} "
        "(đạt {ty_le_dung_han}), quá hạn {hs_qua_han}; đã xin lỗi {hs_xin_loi} trường hợp trễ "
        "hẹn. Bộ phận Một cửa bố trí {cbcc_mot_cua} công chức, hỗ trợ {muc_ho_tro_mot_cua} "
        "đồng/người/tháng; tỷ lệ hài lòng qua khảo sát đạt {ty_le_hai_long}."
    ),
    "II.2.3": (
        "Tiếp nhận {pakn_tiep_nhan} phản ánh, kiến nghị về quy định hành chính; đã xử lý "
        "{pakn_da_xu_ly}, kết quả được công khai trên Cổng thông tin điện tử."
    ),
    "II.3": "Tổ chức bộ máy được sắp xếp, kiện toàn theo hướng tinh gọn, hiệu lực, hiệu quả.",
    "II.3.1": (
        "Đã ban hành quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức theo hướng "
        "dẫn của Bộ, ngành; hiện có {phong_ban_truc_thuoc} phòng, ban, đơn vị trực thuộc."
    ),
    "II.3.2": (
        "Có {lanh_dao_cap_truong} lãnh đạo cấp trưởng và {lanh_dao_cap_pho} cấp phó các "
        "phòng, ban, đơn vị trực thuộc; danh sách lãnh đạo kèm theo báo cáo."
    ),
    "II.3.3": (
        "Biên chế được giao năm {year}: {bien_che_giao}; có mặt tại thời điểm báo cáo "
        "{bien_che_co_mat}; hợp đồng lao động {hop_dong_lao_dong}; tinh giản {tinh_gian_bien_che} "
        "người trong kỳ báo cáo."
    ),
    "II.3.4": (
        "Có {dvsn_tu_chu} đơn vị sự nghiệp công lập thực hiện cơ chế tự chủ theo Nghị định "
        "số 60/2021/NĐ-CP của Chính phủ."
    ),
    "II.3.5": (
        "Thực hiện phân cấp quản lý nhà nước trên {linh_vuc_phan_cap} lĩnh vực; ban hành kế "
        "hoạch và kiểm tra việc thực hiện các nhiệm vụ được phân cấp."
    ),
    "II.4": ("Công tác quản lý cán bộ, công chức, viên chức được thực hiện theo vị trí việc làm."),
    "II.4.1": (
        "Tuyển dụng {ccvc_tuyen_dung} công chức, viên chức; bổ nhiệm mới {ccvc_bo_nhiem} "
        "người, bảo đảm đúng tiêu chuẩn, quy trình."
    ),
    "II.4.2": (
        "Tổ chức {lop_dtbd} lớp đào tạo, bồi dưỡng với {luot_dtbd} lượt cán bộ, công chức, "
        "viên chức tham gia, theo Kế hoạch đào tạo, bồi dưỡng của tỉnh."
    ),
    "II.4.3": (
        "Thực hiện đầy đủ chế độ đối với người được cử đi đào tạo, bồi dưỡng; đánh giá chất "
        "lượng bồi dưỡng theo Thông tư số 10/2017/TT-BNV của Bộ Nội vụ."
    ),
    "II.4.4": (
        "Toàn huyện có {cbcc_cap_xa} cán bộ, công chức cấp xã và {khong_chuyen_trach_cap_xa} "
        "người hoạt động không chuyên trách cấp xã; việc bố trí, sắp xếp theo đúng quy định."
    ),
    "II.4.5": "Thực hiện tinh giản biên chế theo lộ trình, đúng đối tượng và chế độ.",
    "II.4.6": (
        "Ban hành kế hoạch kiểm tra kỷ luật, kỷ cương hành chính; đã kiểm tra "
        "{dv_kiem_tra_ky_luat} đơn vị, xử lý kỷ luật {cbccvc_ky_luat} cán bộ, công chức, viên "
        "chức. Thực hiện Đề án văn hóa công vụ, nội quy cơ quan, đeo thẻ công chức."
    ),
    "II.4.7": (
        "Ban hành kế hoạch chuyển đổi vị trí công tác năm {year}; đã chuyển đổi "
        "{chuyen_doi_vi_tri} công chức theo danh mục vị trí phải chuyển đổi."
    ),
    "II.5": "Quản lý tài chính công được thực hiện công khai, minh bạch.",
    "II.5.1": (
        "Kinh phí từ ngân sách nhà nước được sử dụng đúng mục đích, đúng định mức; công "
        "khai dự toán, quyết toán theo quy định."
    ),
    "II.5.2": (
        "Có {dv_tu_chu_tai_chinh} đơn vị thực hiện cơ chế tự chủ, tự chịu trách nhiệm; tiết "
        "kiệm chi thường xuyên để tăng thu nhập cho cán bộ, công chức, viên chức."
    ),
    "II.5.3": (
        "Có {kien_nghi_sau_thanh_tra} kiến nghị sau thanh tra, kiểm tra, kiểm toán về tài "
        "chính, ngân sách; đã thực hiện {kien_nghi_da_thuc_hien} kiến nghị."
    ),
    "II.5.4": (
        "Đã ban hành quy chế quản lý, sử dụng tài sản công; tài sản được theo dõi trên phần "
        "mềm quản lý tài sản."
    ),
    "II.5.5": "Thực hiện tự kiểm tra tài chính, ngân sách hằng năm tại các đơn vị trực thuộc.",
    "II.6": "Xây dựng chính quyền điện tử, chính quyền số được đẩy mạnh.",
    "II.6.1": (
        "Tỷ lệ văn bản trao đổi dưới dạng điện tử đạt {ty_le_van_ban_dien_tu}; 100% lãnh đạo "
        "được cấp và sử dụng chữ ký số."
    ),
    "II.6.2": (
        "Duy trì, cải tiến hệ thống quản lý chất lượng theo tiêu chuẩn TCVN ISO 9001:2015 "
        "trong giải quyết thủ tục hành chính."
    ),
    "II.6.3": (
        "Cung cấp {dvc_toan_trinh} dịch vụ công trực tuyến toàn trình, phát sinh "
        "{hs_toan_trinh} hồ sơ; {tthc_thanh_toan_truc_tuyen} TTHC triển khai thanh toán trực "
        "tuyến, {tthc_co_thanh_toan} TTHC có phát sinh giao dịch với {hs_thanh_toan_truc_tuyen} "
        "hồ sơ; đã sử dụng hóa đơn điện tử."
    ),
    "IV.1": (
        "Công tác CCHC được chỉ đạo quyết liệt; thủ tục hành chính được công khai, giải quyết "
        "đúng hạn đạt tỷ lệ cao; ứng dụng công nghệ thông tin có chuyển biến rõ nét."
    ),
    "IV.2": (
        "Tỷ lệ hồ sơ trực tuyến toàn trình còn thấp; một số hồ sơ giải quyết quá hạn. Nguyên "
        "nhân: hạ tầng công nghệ thông tin chưa đồng bộ, một bộ phận người dân chưa quen sử "
        "dụng dịch vụ công trực tuyến."
    ),
    "V": (
        "Tiếp tục thực hiện Chương trình tổng thể CCHC giai đoạn 2021 - 2030; nâng cao tỷ lệ "
        "hồ sơ trực tuyến toàn trình, số hóa hồ sơ, kết quả giải quyết TTHC; siết chặt kỷ "
        "luật, kỷ cương hành chính."
    ),
    "VI": (
        "Đề nghị Sở Nội vụ tổ chức tập huấn nghiệp vụ CCHC cho công chức đầu mối; đề nghị "
        "nâng cấp Hệ thống thông tin giải quyết TTHC của tỉnh để kết nối đồng bộ dữ liệu."
    ),
}
FALLBACK_ANSWER = (
    "{Subject} đã triển khai nội dung này theo kế hoạch; kết quả cụ thể như sau: {title}"
)

# Findings the teams record, by area key (a section or heading of the outline).
FINDINGS = {
    "chi-dao-manh": (
        "I.1",
        Finding.Kind.STRENGTH,
        "Ban hành kịp thời Kế hoạch CCHC năm và các văn bản triển khai; người đứng đầu trực "
        "tiếp chỉ đạo, gắn kết quả CCHC với đánh giá, xếp loại cán bộ, công chức.",
        "",
        "",
    ),
    "mot-cua-tot": (
        "II.2",
        Finding.Kind.STRENGTH,
        "Bộ phận Một cửa bố trí khoa học, niêm yết công khai đầy đủ TTHC; tỷ lệ hồ sơ giải "
        "quyết đúng hạn cao.",
        "",
        "",
    ),
    "dien-tu-tot": (
        "II.6",
        Finding.Kind.STRENGTH,
        "Tỷ lệ văn bản trao đổi dưới dạng điện tử cao; lãnh đạo sử dụng chữ ký số thường xuyên.",
        "",
        "",
    ),
    "sang-kien-tot": (
        "I.4",
        Finding.Kind.STRENGTH,
        "Mô hình hướng dẫn người dân nộp hồ sơ trực tuyến tại Bộ phận Một cửa phát huy hiệu "
        "quả, có thể nhân rộng.",
        "",
        "",
    ),
    "bao-cao-cham": (
        "I.1",
        Finding.Kind.SHORTCOMING,
        "Báo cáo công tác CCHC định kỳ quý III gửi chậm so với thời hạn quy định.",
        "Chưa phân công cụ thể công chức theo dõi, tổng hợp báo cáo.",
        "Chấn chỉnh việc thực hiện chế độ báo cáo định kỳ; phân công công chức đầu mối theo "
        "dõi, tổng hợp báo cáo đúng thời hạn.",
    ),
    "theo-doi-sau-kiem-tra": (
        "I.3",
        Finding.Kind.SHORTCOMING,
        "Chưa theo dõi, đôn đốc việc khắc phục tồn tại, hạn chế sau kiểm tra CCHC tại các "
        "đơn vị trực thuộc.",
        "Chưa lập danh mục tồn tại sau kiểm tra và thời hạn khắc phục.",
        "Lập danh mục tồn tại, hạn chế sau kiểm tra, giao trách nhiệm và thời hạn khắc phục "
        "cụ thể cho từng đơn vị.",
    ),
    "ra-soat-qppl-cham": (
        "II.1",
        Finding.Kind.SHORTCOMING,
        "Kế hoạch rà soát văn bản QPPL năm ban hành chậm; kết quả rà soát chưa được công bố.",
        "Công chức làm công tác pháp chế kiêm nhiệm nhiều việc.",
        "Ban hành kế hoạch rà soát văn bản QPPL trong quý I hằng năm và công bố kết quả rà "
        "soát theo quy định.",
    ),
    "xin-loi-tre-hen": (
        "II.2",
        Finding.Kind.SHORTCOMING,
        "Một số hồ sơ TTHC giải quyết quá hạn chưa có văn bản xin lỗi người dân, tổ chức.",
        "Chưa kiểm soát chặt chẽ tiến độ giải quyết hồ sơ trên Hệ thống thông tin giải quyết TTHC.",
        "Rà soát toàn bộ hồ sơ quá hạn, thực hiện xin lỗi người dân, tổ chức theo quy định "
        "và báo cáo kết quả về Sở Nội vụ.",
    ),
    "niem-yet-tthc": (
        "II.2",
        Finding.Kind.VIOLATION,
        "Niêm yết TTHC tại Bộ phận Một cửa chưa cập nhật theo quyết định công bố mới; còn "
        "niêm yết 12 TTHC đã bãi bỏ.",
        "Chưa rà soát nội dung niêm yết sau mỗi quyết định công bố TTHC.",
        "Cập nhật ngay việc niêm yết công khai TTHC theo quyết định công bố hiện hành; gỡ bỏ "
        "các TTHC đã bãi bỏ.",
    ),
    "cap-pho-vuot-khung": (
        "II.3",
        Finding.Kind.VIOLATION,
        "Số lượng cấp phó của 02 phòng chuyên môn vượt khung quy định.",
        "Chưa sắp xếp sau khi hợp nhất phòng chuyên môn.",
        "Xây dựng lộ trình sắp xếp số lượng cấp phó theo đúng khung quy định, báo cáo Sở Nội vụ.",
    ),
    "chuyen-doi-vi-tri": (
        "II.4",
        Finding.Kind.SHORTCOMING,
        "Chưa ban hành kế hoạch chuyển đổi vị trí công tác năm; danh sách công chức thuộc "
        "diện chuyển đổi chưa đầy đủ.",
        "Chưa rà soát danh mục vị trí công tác phải chuyển đổi.",
        "Ban hành Kế hoạch chuyển đổi vị trí công tác và thực hiện theo quy định của Nghị "
        "định số 59/2019/NĐ-CP.",
    ),
    "van-hoa-cong-vu": (
        "II.4",
        Finding.Kind.SHORTCOMING,
        "Một số công chức Bộ phận Một cửa không đeo thẻ công chức trong giờ làm việc.",
        "Việc kiểm tra nội bộ về văn hóa công vụ chưa thường xuyên.",
        "Chấn chỉnh việc chấp hành nội quy, quy chế làm việc và đeo thẻ công chức.",
    ),
    "tai-san-cong": (
        "II.5",
        Finding.Kind.SHORTCOMING,
        "Chưa sửa đổi quy chế quản lý, sử dụng tài sản công theo quy định mới.",
        "Chậm rà soát quy chế nội bộ khi văn bản cấp trên thay đổi.",
        "Sửa đổi, ban hành quy chế quản lý, sử dụng tài sản công của cơ quan.",
    ),
    "toan-trinh-thap": (
        "II.6",
        Finding.Kind.SHORTCOMING,
        "Tỷ lệ hồ sơ trực tuyến toàn trình còn thấp; nhiều dịch vụ công trực tuyến không "
        "phát sinh hồ sơ.",
        "Người dân chưa quen sử dụng; thành phần hồ sơ giấy còn nhiều.",
        "Tăng cường hướng dẫn người dân nộp hồ sơ trực tuyến; rà soát, cắt giảm thành phần hồ "
        "sơ giấy đối với các dịch vụ công toàn trình.",
    ),
}

REMEDIED = {
    "bao-cao-cham": "Đã ban hành quyết định phân công công chức đầu mối tổng hợp báo cáo CCHC; "
    "báo cáo quý IV gửi đúng hạn.",
    "theo-doi-sau-kiem-tra": "Đã lập danh mục tồn tại sau kiểm tra, giao 05 đơn vị trực thuộc "
    "khắc phục; kết quả theo dõi hằng tháng.",
    "ra-soat-qppl-cham": "Đã ban hành kế hoạch rà soát văn bản QPPL và công bố kết quả rà soát.",
    "xin-loi-tre-hen": "Đã rà soát hồ sơ quá hạn và gửi thư xin lỗi người dân, tổ chức.",
    "niem-yet-tthc": "Đã cập nhật niêm yết 100% TTHC theo quyết định công bố hiện hành, gỡ bỏ "
    "12 TTHC đã bãi bỏ.",
    "cap-pho-vuot-khung": "Đã xây dựng lộ trình sắp xếp cấp phó, trình UBND huyện phê duyệt.",
    "chuyen-doi-vi-tri": "Đã ban hành kế hoạch chuyển đổi vị trí công tác, chuyển đổi 04 công chức.",
    "tai-san-cong": "Đã ban hành quy chế quản lý, sử dụng tài sản công sửa đổi.",
    "toan-trinh-thap": "Đã tổ chức hướng dẫn tại Bộ phận Một cửa; tỷ lệ hồ sơ trực tuyến toàn "
    "trình tháng gần nhất tăng lên 46%.",
}
VERIFIED_COMMENT = "Đã kiểm tra tài liệu chứng minh; xác nhận đơn vị hoàn thành khắc phục."
REJECTED_COMMENT = (
    "Tài liệu gửi kèm chưa thể hiện đầy đủ kết quả khắc phục; đề nghị bổ sung danh sách chi "
    "tiết và văn bản chứng minh tương ứng."
)
EXTENSION_REASON = (
    "Đơn vị đề nghị gia hạn do phải chờ ý kiến thống nhất của Sở Nội vụ về danh mục vị trí "
    "việc làm trước khi ban hành kế hoạch."
)
RETURN_COMMENTS = [
    (
        "II.2.2",
        "Đề nghị bổ sung số liệu hồ sơ tiếp nhận qua dịch vụ BCCI theo từng quý và tài liệu "
        "kiểm chứng là báo cáo trích xuất từ Hệ thống thông tin giải quyết TTHC.",
    ),
    ("II.4.6", "Chưa có tài liệu kiểm chứng về việc kiểm tra kỷ luật, kỷ cương hành chính."),
    (None, "Báo cáo cần có chữ ký của người đứng đầu và đóng dấu trước khi gửi lại."),
]
CHECKED = (
    "Kiểm tra hồ sơ, tài liệu về công tác chỉ đạo, điều hành CCHC; kiểm tra trực tiếp tại Bộ "
    "phận Một cửa: việc niêm yết công khai TTHC, sổ theo dõi hồ sơ, ngẫu nhiên 20 hồ sơ TTHC "
    "đã giải quyết; việc thực hiện kỷ luật, kỷ cương hành chính và văn hóa công vụ."
)


# --- Figures that hold together -----------------------------------------------------------


def unit_figures(unit, *, seed=""):
    """Plausible figures for ``unit`` that satisfy every rule of the seed's outline, the
    same on every run (seeded by the unit's name). A district's one-stop figures include
    its communes (seed footnote 2), so they are larger."""
    rng = random.Random(zlib.crc32(fold(unit.name + seed).encode()))
    district = unit.is_district

    def n(low, high):
        return rng.randint(low, high)

    tasks = n(18, 32)
    found = n(6, 20)
    received = n(15000, 60000) if district else n(2000, 15000)
    online = round(received * rng.uniform(0.35, 0.7))
    post = round(received * rng.uniform(0.01, 0.05))
    resolved = received - n(20, 300)
    late = n(3, 40)
    claims = n(3, 30)
    units = n(12, 14) if district else n(6, 12)
    quota = n(100, 160) if district else n(50, 120)
    recommendations = n(2, 10)
    payable = n(20, 120)
    values = {
        "ke-hoach-cchc": 1,
        "nhiem-vu-cchc": tasks,
        "nhiem-vu-hoan-thanh": tasks - n(0, 3),
        "vb-trien-khai-cchc": n(12, 40),
        "bc-cchc-dung-han": n(12, 16),
        "ke-hoach-tuyen-truyen": 1,
        "ke-hoach-kiem-tra": 1,
        "dv-duoc-kiem-tra": n(8, 20) if district else n(3, 8),
        "van-de-phat-hien": found,
        "van-de-khac-phuc": found - n(0, 4),
        "sang-kien": n(1, 5),
        "qppl-ban-hanh": n(0, 3) if district else n(4, 15),
        "qppl-ra-soat": n(30, 120),
        "qppl-da-xu-ly": n(2, 10),
        "qppl-de-xuat": n(1, 8),
        "ke-hoach-theo-doi-thpl": 1,
        "kiem-tra-thpl": n(1, 6),
        "ke-hoach-kstthc": 1,
        "tthc-ra-soat": n(40, 150),
        "quy-trinh-noi-bo": n(40, 150),
        "tthc-cong-bo": n(40, 150),
        "tthc-mot-cua": n(250, 330) if district else n(80, 220),
        "tthc-dang-thuc-hien": n(250, 330) if district else n(80, 220),
        "tthc-nganh-doc": n(10, 40) if district else 0,
        "tthc-lien-thong-cung-cap": n(2, 10),
        "tthc-lien-thong-cac-cap": n(3, 12),
        "tthc-cat-giam": n(5, 40),
        "hs-so-hoa": round(received * rng.uniform(0.4, 0.8)),
        "hs-tiep-nhan": received,
        "hs-truc-tiep": received - online - post,
        "hs-bcci": post,
        "hs-truc-tuyen": online,
        "hs-da-giai-quyet": resolved,
        "hs-dung-han": resolved - late,
        "hs-qua-han": late,
        "hs-xin-loi": late - n(0, min(3, late)),
        "cbcc-mot-cua": n(10, 20) if district else n(2, 6),
        "muc-ho-tro-mot-cua": rng.choice([300000, 400000, 500000]),
        "ty-le-hai-long": n(9200, 9950) / 100,
        "pakn-tiep-nhan": claims,
        "pakn-da-xu-ly": claims - n(0, 2),
        "phong-ban-truc-thuoc": units,
        "lanh-dao-cap-truong": units,
        "lanh-dao-cap-pho": n(units, units * 2),
        "bien-che-giao": quota,
        "bien-che-co-mat": quota - n(0, 8),
        "hop-dong-lao-dong": n(3, 15),
        "tinh-gian-bien-che": n(0, 5),
        "dvsn-tu-chu": n(1, 8),
        "linh-vuc-phan-cap": n(2, 8),
        "ccvc-tuyen-dung": n(0, 12),
        "ccvc-bo-nhiem": n(1, 8),
        "lop-dtbd": n(3, 15),
        "luot-dtbd": n(100, 600),
        "cbcc-cap-xa": n(300, 520),
        "khong-chuyen-trach-cap-xa": n(150, 350),
        "dv-kiem-tra-ky-luat": n(3, 15),
        "cbccvc-ky-luat": n(0, 3),
        "chuyen-doi-vi-tri": n(2, 12),
        "dv-tu-chu-tai-chinh": n(1, 8),
        "kien-nghi-sau-thanh-tra": recommendations,
        "kien-nghi-da-thuc-hien": recommendations - n(0, 2),
        "quy-che-tai-san-cong": 1,
        "ty-le-van-ban-dien-tu": n(9500, 9990) / 100,
        "ap-dung-iso": 1,
        "dvc-toan-trinh": n(30, 150),
        "hs-toan-trinh": round(online * rng.uniform(0.3, 0.8)),
        "tthc-thanh-toan-truc-tuyen": payable,
        "tthc-co-thanh-toan": payable - n(0, payable // 2),
        "hs-thanh-toan-truc-tuyen": n(100, 3000),
        "hoa-don-dien-tu": 1,
    }
    return {code: _decimal(value) for code, value in values.items()}, rng


def _decimal(value):
    if isinstance(value, float):
        return Decimal(str(value)).quantize(Decimal("0.01"))
    return Decimal(value)


def figure_value(indicator, known, rng):
    """The value of ``indicator``: from ``known`` by code, else a harmless one of its kind
    (an outline edited since the seed may ask figures this module does not know)."""
    if indicator.code in known:
        return known[indicator.code]
    kind = indicator.kind
    if kind == Indicator.Kind.BOOLEAN:
        return _decimal(1)
    if kind == Indicator.Kind.PERCENT:
        return _decimal(rng.randint(80, 100))
    if kind == Indicator.Kind.AMOUNT:
        return _decimal(rng.randint(1, 50) * 100000)
    return _decimal(rng.randint(1, 20))


def text_values(known, unit, year, since):
    """The placeholders of ANSWERS, formatted the Vietnamese way."""
    words = {code.replace("-", "_"): vn.number(value) for code, value in known.items()}
    for code in ("ty-le-hai-long", "ty-le-van-ban-dien-tu"):
        words[code.replace("-", "_")] = vn.percent(known[code])
    tasks, done = known["nhiem-vu-cchc"], known["nhiem-vu-hoan-thanh"]
    resolved, on_time = known["hs-da-giai-quyet"], known["hs-dung-han"]
    words["ty_le_hoan_thanh"] = vn.percent(done * 100 / tasks)
    words["ty_le_dung_han"] = vn.percent(on_time * 100 / resolved)
    subject = unit_subject(unit)
    words.update(
        subject=subject,
        Subject=subject[:1].upper() + subject[1:],
        year=year,
        since=since,
        communes=(
            " Số liệu về giải quyết TTHC gồm cả kết quả của UBND cấp xã thuộc huyện."
            if unit.is_district
            else ""
        ),
    )
    return words


def unit_subject(unit):
    """How a unit names itself in its report: "Sở Tư pháp", "UBND huyện Đông Sơn"."""
    if unit.is_district:
        return f"UBND {unit.name[:1].lower()}{unit.name[1:]}"
    return unit.name


def item_keys(outline):
    """``{key: item}`` for every item of ``outline``: "I", "I.1", "I.1.2" (see ANSWERS)."""
    items = list(OutlineItem.objects.filter(outline=outline).order_by("order"))
    by_pk = {item.pk: item for item in items}
    keys, ordinal = {}, {}
    for item in items:
        parent = by_pk.get(item.parent_id)
        if parent is None:
            key = item.label or str(item.order)
        elif item.kind == OutlineItem.Kind.HEADING:
            key = f"{keys[parent.pk]}.{item.label}"
        else:
            ordinal[parent.pk] = ordinal.get(parent.pk, 0) + 1
            key = f"{keys[parent.pk]}.{ordinal[parent.pk]}"
        keys[item.pk] = key
    return {key: by_pk[pk] for pk, key in keys.items()}


# --- Small real files: PDFs through WeasyPrint, spreadsheets through openpyxl -------------


class Files:
    """Makes the evidence and proof files; one WeasyPrint font set-up for all of them."""

    def __init__(self, agency):
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        from cchc_inspection.documents import FONT_DIR, FONT_FAMILY, FONT_FILES

        self.agency = agency
        self.family = FONT_FAMILY
        self.font_config = FontConfiguration()
        rules = [
            f"@font-face {{ font-family: '{FONT_FAMILY}'; src: url('{(FONT_DIR / name).as_uri()}');"
            f" font-weight: {weight}; font-style: {style}; }}"
            for (weight, style), name in FONT_FILES.items()
        ]
        self.fonts = CSS(string="\n".join(rules), font_config=self.font_config)
        self.made = 0

    def pdf(self, name, *, unit, kind, title, paragraphs, day, signer=("", "")):
        """A one-page official-looking document of ``unit`` as an uploaded PDF file."""
        from django.utils.html import escape
        from weasyprint import HTML

        parent = "" if unit.category == Unit.Category.CENTRAL else self.agency.parent_name
        issuer = unit_subject(unit).upper()
        if unit.is_district:
            parent, issuer = "", issuer
        body = "".join(f"<p>{escape(text)}</p>" for text in paragraphs)
        html = f"""<html lang="vi"><head><meta charset="utf-8"><style>
            @page {{ size: A4; margin: 20mm 15mm 20mm 30mm; }}
            html {{ font-family: '{self.family}'; font-size: 13pt; }}
            td {{ text-align: center; vertical-align: top; width: 50%; }}
            h1 {{ font-size: 14pt; text-align: center; margin: 18pt 0 0; }}
            .sub {{ text-align: center; font-weight: bold; margin-bottom: 12pt; }}
            p {{ text-indent: 1cm; text-align: justify; margin: 0 0 6pt; }}
            .sign {{ margin-left: 55%; text-align: center; font-weight: bold; }}
            </style></head><body>
            <table><tr><td>{escape(parent)}<br><b>{escape(issuer)}</b><br>Số: {self.made + 7:02d}/{kind}</td>
            <td><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br><b>Độc lập - Tự do - Hạnh phúc</b>
            <br><i>{escape(self.agency.place_name)}, {escape(vn.long_date(day))}</i></td></tr></table>
            <h1>{escape(title[0])}</h1><div class="sub">{escape(title[1])}</div>{body}
            <div class="sign">{escape(signer[0])}<br><br><br>{escape(signer[1])}</div>
            </body></html>"""
        data = HTML(string=html).write_pdf(stylesheets=[self.fonts], font_config=self.font_config)
        self.made += 1
        return SimpleUploadedFile(name, data, content_type="application/pdf")

    def xlsx(self, name, *, title, rows):
        """A small workbook: a title row, a header and ``rows`` of (label, value)."""
        from openpyxl import Workbook
        from openpyxl.styles import Font

        book = Workbook()
        sheet = book.active
        sheet.title = "Số liệu"
        sheet.append([title])
        sheet["A1"].font = Font(bold=True)
        sheet.append(["Chỉ tiêu", "Số liệu"])
        for label, value in rows:
            sheet.append([label, float(value) if value is not None else None])
        sheet.column_dimensions["A"].width = 70
        sheet.column_dimensions["B"].width = 16
        buffer = io.BytesIO()
        book.save(buffer)
        self.made += 1
        return SimpleUploadedFile(
            name,
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )


# --- The loader --------------------------------------------------------------------------


def _at(day, hour=9, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


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

    def day(self, offset):
        return self.today + datetime.timedelta(days=offset)

    # The plan and its teams --------------------------------------------------------------

    def run(self):
        plan_services.log_note(self.plan, actor=self.staff, note=MARKER)
        plan_day = min(datetime.date(self.plan.year, 3, 15), self.day(-110))
        plan_services.plan_issue(plan=self.plan, actor=self.leader, issued_on=plan_day)
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
        plan_services.team_create(team=team, actor=self.staff)
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
            plan_services.member_save(member=member, actor=self.staff)
        return plan_services.team_decision_issue(
            team=team, actor=self.leader, issued_on=self.day(-100 + number)
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
        start = self.day(scenario.start)
        on_site = scenario.form != Form.DOCUMENTS
        inspection = plan_services.inspection_schedule(
            plan=self.plan,
            unit=unit,
            actor=self.staff,
            today=start - datetime.timedelta(days=30),
            team=self.teams[scenario.team - 1],
            form=scenario.form,
            start_date=start,
            end_date=start + datetime.timedelta(days=1 if on_site else 0),
            place=f"Trụ sở {unit_subject(unit)}" if on_site else "",
            logistics_notes=(
                "Xe ô tô của Văn phòng Sở; xuất phát 07 giờ 00 tại trụ sở Sở Nội vụ."
                if on_site
                else ""
            ),
        )
        flow = scenario.flow
        if flow == "scheduled":
            return
        if flow == "cancelled":
            plan_services.inspection_cancel(
                inspection=inspection, reason=scenario.note, actor=self.staff
            )
            return
        if scenario.form == Form.UNANNOUNCED:
            self.visit(scenario, inspection)
            plan_services.inspection_review_done(inspection=inspection, actor=self.staff)
            self.record_findings(scenario, inspection)
            return
        self.report_phase(scenario, inspection, unit)
        if flow in {"closed", "remediating", "drafted"}:
            self.review_phase(scenario, inspection, unit)

    def report_phase(self, scenario, inspection, unit):
        inspection.refresh_from_db()
        deadline = inspection.report_deadline
        submit_day = min(deadline - datetime.timedelta(days=2), self.day(-1))
        request_day = min(deadline - datetime.timedelta(days=14), submit_day)
        report = report_services.report_request(
            inspection=inspection, actor=self.staff, now=_at(request_day, 8, 30)
        )
        focal = self.focal_for(unit)
        flow = scenario.flow
        self.fill(report, unit, focal, partial=flow == "late_draft", broken=flow == "draft_broken")
        evidence = self.add_evidence(report, unit, focal, partial=flow == "late_draft")
        if flow in {"late_draft", "draft_broken"}:
            return
        late = flow == "submitted_late"
        report_services.report_submit(
            report=report, actor=focal, now=None if late else _at(submit_day, 15, 30)
        )
        if flow == "submitted_late":
            return
        if flow == "returned":
            self.return_report(report, unit, focal, evidence)
            return
        report_services.report_accept(report=report, actor=self.staff)

    def return_report(self, report, unit, focal, evidence):
        comments = [
            (self.keys.get(key) if key else None, text)
            for key, text in RETURN_COMMENTS
            if key is None or key in self.keys
        ]
        report_services.report_return(report=report, comments=comments, actor=self.staff)
        # The unit starts fixing: a corrected spreadsheet replaces the first one.
        sheet = next(e for e in evidence if e.original_name.endswith(".xlsx"))
        rows, _ = report_services.evidence_add(
            report=report,
            files=[self.stats_sheet(unit, report, revised=True)],
            items=[],
            actor=focal,
            replaces=sheet,
        )
        self.stored += [row.file.name for row in rows]

    def review_phase(self, scenario, inspection, unit):
        if scenario.form != Form.DOCUMENTS:
            self.visit(scenario, inspection)
            plan_services.inspection_review_done(inspection=inspection, actor=self.staff)
        findings = self.record_findings(scenario, inspection)
        start = inspection.start_date
        conclusion = services.conclusion_draft(
            inspection=inspection, actor=self.staff, today=start + datetime.timedelta(days=8)
        )
        if scenario.flow == "drafted":
            return
        steps = {step.finding: step for step in scenario.findings}
        by_finding = {pk: steps[key] for key, pk in findings.items()}
        self.set_deadlines(conclusion, inspection, by_finding)
        services.conclusion_issue(
            conclusion=conclusion,
            actor=self.leader,
            issued_on=start + datetime.timedelta(days=10),
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
        services.minutes_create(
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
            actor=self.worker(scenario),
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
            finding = services.finding_create(
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
                actor=self.worker(scenario),
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
        services.conclusion_save(
            conclusion=conclusion, form=form, formset=formset, actor=self.staff
        )

    def follow(self, action, step, conclusion, unit, focal):
        outcome = step.outcome
        if outcome == "extended":
            services.remediation_extend(
                action=action,
                new_deadline=self.day(step.extended_to),
                reason=EXTENSION_REASON,
                actor=self.staff,
            )
            return
        if outcome == "open":
            return
        proof = self.proof(action, step, conclusion, unit)
        action = services.remediation_report(
            action=action, text=REMEDIED[step.finding], files=[proof], actor=focal
        )
        self.stored += [p.file.name for p in action.proofs.all()]
        if outcome == "verified":
            services.remediation_verify(action=action, comment=VERIFIED_COMMENT, actor=self.staff)
        elif outcome == "rejected":
            services.remediation_reject(action=action, comment=REJECTED_COMMENT, actor=self.staff)

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
            report_services.item_save(
                report=report, item=item, text=text, text_version=0, values=values, actor=focal
            )

    def add_evidence(self, report, unit, focal, *, partial=False):
        """Upload the unit's evidence through ``evidence_add``: its plan, the one-stop
        figures as a spreadsheet and, for a full report, two more documents."""
        year = self.plan.year
        answers = dict(report.answers.values_list("item_id", "text"))
        keys = self.keys
        uploads = [
            (
                self.unit_pdf(
                    unit,
                    f"Kế hoạch CCHC năm {year}.pdf",
                    "KH",
                    ("KẾ HOẠCH", f"Cải cách hành chính năm {year}"),
                    [answers.get(keys[k].pk, "") for k in ("I.1", "I.1.1") if k in keys],
                    datetime.date(year, 1, 10),
                ),
                ["I.1", "I.1.1", "I.1.2"],
                "Kế hoạch CCHC năm của đơn vị",
            ),
            (self.stats_sheet(unit, report), ["II.2", "II.2.2"], "Số liệu giải quyết TTHC"),
        ]
        if not partial:
            uploads += [
                (
                    self.unit_pdf(
                        unit,
                        f"Kế hoạch tuyên truyền CCHC năm {year}.pdf",
                        "KH",
                        ("KẾ HOẠCH", f"Tuyên truyền cải cách hành chính năm {year}"),
                        [answers.get(keys[k].pk, "") for k in ("I.2.1", "I.2.2") if k in keys],
                        datetime.date(year, 2, 6),
                    ),
                    ["I.2", "I.2.1", "I.2.2"],
                    "",
                ),
                (
                    self.unit_pdf(
                        unit,
                        "Quyết định ban hành Quy chế văn hóa công vụ.pdf",
                        "QĐ",
                        ("QUYẾT ĐỊNH", "Ban hành Quy chế văn hóa công vụ"),
                        [answers.get(keys["II.4.6"].pk, "")] if "II.4.6" in keys else [],
                        datetime.date(year, 3, 2),
                    ),
                    ["II.4.6"],
                    "",
                ),
            ]
        rows = []
        for upload, item_keys_, description in uploads:
            items = [keys[k] for k in item_keys_ if k in keys]
            if not items:
                continue
            made, _ = report_services.evidence_add(
                report=report, files=[upload], items=items, actor=focal, description=description
            )
            self.stored += [row.file.name for row in made]
            rows += made
        return rows

    def unit_pdf(self, unit, name, kind, title, paragraphs, day):
        rng = random.Random(zlib.crc32(fold(unit.name).encode()))
        last, first = rng.choice(PEOPLE)
        head = "CHỦ TỊCH" if unit.is_district else "GIÁM ĐỐC"
        symbol = f"{kind}-UBND" if unit.is_district else f"{kind}-{_initials(unit.name)}"
        return self.files.pdf(
            name,
            unit=unit,
            kind=symbol,
            title=title,
            paragraphs=[p for p in paragraphs if p],
            day=day,
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
                f"{vn.long_date(conclusion.issued_on)} của {self.plan.agency.name.title()}, "
                f"{unit_subject(unit)} báo cáo kết quả khắc phục như sau:",
                f"Yêu cầu: {action.requirement}",
                f"Kết quả: {REMEDIED[step.finding]}",
            ],
            self.day(-3),
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


# --- Which plan, done already, and wiping it again ---------------------------------------


def marker_of(plan):
    """The status-log row that marks ``plan`` as filled by the loader, or None."""
    return (
        StatusLog.objects.filter(
            content_type=ContentType.objects.get_for_model(InspectionPlan),
            object_id=plan.pk,
            note=MARKER,
        )
        .order_by("pk")
        .first()
    )


def check_loadable(plan):
    """Refuse a plan that was filled already, or that people have started working on."""
    if marker_of(plan) is not None:
        raise DemoError(
            f"{plan} đã có dữ liệu thử nghiệm (lệnh này đã chạy trước đó). Không nạp lại để "
            "tránh trùng lặp; muốn nạp lại từ đầu, chạy lệnh với tùy chọn --reset."
        )
    if (
        plan.status != InspectionPlan.Status.DRAFT
        or plan.teams.exists()
        or (plan.inspections.exists())
    ):
        raise DemoError(
            f"{plan} đã được ban hành hoặc đã có đoàn kiểm tra, cuộc kiểm tra do người dùng "
            "tạo. Dữ liệu thử nghiệm chỉ nạp vào kế hoạch dự thảo vừa nạp từ dữ liệu gốc "
            "(python manage.py loaddata thanh_hoa_2023)."
        )
    if not hasattr(plan, "outline"):
        raise DemoError(f"{plan} chưa có đề cương báo cáo (Phụ lục 2).")


def wipe(plan):
    """Delete what the loader made on ``plan`` and return the plan to its draft: the teams,
    inspections and everything under them, their files, register numbers and log rows.
    Only for a plan that carries the loader's mark; returns the number of inspections."""
    marker = marker_of(plan)
    if marker is None:
        raise DemoError(
            f"{plan} không mang dấu dữ liệu thử nghiệm của lệnh này; không xóa dữ liệu của "
            "người dùng."
        )
    inspections = Inspection.objects.filter(plan=plan)
    conclusions = Conclusion.objects.filter(inspection__in=inspections)
    actions = RemediationAction.objects.filter(conclusion__in=conclusions)
    reports = UnitReport.objects.filter(inspection__in=inspections)
    teams = InspectionTeam.objects.filter(plan=plan)
    files = [
        *Evidence.objects.filter(report__in=reports).values_list("file", flat=True),
        *RemediationProof.objects.filter(action__in=actions).values_list("file", flat=True),
        *(name for qs in (conclusions, teams) for name in qs.values_list("pdf", flat=True)),
        plan.pdf.name,
    ]
    logged = {
        InspectionPlan: [plan.pk],
        InspectionTeam: list(teams.values_list("pk", flat=True)),
        Inspection: list(inspections.values_list("pk", flat=True)),
        UnitReport: list(reports.values_list("pk", flat=True)),
        Conclusion: list(conclusions.values_list("pk", flat=True)),
        RemediationAction: list(actions.values_list("pk", flat=True)),
    }
    count = len(logged[Inspection])
    for model, pks in logged.items():
        content_type = ContentType.objects.get_for_model(model)
        logs = StatusLog.objects.filter(content_type=content_type, object_id__in=pks)
        if model is InspectionPlan:
            logs = logs.filter(pk__gte=marker.pk)
        logs.delete()
        RegisterEntry.objects.filter(content_type=content_type, object_id__in=pks).delete()
    # Rows that protect each other go first: later versions, corrections, then the rest.
    Evidence.objects.filter(report__in=reports).update(previous=None)
    conclusions.update(supersedes=None)
    conclusions.delete()
    SiteVisitMinutes.objects.filter(inspection__in=inspections).delete()
    inspections.delete()
    teams.delete()
    InspectionPlan.objects.filter(pk=plan.pk).update(
        status=InspectionPlan.Status.DRAFT, number=None, issued_on=None, pdf="", pdf_sha256=""
    )
    _recount_registers(plan.agency)

    def delete_files():
        for name in files:
            if name:
                default_storage.delete(name)

    transaction.on_commit(delete_files)  # never lose a file whose rows roll back
    return count


def _recount_registers(agency):
    """Set each register counter back to the last number still on record."""
    for counter in RegisterCounter.objects.filter(agency=agency):
        last = RegisterEntry.objects.filter(
            agency=agency, year=counter.year, doc_type=counter.doc_type
        ).aggregate(m=Max("number"))["m"]
        counter.last_number = last or 0
        counter.save(update_fields=["last_number"])
