from django.db import migrations, models


def fill_running_names(apps, schema_editor):
    """One-off fill for agencies saved before the fields existed; admins can correct them."""
    Agency = apps.get_model("cchc_inspection", "Agency")
    for agency in Agency.objects.all():
        words = agency.name.lower().split()
        agency.short_name = " ".join(w.capitalize() if i < 2 else w for i, w in enumerate(words))
        parent = agency.parent_name.split()
        if parent and parent[0].upper() == "UBND":
            rest = " ".join(parent[1:]).lower().split()
            level, place = rest[:1], [w.capitalize() for w in rest[1:]]
            agency.parent_short_name = " ".join(["UBND", *level, *place])
        else:
            agency.parent_short_name = agency.parent_name
        agency.save(update_fields=["short_name", "parent_short_name"])


class Migration(migrations.Migration):
    dependencies = [("cchc_inspection", "0002_role_groups")]

    operations = [
        migrations.AddField(
            model_name="agency",
            name="short_name",
            field=models.CharField(
                default="",
                help_text="Ví dụ: Sở Nội vụ",
                max_length=200,
                verbose_name="tên cơ quan ban hành trong câu văn",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="agency",
            name="parent_short_name",
            field=models.CharField(
                default="",
                help_text="Ví dụ: UBND tỉnh Thanh Hóa",
                max_length=200,
                verbose_name="tên cơ quan chủ quản trong câu văn",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_running_names, migrations.RunPython.noop),
    ]
