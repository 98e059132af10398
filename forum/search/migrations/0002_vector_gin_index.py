"""A GIN index on the search vector, on PostgreSQL only.

Django's GinIndex would emit ``USING gin`` on SQLite too, where it fails; the
embedded default has no vector to index, so there the migration does nothing.
"""

from django.db import migrations

INDEX = "search_document_vector_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("search", "SearchDocument")._meta.db_table)
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON {table} USING gin (vector)")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_document")]

    operations = [migrations.RunPython(create_index, drop_index)]
