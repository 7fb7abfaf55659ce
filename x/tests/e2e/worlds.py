"""Snapshots of the test database: an expensive world (the demo city) is built once per test
process, copied table by table, and copied back before each browser test that needs it.

The live server reads committed data, so browser tests are transactional and the database is
emptied after each of them. Seeding the demo city takes seconds; putting its rows back takes a
fraction of one. A snapshot lives next to the tables it copies: in a schema of its own on
PostgreSQL, in tables named `snapshot_<name>__<table>` on SQLite (Django's flush leaves both
alone, and the test database is dropped at the end). A restore empties the tables as the flush
does and copies the rows back in one transaction; Django's foreign keys are checked at commit.
"""

import re

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, router, transaction


def empty_database() -> None:
    """What Django does after each transactional test: every table emptied, content types and
    permissions created again."""
    call_command("flush", interactive=False, verbosity=0, database=connection.alias)


def _filled_by_triggers() -> set[str]:
    """Tables that triggers fill from others, e.g. Wagtail's full-text index on SQLite: copying
    them back too would put each row in twice."""
    if connection.vendor != "sqlite":
        return set()
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger'")
        return {
            table
            for (sql,) in cursor.fetchall()
            for table in re.findall(r"\bINSERT\s+INTO\s+[\"`]?(\w+)", sql, re.IGNORECASE)
        }


def _models() -> dict:
    """Every table Django's flush empties and no trigger fills: {table: (model, its columns)}."""
    existing = set(connection.introspection.table_names()) - _filled_by_triggers()
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if (
            meta.managed
            and not meta.proxy
            and meta.db_table in existing
            and router.allow_migrate_model(connection.alias, model)
        ):
            tables[meta.db_table] = (model, [field.column for field in meta.local_concrete_fields])
    return tables


def _copy_of(name: str, table: str) -> str:
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        return f"{quote(f'snapshot_{name}')}.{quote(table)}"
    return quote(f"snapshot_{name}__{table}")


def snapshot(name: str) -> None:
    """Copy every table's rows as they are now (committed or not) under `name`."""
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            schema = quote(f"snapshot_{name}")
            cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            cursor.execute(f"CREATE SCHEMA {schema}")
        for table, (_model, columns) in _models().items():
            copy = _copy_of(name, table)
            select = ", ".join(quote(column) for column in columns)
            cursor.execute(f"DROP TABLE IF EXISTS {copy}")
            cursor.execute(f"CREATE TABLE {copy} AS SELECT {select} FROM {quote(table)}")  # noqa: S608


def restore(name: str) -> None:
    """Empty every table and put back the rows of snapshot `name`."""
    quote = connection.ops.quote_name
    tables = _models()
    flushed = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with transaction.atomic(), connection.cursor() as cursor:
        # Mostly empty already (the flush after the last test): DELETE is quicker than TRUNCATE.
        for table in sorted(flushed):
            cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608
        for table, (_model, columns) in tables.items():
            listed = ", ".join(quote(column) for column in columns)
            copy = _copy_of(name, table)
            cursor.execute(f"INSERT INTO {quote(table)} ({listed}) SELECT {listed} FROM {copy}")  # noqa: S608
        # New rows must not take the ids of restored ones (SQLite keeps track by itself).
        models = [model for model, _columns in tables.values()]
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
    # The flush after the last test created content types anew, with other ids.
    ContentType.objects.clear_cache()
