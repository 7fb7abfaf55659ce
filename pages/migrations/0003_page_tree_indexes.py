"""Indexes on Wagtail's page table that the public pages need at 100,000 merchants.

- (depth, path): menus and footers read one level of the tree (`depth = n AND path LIKE ...`).
  SQLite cannot use the path index for Django's LIKE (case-insensitive, with ESCAPE), so without
  it every menu scanned the whole page table (11.6 ms at 100k; 0 ms with it).
- (title): the directory's list is sorted by title; with the index a page of 24 reads 24 rows
  instead of sorting every merchant.

Wagtail owns the table, so AddIndex cannot name it: plain SQL that both SQLite and PostgreSQL
understand, idempotent, with its reverse.
"""

from django.db import migrations

INDEXES = {
    "portal_page_depth_path": "(depth, path)",
    "portal_page_title": "(title)",
}


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0002_legal_pages_and_operator"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {name} ON wagtailcore_page {columns}",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, columns in INDEXES.items()
    ]
