from django.db import migrations, models

from cchc_inspection.text import fold


def fill_search_description(apps, schema_editor):
    Finding = apps.get_model("findings", "Finding")
    batch = []
    for finding in Finding.objects.only("pk", "description").iterator(chunk_size=2000):
        finding.search_description = fold(finding.description)
        batch.append(finding)
        if len(batch) >= 2000:
            Finding.objects.bulk_update(batch, ["search_description"])
            batch = []
    if batch:
        Finding.objects.bulk_update(batch, ["search_description"])


class Migration(migrations.Migration):
    dependencies = [
        ("findings", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="finding",
            name="search_description",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_search_description, migrations.RunPython.noop),
    ]
