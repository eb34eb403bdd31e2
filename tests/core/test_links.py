import pytest
from django.urls import NoReverseMatch, reverse

from cchc_inspection.links import link


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("plans:inspection-detail", (7,)),
        ("plans:inspection-detail", (900000000001,)),
        ("reports:answer-save", (12, 345)),
        ("findings:tracker", ()),
    ],
)
def test_link_is_reverse(name, args):
    assert link(name, *args) == reverse(name, args=args)


def test_link_falls_back_to_reverse_for_other_arguments():
    assert link("plans:inspection-detail", "8") == reverse("plans:inspection-detail", args=["8"])
    assert link("plans:inspection-detail", 0) == reverse("plans:inspection-detail", args=[0])
    with pytest.raises(NoReverseMatch):
        link("plans:inspection-detail", -1)


def test_link_follows_the_script_prefix(settings):
    from django.urls import set_script_prefix

    set_script_prefix("/cchc/")
    try:
        assert link("plans:inspection-detail", 5) == "/cchc" + "/ke-hoach/cuoc-kiem-tra/5/"
    finally:
        set_script_prefix("/")
    assert link("plans:inspection-detail", 5) == "/ke-hoach/cuoc-kiem-tra/5/"


def test_link_tag(rf):
    from django.template import Context, Template

    html = Template('{% link "reports:answer-save" a b %}').render(Context({"a": 3, "b": 4}))
    assert html == reverse("reports:answer-save", args=[3, 4])
