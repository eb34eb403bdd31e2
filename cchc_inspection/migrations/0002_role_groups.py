from django.db import migrations

GROUPS = [
    "Chuyên viên Phòng CCHC",
    "Lãnh đạo Sở",
    "Thành viên Đoàn kiểm tra",
    "Đầu mối CCHC của đơn vị",
    "Văn phòng Sở",
]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("cchc_inspection", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
