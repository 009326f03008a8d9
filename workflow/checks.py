"""System checks for misconfiguration."""
from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.db import DatabaseError

from core.conf import DEFAULTS

from .models import ReviewPolicy
from .models.review import Step


@register()
def check_shenfa_settings(app_configs, **kwargs):
    errors = []
    conf = getattr(settings, "SHENFA", {})
    for key in conf:
        if key not in DEFAULTS:
            errors.append(Warning(f"Unknown SHENFA setting {key!r}", hint="See project/conf.py for the list",
                                  id="workflow.W001"))
    if conf.get("INDEX_PERIOD_FORMAT", "year") not in ("year", "month"):
        errors.append(Error("SHENFA['INDEX_PERIOD_FORMAT'] must be 'year' or 'month'", id="workflow.E001"))
    return errors


@register(Tags.database)
def check_review_policies(app_configs, databases=None, **kwargs):
    """Active review policies must name known steps, once each, and include the secrecy review."""
    errors = []
    if not databases:
        return errors
    try:
        policies = list(ReviewPolicy.objects.filter(is_active=True))
    except DatabaseError:
        return []  # tables not migrated yet
    for p in policies:
        steps = p.steps if isinstance(p.steps, list) else []
        bad = [s for s in steps if s not in Step.values]
        if not steps or bad:
            errors.append(Error(f"Review policy {p.name!r} has invalid steps {bad or steps}",
                                hint=f"Use step codes from {Step.values}", obj=p, id="workflow.E002"))
        elif Step.SECRECY_REVIEW not in steps:
            errors.append(Error(f"Review policy {p.name!r} lacks the mandatory secrecy review",
                                hint="保密审查 is mandatory before publication (条例 Art. 17)", obj=p,
                                id="workflow.E003"))
        if len(set(steps)) != len(steps):
            errors.append(Error(f"Review policy {p.name!r} repeats a step", obj=p, id="workflow.E004"))
    return errors
