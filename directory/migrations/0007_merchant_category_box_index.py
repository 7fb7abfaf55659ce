"""The map's box + category query (directory/filters.py merchants_in with bbox and category):
an index on (category, latitude, longitude) lets the database read only the category's merchants
inside the box's latitude band, instead of every merchant of the category. Plain SQL, no model
state: the models package (MerchantPage.Meta.indexes) belongs to the page helpers; the index is
for the query planner only, and `IF NOT EXISTS` keeps it idempotent on SQLite and PostgreSQL."""

from django.db import migrations

INDEX = "merchant_cat_lat_lng"
TABLE = "directory_merchantpage"


class Migration(migrations.Migration):
    dependencies = [("directory", "0006_merchant_review_task")]

    operations = [
        migrations.RunSQL(
            sql=(
                f"CREATE INDEX IF NOT EXISTS {INDEX} ON {TABLE} (category_id, latitude, longitude)"
            ),
            reverse_sql=f"DROP INDEX IF EXISTS {INDEX}",
        ),
    ]
