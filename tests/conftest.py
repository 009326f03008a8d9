import pytest

from tests.factories import build_world


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Log-in throttle counters live in the cache: no test may inherit another's failures.
    from django.core.cache import cache

    cache.clear()
    yield
