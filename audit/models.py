"""The tamper-evident audit trail: one row per action, each row's hash covering the previous one."""
import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AuditRecord(models.Model):
    """One action by one actor. Rows are append-only (a PostgreSQL trigger refuses UPDATE/DELETE)."""

    seq = models.BigIntegerField(_("序号"), unique=True)
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

    def __str__(self):
        return f"#{self.pk} {self.action} {self.actor_name}"

    def canonical(self):
        """The exact bytes the hash covers: every field but the hash itself, in a fixed order."""
        payload = {
            "seq": self.seq,
            "created_at": self.created_at.isoformat(timespec="microseconds"),
            "action": self.action,
            "actor": self.actor_id,
            "actor_name": self.actor_name,
            "role": self.role,
            "agency": self.agency_id,
            "item": self.item_id,
            "subject_type": self.subject_type,
            "subject_id": self.subject_id,
            "revision_hash": self.revision_hash,
            "from_state": self.from_state,
            "to_state": self.to_state,
            "comment": self.comment,
            "data": self.data,
            "ip": self.ip,
            "prev_hash": self.prev_hash,
        }
        return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)

    def compute_hash(self):
        return hashlib.sha256(self.canonical().encode("utf-8")).hexdigest()


class ChainHead(models.Model):
    """A single row holding the chain's last sequence number and hash.

    Writers lock it (SELECT ... FOR UPDATE) so that records are appended one at a time, in seq
    order, and so that deleting the newest records is detectable too."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    count = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")
