from tests.reports.test_portal import *  # noqa

def test_dump(client, world, report_a, focal_a, staff):
    client.force_login(focal_a)
    client.post(save_url(world.inspection_a, world.heading), item_post(world, "Một", "-1"))
    ReviewComment.objects.create(report=report_a, item=world.heading, text="Nhận xét X", author=staff)
    body = client.get(edit_url(world.inspection_a)).content.decode()
    open("/tmp/page.html", "w").write(body)
