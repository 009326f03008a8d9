"""Index-number counters (索引号) and, later, cleanup records."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class IndexCounter(models.Model):
    """Last serial issued per agency and period. Locked while allocating, so serials are gapless:
    the increment commits or rolls back with the publication that used it."""

    agency = models.ForeignKey("workflow.Agency", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=8)
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("索引号计数器")
        verbose_name_plural = _("索引号计数器")
        constraints = [models.UniqueConstraint(fields=["agency", "period"], name="uniq_index_counter")]

    def __str__(self):
        return f"{self.agency.code}/{self.period}: {self.last_serial}"
