"""Figures that hold together, the words that quote them, and where items sit."""

import random
import zlib
from decimal import Decimal

from cchc_inspection import vn
from cchc_inspection.text import fold
from reports.models import Indicator, OutlineItem


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
