from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0002_history"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="inspectionplan",
            index=models.Index(fields=["year", "id"], name="plan_year_id"),
        ),
    ]
