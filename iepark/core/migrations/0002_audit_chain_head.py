"""Create the audit chain's head row up front, so the first writers never race to create it."""

from django.db import migrations

GENESIS_HASH = "0" * 64


def create_head(apps, schema_editor):
    head_model = apps.get_model("core", "AuditChainHead")
    head_model.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS_HASH})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(create_head, migrations.RunPython.noop)]
