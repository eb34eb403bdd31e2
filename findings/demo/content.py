"""What the demo year is made of: the units' stories, the teams, and the words people
write (answers, findings, remediation reports, comments), all in Vietnamese."""

import re
from dataclasses import dataclass, field

from findings.models import Finding
from plans.models import Inspection, TeamMember

Form = Inspection.Form

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


# Numbered parts of a document ("I. MỤC ĐÍCH", "Điều 1.") print in bold.
HEADING = re.compile(r"^([IVX]+\. |QUYẾT ĐỊNH:)")


@dataclass
class UnitDocument:
    """Evidence a unit uploads: a document of its own, proving some items."""

    name: str
    kind: str
    title: tuple
    body: list
    month_day: tuple
    items: list
    description: str = ""
    full_only: bool = True


UNIT_DOCUMENTS = [
    UnitDocument(
        name="Kế hoạch CCHC năm {year}.pdf",
        kind="KH",
        title=("KẾ HOẠCH", "Cải cách hành chính năm {year}"),
        body=[
            "Căn cứ Kế hoạch cải cách hành chính năm {year} của UBND tỉnh, {subject} ban hành "
            "Kế hoạch cải cách hành chính năm {year} như sau:",
            "I. MỤC ĐÍCH, YÊU CẦU",
            "Triển khai đồng bộ, hiệu quả các nhiệm vụ cải cách hành chính; xác định rõ nhiệm "
            "vụ, thời hạn và trách nhiệm của từng phòng, ban, đơn vị; gắn kết quả thực hiện với "
            "thi đua, khen thưởng.",
            "II. NHIỆM VỤ",
            "Kế hoạch gồm {nhiem_vu_cchc} nhiệm vụ thuộc 06 nội dung: cải cách thể chế; cải "
            "cách thủ tục hành chính; cải cách tổ chức bộ máy; cải cách chế độ công vụ; cải "
            "cách tài chính công; xây dựng chính quyền điện tử, chính quyền số (chi tiết tại "
            "Phụ lục kèm theo).",
            "III. TỔ CHỨC THỰC HIỆN",
            "Các phòng, ban, đơn vị căn cứ nhiệm vụ được giao tổ chức thực hiện, báo cáo kết "
            "quả hằng quý; Văn phòng là đầu mối theo dõi, đôn đốc, tổng hợp báo cáo.",
        ],
        month_day=(1, 10),
        items=["I.1", "I.1.1", "I.1.2"],
        description="Kế hoạch CCHC năm của đơn vị",
        full_only=False,
    ),
    UnitDocument(
        name="Kế hoạch tuyên truyền CCHC năm {year}.pdf",
        kind="KH",
        title=("KẾ HOẠCH", "Tuyên truyền cải cách hành chính năm {year}"),
        body=[
            "Thực hiện Kế hoạch cải cách hành chính năm {year}, {subject} ban hành Kế hoạch "
            "tuyên truyền cải cách hành chính năm {year} như sau:",
            "I. NỘI DUNG TUYÊN TRUYỀN",
            "Chủ trương, chính sách về cải cách hành chính; kết quả cải cách thủ tục hành chính, "
            "dịch vụ công trực tuyến, thanh toán trực tuyến; văn hóa công vụ.",
            "II. HÌNH THỨC TUYÊN TRUYỀN",
            "Đăng tin, bài trên Cổng thông tin điện tử; niêm yết tại Bộ phận Một cửa; lồng "
            "ghép tại hội nghị giao ban; tổ chức cuộc thi tìm hiểu về cải cách hành chính.",
        ],
        month_day=(2, 6),
        items=["I.2", "I.2.1", "I.2.2"],
    ),
    UnitDocument(
        name="Quyết định ban hành Quy chế văn hóa công vụ.pdf",
        kind="QĐ",
        title=("QUYẾT ĐỊNH", "Về việc ban hành Quy chế văn hóa công vụ"),
        body=[
            "Căn cứ Quyết định số 1847/QĐ-TTg ngày 27/12/2018 của Thủ tướng Chính phủ phê "
            "duyệt Đề án văn hóa công vụ;",
            "QUYẾT ĐỊNH:",
            "Điều 1. Ban hành kèm theo Quyết định này Quy chế văn hóa công vụ của {subject}.",
            "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
            "Điều 3. Thủ trưởng các phòng, ban, đơn vị và cán bộ, công chức, viên chức chịu "
            "trách nhiệm thi hành Quyết định này.",
        ],
        month_day=(3, 2),
        items=["II.4.6"],
    ),
]
