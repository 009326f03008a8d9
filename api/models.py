"""API tokens: one row per issued token, so that one token can be listed and revoked on its own."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """An issued API token. The signed token carries a random key; only its SHA-256 (key_hash) is stored,
    so the table alone cannot be turned back into working tokens."""

    class Via(models.TextChoices):
        PASSWORD = "api", _("用户名和密码")
        SESSION = "session", _("网页登录会话")
        COMMAND = "command", _("管理命令")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE,
                             related_name="api_tokens")
    key_hash = models.CharField(_("令牌标识哈希"), max_length=64, unique=True)
    via = models.CharField(_("签发方式"), max_length=10, choices=Via.choices)
    # SHA-256 of the web session key a token was issued from: log-out revokes that session's tokens.
    session_hash = models.CharField(_("会话标识哈希"), max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(_("签发时间"))
    expires_at = models.DateTimeField(_("到期时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    revoke_reason = models.CharField(_("吊销原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.user} #{self.pk}"
