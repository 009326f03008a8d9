from django.contrib.staticfiles.apps import StaticFilesConfig


class ShenfaStaticFilesConfig(StaticFilesConfig):
    """collectstatic leaves out viewflow's own frontend (not mounted here; its CSS refers to font files the
    package does not ship, which the hashed-manifest storage of production refuses)."""

    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "viewflow"]
