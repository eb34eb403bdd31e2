"""Indexes of the findings register and the remediation tracker at national scale.

- The findings of an inspection with their kind (in place of the inspection's own index),
  so the register counts a year's or a plan's findings by kind off the index.
- The conclusions not in force (drafts, and those an issued correction replaced) as small
  partial indexes, for ``RemediationAction.objects.current()``.
- PostgreSQL only: trigram (pg_trgm) indexes of the folded texts the register searches with
  ``LIKE '%…%'`` (the finding's description and the unit's name), so a search over all
  years does not read every finding. Nothing is done on SQLite.
"""

import django.db.models.deletion
from django.db import migrations, models

# (index, table, column): the folded texts of the register's search.
SEARCH_INDEXES = [
    ("finding_search_trgm", "findings_finding", "search_description"),
    ("unit_search_trgm", "units_unit", "search_name"),
]


def create_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # A trusted extension: the database's owner may create it. Going back leaves it (other
    # objects may use it); only the indexes are dropped.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in SEARCH_INDEXES:
        schema_editor.execute(f"CREATE INDEX {name} ON {table} USING gin ({column} gin_trgm_ops)")


def drop_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in SEARCH_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("findings", "0004_tracker_indexes"),
        ("plans", "0002_history"),
        ("units", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="conclusion", name="conclusion_issued"),
        migrations.RemoveIndex(model_name="conclusion", name="conclusion_issued_fix"),
        migrations.AddIndex(
            model_name="conclusion",
            index=models.Index(
                condition=models.Q(("status", "issued"), _negated=True),
                fields=["id"],
                name="conclusion_draft",
            ),
        ),
        migrations.AddIndex(
            model_name="conclusion",
            index=models.Index(
                condition=models.Q(("status", "issued"), ("supersedes__isnull", False)),
                fields=["supersedes"],
                name="conclusion_issued_fix",
            ),
        ),
        migrations.AlterField(
            model_name="finding",
            name="inspection",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="findings",
                to="plans.inspection",
                verbose_name="cuộc kiểm tra",
            ),
        ),
        migrations.AddIndex(
            model_name="finding",
            index=models.Index(fields=["inspection", "kind"], name="finding_inspection_kind"),
        ),
        migrations.RunPython(create_search_indexes, drop_search_indexes),
    ]
