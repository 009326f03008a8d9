import pytest
from django.db import connection

from audit import triggers
from tests.factories import build_world, register
from workflow.models import Category, ReviewPolicy


@pytest.fixture(autouse=True, scope="session")
def _audit_triggers_let_test_flush_through():
    # The audit tables refuse DELETE/TRUNCATE; the flush after a transactional test must still empty them.
    ops = type(connection.ops)
    original = ops.sql_flush

    def sql_flush(self, style, tables, **kwargs):
        return triggers.around_flush(self.connection.vendor, original(self, style, tables, **kwargs))

    ops.sql_flush = sql_flush
    yield
    ops.sql_flush = original


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


@pytest.fixture
def fast_policy(db):
    """初审 + 保密审查 for every agency: the report tests need many published items, not long reviews."""
    return ReviewPolicy.objects.create(name="初审+保密审查（测试）", agency=None, info_type="",
                                       steps=["first_review", "secrecy_review"])


@pytest.fixture
def topics(db):
    return {
        "综合政务": Category.objects.create(kind=Category.Kind.TOPIC, name="综合政务", cleanup_interval_days=180),
        "民政": Category.objects.create(kind=Category.Kind.TOPIC, name="民政、扶贫、救灾"),
        "政策文件": Category.objects.create(kind=Category.Kind.FACET, name="政策文件"),
        "名单公示": Category.objects.create(kind=Category.Kind.FACET, name="公示公告"),
    }


@pytest.fixture
def app(world):
    """An application registered by the request handler of world.dept (依申请公开)."""
    return register(world)
