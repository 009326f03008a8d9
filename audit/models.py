"""The tamper-evident audit trail: one hash chain per agency (plus a system chain), each record keyed-hashed
(HMAC-SHA256 with a key that is not in the database, audit.keys) over the previous record of its chain."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import hashing
from .keys import keyring

GENESIS_HASH = "0" * 64
# Records written before chains were split (one global chain, unkeyed SHA-256): closed, never appended to.
LEGACY_CHAIN = "legacy"
# Actions without an agency (log-ins, command-line exports, checkpoints).
SYSTEM_CHAIN = "system"


def chain_for(agency_id) -> str:
    """The chain an agency's records go to: one per agency, so agencies never wait on each other's lock."""
    return f"a{agency_id}" if agency_id else SYSTEM_CHAIN


class AuditRecord(models.Model):
    """One action by one actor. Rows are append-only (database triggers refuse UPDATE, DELETE, TRUNCATE).

    `seq` orders all records (unique, increasing, gaps possible on PostgreSQL after a rollback); `chain` and
    `chain_seq` place the record in its chain (gapless, from 1); `hash` = HMAC(key `key_id`, hashing.message)."""

    seq = models.BigIntegerField(_("序号"), unique=True)
    chain = models.CharField(_("审计链"), max_length=24)
    chain_seq = models.BigIntegerField(_("链内序号"))
    key_id = models.CharField(_("密钥编号"), max_length=32, blank=True)
    created_at = models.DateTimeField(_("时间"), db_index=True)
    action = models.CharField(_("动作"), max_length=80, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    role = models.CharField(_("角色"), max_length=40, blank=True)
    agency = models.ForeignKey(
        "core.Agency", verbose_name=_("机构"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    item = models.ForeignKey(
        "workflow.Information", verbose_name=_("信息"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="audit_records",
    )
    subject_type = models.CharField(_("对象类型"), max_length=60, blank=True)
    subject_id = models.CharField(_("对象编号"), max_length=40, blank=True)
    revision_hash = models.CharField(_("版本哈希"), max_length=64, blank=True)
    from_state = models.CharField(_("原状态"), max_length=40, blank=True)
    to_state = models.CharField(_("新状态"), max_length=40, blank=True)
    comment = models.TextField(_("意见"), blank=True)
    data = models.JSONField(_("详情"), default=dict, blank=True)
    ip = models.CharField(_("IP 地址"), max_length=45, blank=True)
    prev_hash = models.CharField(_("前一记录哈希"), max_length=64)
    hash = models.CharField(_("记录哈希"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"]),
            models.Index(fields=["agency", "created_at"]),
        ]
        constraints = [models.UniqueConstraint(fields=["chain", "chain_seq"], name="audit_chain_position")]

    def __str__(self):
        return f"#{self.pk} {self.action} {self.actor_name}"

    def hashed_values(self):
        """The values hashing.message covers, in hashing.FIELDS order."""
        return [getattr(self, name) for name in hashing.COLUMNS]

    def compute_hash(self, key: bytes | None = None):
        """The record's hash: HMAC with its key (from the keyring unless given); legacy records: SHA-256."""
        if not self.key_id:
            return hashing.legacy_hash(self.legacy_canonical())
        if key is None:
            key = keyring().get(self.key_id)
            if key is None:
                raise LookupError(f"audit key {self.key_id!r} is not configured")
        return hashing.sign(key, hashing.message(self.hashed_values()))

    def legacy_canonical(self):
        """The text a legacy record's SHA-256 covers (records written before keyed chains)."""
        return hashing.legacy_canonical({name: getattr(self, name) for name in hashing.COLUMNS})


class AuditChain(models.Model):
    """The head of one chain: its length and last hash. One row per agency, plus "system" and "legacy".

    Writers of one chain lock its row (SELECT ... FOR UPDATE) so that its records are appended one at a time;
    other agencies' chains are other rows. A trigger lets the head only move forward and refuses deletes."""

    chain = models.CharField(_("审计链"), max_length=24, primary_key=True)
    count = models.BigIntegerField(_("记录数"), default=0)
    last_hash = models.CharField(_("末条哈希"), max_length=64, default=GENESIS_HASH)
    last_seq = models.BigIntegerField(_("末条序号"), default=0)
    closed = models.BooleanField(_("已封闭"), default=False)

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")

    def __str__(self):
        return f"{self.chain} ({self.count})"
