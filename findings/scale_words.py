"""The words of the generated national data set (``findings.scale``): provinces, units,
people, findings and remediation texts, all as Vietnamese administrative writing."""

from findings.demo.content import FINDINGS, REMEDIED
from findings.models import Finding

# The 34 provinces and centrally-run cities after 1 July 2025; the cities are "thành phố".
PROVINCES = [
    ("Hà Nội", True),
    ("Huế", True),
    ("Lai Châu", False),
    ("Điện Biên", False),
    ("Sơn La", False),
    ("Lạng Sơn", False),
    ("Quảng Ninh", False),
    ("Thanh Hóa", False),
    ("Nghệ An", False),
    ("Hà Tĩnh", False),
    ("Cao Bằng", False),
    ("Tuyên Quang", False),
    ("Lào Cai", False),
    ("Thái Nguyên", False),
    ("Phú Thọ", False),
    ("Bắc Ninh", False),
    ("Hưng Yên", False),
    ("Hải Phòng", True),
    ("Ninh Bình", False),
    ("Quảng Trị", False),
    ("Đà Nẵng", True),
    ("Quảng Ngãi", False),
    ("Gia Lai", False),
    ("Khánh Hòa", False),
    ("Lâm Đồng", False),
    ("Đắk Lắk", False),
    ("Hồ Chí Minh", True),
    ("Đồng Nai", False),
    ("Tây Ninh", False),
    ("Cần Thơ", True),
    ("Vĩnh Long", False),
    ("Đồng Tháp", False),
    ("Cà Mau", False),
    ("An Giang", False),
]

DEPARTMENTS = [
    "Sở Tư pháp",
    "Sở Tài chính",
    "Sở Xây dựng",
    "Sở Y tế",
    "Sở Giáo dục và Đào tạo",
    "Sở Công Thương",
    "Sở Nông nghiệp và Môi trường",
    "Sở Khoa học và Công nghệ",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Dân tộc và Tôn giáo",
    "Sở Ngoại vụ",
    "Thanh tra",
    "Văn phòng UBND",
    "Ban Quản lý Khu kinh tế",
    "Sở Kế hoạch và Đầu tư",
    "Sở Giao thông Vận tải",
    "Sở Tài nguyên và Môi trường",
    "Sở Lao động, Thương binh và Xã hội",
    "Sở Thông tin và Truyền thông",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Ban Dân tộc",
    "Văn phòng Đoàn đại biểu Quốc hội và HĐND",
]

CENTRAL = ["Bảo hiểm xã hội", "Thuế", "Kho bạc Nhà nước", "Thống kê", "Hải quan"]

# Syllables of place names; two of them make a district or commune name ("Yên Định").
SYLLABLES = (
    "An Bình Hòa Phú Yên Thạnh Tân Đông Tây Nam Bắc Trung Hưng Thịnh Lộc Phước Thuận "
    "Quang Minh Đức Hải Sơn Lâm Giang Khánh Vĩnh Long Thành Lợi Mỹ Hiệp Tiến Hợp Đồng "
    "Cẩm Thủy Thọ Ngọc Kim Xuân Hạ Thượng Quảng Diễn Nghĩa Định Hoằng Triệu Hà Tịnh Cát "
    "Lạc Hậu Kiến Tường Phong Vân Liên Tam Lương Trường Thái Quý Tiên Hồng Lam Mai Thạch "
    "Cường Dương Hoa Châu Điền Gia Lập Văn Võ Hương Thanh Chánh Hiếu"
).split()

FAMILY_NAMES = (
    "Nguyễn Nguyễn Nguyễn Trần Trần Lê Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô "
    "Dương Lý Trịnh Mai Đinh Lương Tạ Cao Hà"
).split()
MIDDLE_NAMES = "Văn Thị Minh Quốc Thanh Hữu Đức Thị Ngọc Xuân Đình Công Hồng Kim".split()
GIVEN_NAMES = (
    "Hùng Nhung Quân Thanh Tuấn Anh Việt Hạnh Khôi Yến Trường Lan Hương Minh Đức Nam Huy "
    "Tâm Dũng Phương Hà Linh Sơn Long Thảo Trang Hoa Bình Hải Khoa Nga Thủy Vinh Cường "
    "Hòa Hiền Lộc Mạnh Quỳnh"
).split()

