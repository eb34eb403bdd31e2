"""Unit search ignores case, diacritics and the placement of the tone mark."""

import unicodedata

import pytest

from tests import factories as f
from units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "term",
    ["thanh hoa", "Thanh Hoá", "Thanh Hóa", "THANH HÓA", unicodedata.normalize("NFD", "Thanh Hoá")],
)
def test_search_finds_thanh_hoa_however_written(term):
    city = f.UnitFactory(name="Thành phố Thanh Hóa", category="district")
    f.UnitFactory(name="Huyện Quan Sơn", category="district")
    assert list(Unit.objects.search(term)) == [city]


def test_search_matches_d_with_stroke_and_blank_term_returns_all():
    dongson = f.UnitFactory(name="Huyện Đông Sơn", category="district")
    f.UnitFactory(name="Sở Tư pháp")
    assert list(Unit.objects.search("dong son")) == [dongson]
    assert Unit.objects.search("  ").count() == 2
