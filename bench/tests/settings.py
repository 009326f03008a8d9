"""Test settings for bench/tests: the project's test settings plus the bench app (the bare-viewflow flows)."""
from project.settings.test import *  # noqa: F403
from project.settings.test import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
