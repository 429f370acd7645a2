"""The audit log's hash chain (docs/adr/0014): hash fields, the chain head, existing rows
chained in id order, and a PostgreSQL trigger that still refuses every UPDATE and every DELETE
except a prune's of rows older than both its cut-off and 180 days."""

import django.utils.timezone
from django.db import migrations, models


TRIGGER = """
CREATE OR REPLACE FUNCTION core_auditentry_append_only() RETURNS trigger AS $$
DECLARE
  prune_before text := current_setting('chuangcheng.audit_prune_before', true);
BEGIN
  IF TG_OP = 'DELETE' AND coalesce(prune_before, '') <> ''
     AND OLD.at < prune_before::timestamptz
     AND OLD.at < now() - interval '180 days' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'core_auditentry is append-only';
END;
$$ LANGUAGE plpgsql;
"""
OLD_TRIGGER = """
CREATE OR REPLACE FUNCTION core_auditentry_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'core_auditentry is append-only';
END;
$$ LANGUAGE plpgsql;
"""


def chain_existing(apps, schema_editor):  # type: ignore[no-untyped-def]
    from chuangcheng.core.audit_chain import FIELDS, digest

    entry = apps.get_model("core", "AuditEntry")
    head = apps.get_model("core", "AuditChainHead")
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute(
            "ALTER TABLE core_auditentry DISABLE TRIGGER core_auditentry_no_change"
        )
    prev, last_id, after = "", None, 0
    while True:
        rows = list(
            entry._base_manager.filter(id__gt=after)
            .order_by("id")
            .values("id", *FIELDS[:-1])[:2000]
        )
        if not rows:
            break
        for row in rows:
            row["prev_hash"] = prev
            value = digest(row)
            entry._base_manager.filter(id=row["id"]).update(prev_hash=prev, hash=value)
            prev, last_id = value, row["id"]
        after = rows[-1]["id"]
    head.objects.create(pk=1, last_id=last_id, last_hash=prev)
    if postgres:
        schema_editor.execute(
            "ALTER TABLE core_auditentry ENABLE TRIGGER core_auditentry_no_change"
        )
        schema_editor.execute(TRIGGER)


def unchain(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(OLD_TRIGGER)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0005_rate_counter'),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditChainHead',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('last_id', models.BigIntegerField(blank=True, null=True)),
                ('last_hash', models.CharField(blank=True, max_length=64)),
            ],
            options={
                'verbose_name': 'audit chain head',
                'verbose_name_plural': 'audit chain heads',
            },
        ),
        migrations.AddField(
            model_name='auditentry',
            name='hash',
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name='auditentry',
            name='prev_hash',
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='action',
            field=models.CharField(choices=[('create', 'Created'), ('update', 'Updated'), ('delete', 'Deleted'), ('import', 'Imported'), ('export', 'Exported'), ('login', 'Logged in'), ('login_failed', 'Login failed'), ('logout', 'Logged out'), ('locked', 'Account locked'), ('password', 'Password changed'), ('view_personal', 'Viewed personal data'), ('send', 'Message sent'), ('prune', 'Audit log pruned')], db_index=True, max_length=20),
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False),
        ),
        migrations.RunPython(chain_existing, unchain),
    ]
