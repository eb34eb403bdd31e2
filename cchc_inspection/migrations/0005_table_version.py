"""The table versions of ``cchc_inspection.listcache`` and the triggers that count them.

Every insert, update, delete (and on PostgreSQL truncate) of a watched table adds one to
its row, in the writer's transaction. The triggers insert the row if it is missing (after
a ``flush`` or a restore, say) at the current time in milliseconds, above any number the
row had before: a version never comes back, so a kept page is never read for other data.
A row, not a sequence: a sequence moves before the writer commits, and a page read in
between would be kept under the new number with the old rows.

SQLite remakes a table to alter it (``ALTER TABLE`` through a copy), which drops its
triggers: a later migration that alters a watched table must create them again
(``tests/findings/test_list_cache.py`` checks that every watched table has them).
"""

from django.db import migrations, models

# What the findings register and the remediation tracker show or filter by.
WATCHED = [
    ("findings", "Finding"),
    ("findings", "RemediationAction"),
    ("findings", "RemediationProof"),
    ("findings", "Conclusion"),
    ("plans", "Inspection"),
    ("plans", "InspectionPlan"),
    ("units", "Unit"),
    ("reports", "OutlineItem"),
    ("reports", "ReportOutline"),
]
FUNCTION = "cchc_bump_table_version"


def _tables(apps):
    return [apps.get_model(app, name)._meta.db_table for app, name in WATCHED]


def _version_table(apps):
    return apps.get_model("cchc_inspection", "TableVersion")._meta.db_table


# Milliseconds since 1970, where a missing row starts again.
SQLITE_NOW = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"
POSTGRESQL_NOW = "(extract(epoch FROM clock_timestamp()) * 1000)::bigint"


def _sqlite_bump(versions, table):
    return (
        f"INSERT OR IGNORE INTO \"{versions}\" (\"table\", number) "
        f"VALUES ('{table}', {SQLITE_NOW}); "
        f"UPDATE \"{versions}\" SET number = number + 1 WHERE \"table\" = '{table}';"
    )


def create_triggers(apps, schema_editor):
    versions, tables = _version_table(apps), _tables(apps)
    TableVersion = apps.get_model("cchc_inspection", "TableVersion")
    TableVersion.objects.using(schema_editor.connection.alias).bulk_create(
        [TableVersion(table=table, number=0) for table in tables], ignore_conflicts=True
    )
    execute = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        execute(
            f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f'BEGIN INSERT INTO "{versions}" ("table", number) '
            f"VALUES (TG_TABLE_NAME, {POSTGRESQL_NOW}) "
            f'ON CONFLICT ("table") DO UPDATE SET number = "{versions}".number + 1; '
            "RETURN NULL; END; $$"
        )
        for table in tables:
            execute(
                f'CREATE TRIGGER {FUNCTION} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE '
                f'ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()'
            )
    elif schema_editor.connection.vendor == "sqlite":
        for table in tables:
            for event in ("insert", "update", "delete"):
                execute(
                    f'CREATE TRIGGER "{table}_version_{event}" AFTER {event.upper()} '
                    f'ON "{table}" FOR EACH ROW BEGIN {_sqlite_bump(versions, table)} END'
                )
    else:
        vendor = schema_editor.connection.vendor
        raise NotImplementedError(f"Chưa có trigger phiên bản bảng cho cơ sở dữ liệu {vendor}.")


def drop_triggers(apps, schema_editor):
    tables, execute = _tables(apps), schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        for table in tables:
            execute(f'DROP TRIGGER IF EXISTS {FUNCTION} ON "{table}"')
        execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
    elif schema_editor.connection.vendor == "sqlite":
        for table in tables:
            for event in ("insert", "update", "delete"):
                execute(f'DROP TRIGGER IF EXISTS "{table}_version_{event}"')


class Migration(migrations.Migration):

    dependencies = [
        ("cchc_inspection", "0004_agency_staff"),
        ("findings", "0006_remediation_open_by_conclusion"),
        ("plans", "0003_plan_year_id"),
        ("units", "0001_initial"),
        ("reports", "0002_history"),
    ]

    operations = [
        migrations.CreateModel(
            name="TableVersion",
            fields=[
                (
                    "table",
                    models.CharField(
                        max_length=100,
                        primary_key=True,
                        serialize=False,
                        verbose_name="bảng dữ liệu",
                    ),
                ),
                ("number", models.BigIntegerField(default=0, verbose_name="số lần ghi")),
            ],
            options={
                "verbose_name": "phiên bản bảng dữ liệu",
                "verbose_name_plural": "phiên bản bảng dữ liệu",
                "ordering": ["table"],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
