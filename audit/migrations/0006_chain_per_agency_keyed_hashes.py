"""A chain per agency, keyed hashes, a global sequence without a global lock.

Existing records (one global chain, unkeyed SHA-256) are not rewritten: they become the closed chain
"legacy" (chain_seq = seq, key id ""), its head copied from the old single head row and marked closed. The
first checkpoint (audit.checkpoints, run by the tick or `manage.py audit_checkpoint`) signs the legacy head with
the audit key, in the database (a system-chain record) and in the checkpoint file; from then on a rewrite of a
legacy record contradicts that checkpoint. New records go to the per-agency chains."""
from django.db import migrations, models


def forwards(apps, schema_editor):
    conn = schema_editor.connection
    ChainHead = apps.get_model("audit", "ChainHead")
    AuditChain = apps.get_model("audit", "AuditChain")
    AuditRecord = apps.get_model("audit", "AuditRecord")
    pg = conn.vendor == "postgresql"
    with conn.cursor() as cur:
        if pg:
            cur.execute("ALTER TABLE audit_auditrecord DISABLE TRIGGER audit_append_only")
        cur.execute("UPDATE audit_auditrecord SET chain_seq = seq")
        if pg:
            cur.execute("ALTER TABLE audit_auditrecord ENABLE TRIGGER audit_append_only")
            cur.execute("CREATE SEQUENCE IF NOT EXISTS audit_record_seq AS bigint")
            cur.execute("SELECT setval('audit_record_seq', GREATEST(COALESCE(MAX(seq), 0), 1), "
                        "COALESCE(MAX(seq), 0) > 0) FROM audit_auditrecord")
    last_seq = AuditRecord.objects.aggregate(m=models.Max("seq"))["m"] or 0
    old = ChainHead.objects.filter(pk=1).first()
    if last_seq or (old is not None and old.count):
        AuditChain.objects.create(chain="legacy", count=old.count if old else 0,
                                  last_hash=old.last_hash if old else "0" * 64, last_seq=last_seq, closed=True)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cur:
            cur.execute("DROP SEQUENCE IF EXISTS audit_record_seq")


class Migration(migrations.Migration):

    dependencies = [("audit", "0005_move_report_models_out")]

    operations = [
        migrations.AddField(
            model_name="auditrecord", name="chain",
            field=models.CharField(default="legacy", max_length=24, verbose_name="审计链"), preserve_default=False),
        migrations.AddField(
            model_name="auditrecord", name="chain_seq",
            field=models.BigIntegerField(default=0, verbose_name="链内序号"), preserve_default=False),
        migrations.AddField(
            model_name="auditrecord", name="key_id",
            field=models.CharField(blank=True, default="", max_length=32, verbose_name="密钥编号"),
            preserve_default=False),
        migrations.CreateModel(
            name="AuditChain",
            fields=[
                ("chain", models.CharField(max_length=24, primary_key=True, serialize=False, verbose_name="审计链")),
                ("count", models.BigIntegerField(default=0, verbose_name="记录数")),
                ("last_hash", models.CharField(default="0" * 64, max_length=64, verbose_name="末条哈希")),
                ("last_seq", models.BigIntegerField(default=0, verbose_name="末条序号")),
                ("closed", models.BooleanField(default=False, verbose_name="已封闭")),
            ],
            options={"verbose_name": "审计链头", "verbose_name_plural": "审计链头"},
        ),
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="ChainHead"),
        migrations.AddConstraint(
            model_name="auditrecord",
            constraint=models.UniqueConstraint(fields=("chain", "chain_seq"), name="audit_chain_position"),
        ),
    ]