POSITIONS = [
    ("Phó Giám đốc Sở Nội vụ", "Sở Nội vụ"),
    ("Trưởng phòng Cải cách hành chính", "Sở Nội vụ"),
    ("Chuyên viên Phòng Cải cách hành chính", "Sở Nội vụ"),
    ("Phó Chánh Văn phòng", "Sở Tư pháp"),
    ("Chuyên viên Phòng Kiểm soát TTHC", "Văn phòng UBND"),
    ("Chuyên viên Phòng Quản lý ngân sách", "Sở Tài chính"),
]

# (kind, description, cause, recommendation): the demo year's findings and a few more.
EXTRA_FINDINGS = [
    (
        Finding.Kind.SHORTCOMING,
        "Trang thông tin điện tử chưa cập nhật đầy đủ kết quả giải quyết TTHC theo tháng.",
        "Chưa phân công người cập nhật thường xuyên.",
        "Phân công công chức cập nhật kết quả giải quyết TTHC trên trang thông tin điện tử "
        "hằng tháng.",
    ),
    (
        Finding.Kind.SHORTCOMING,
        "Hồ sơ đánh giá, xếp loại công chức năm chưa lưu đủ phiếu tự đánh giá.",
        "Việc lưu trữ hồ sơ cán bộ chưa được kiểm tra định kỳ.",
        "Rà soát, bổ sung đầy đủ hồ sơ đánh giá, xếp loại công chức theo quy định.",
    ),
    (
        Finding.Kind.VIOLATION,
        "Tiếp nhận hồ sơ TTHC ngoài Bộ phận Một cửa đối với một số thủ tục lĩnh vực đất đai.",
        "Chưa quán triệt quy định về cơ chế một cửa, một cửa liên thông.",
        "Chấm dứt ngay việc tiếp nhận hồ sơ ngoài Bộ phận Một cửa; kiểm điểm trách nhiệm cá "
        "nhân có liên quan.",
    ),
    (
        Finding.Kind.STRENGTH,
        "Ứng dụng hiệu quả phần mềm quản lý văn bản và điều hành; 100% văn bản đi được ký số.",
        "",
        "",
    ),
    (
        Finding.Kind.STRENGTH,
        "Công tác tuyên truyền CCHC được thực hiện đa dạng qua trang thông tin điện tử, mạng "
        "xã hội và hệ thống truyền thanh cơ sở.",
        "",
        "",
    ),
    (
        Finding.Kind.SHORTCOMING,
        "Chưa xây dựng kế hoạch đào tạo, bồi dưỡng công chức gắn với vị trí việc làm.",
        "Danh mục vị trí việc làm chưa được phê duyệt điều chỉnh.",
        "Xây dựng, ban hành kế hoạch đào tạo, bồi dưỡng công chức gắn với vị trí việc làm.",
    ),
]

FINDING_TEXTS = [(k, d, c, r) for _, k, d, c, r in FINDINGS.values()] + EXTRA_FINDINGS
REMEDIED_TEXTS = list(REMEDIED.values())

ANSWER_OPENINGS = [
    "Trong kỳ báo cáo, {unit} đã ban hành {n} văn bản chỉ đạo, triển khai nội dung này; ",
    "{unit} tổ chức thực hiện đầy đủ các nhiệm vụ được giao, hoàn thành {n}/{m} nhiệm vụ; ",
    "Thực hiện kế hoạch năm {year}, {unit} đã triển khai {n} hoạt động cụ thể; ",
]
ANSWER_CLOSINGS = [
    "kết quả được tổng hợp, báo cáo định kỳ theo quy định.",
    "tồn tại chủ yếu do nguồn lực còn hạn chế, sẽ tiếp tục khắc phục trong năm tới.",
    "tài liệu kiểm chứng gửi kèm báo cáo.",
]

EVIDENCE_NAMES = [
    "Kế hoạch CCHC năm {year}.pdf",
    "Quyết định kiện toàn Bộ phận Một cửa.pdf",
    "Báo cáo kết quả giải quyết TTHC quý {q} năm {year}.pdf",
    "Danh sách công chức được đào tạo, bồi dưỡng năm {year}.pdf",
    "Ảnh Bộ phận Một cửa quý {q} năm {year}.png",
    "Quy chế làm việc sửa đổi năm {year}.pdf",
]


def person(rng):
    """A full name written family name first ("Nguyễn Thị Hồng Nhung")."""
    return f"{rng.choice(FAMILY_NAMES)} {rng.choice(MIDDLE_NAMES)} {rng.choice(GIVEN_NAMES)}"


def answer(rng, unit, year):
    opening = rng.choice(ANSWER_OPENINGS).format(
        unit=unit, n=rng.randint(2, 30), m=rng.randint(30, 40), year=year
    )
    return opening + rng.choice(ANSWER_CLOSINGS)
