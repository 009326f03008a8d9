"""Review policies as data: the most specific one wins; settings and system checks."""
import pytest
from django.conf import settings as django_settings
from django.core.checks import run_checks
from django.test import override_settings

from tests.factories import draft
from workflow import actions
from workflow.models import InfoType, ReviewPolicy, Revision
from workflow.models.review import DEFAULT_STEPS

pytestmark = pytest.mark.django_db


def test_default_is_three_reviews_three_proofs_and_secrecy(world):
    name, steps, allow_same = actions.policy_for(draft(world))
    assert steps == [s.value for s in DEFAULT_STEPS] and not allow_same and "默认" in name


def test_most_specific_policy_wins(world):
    ReviewPolicy.objects.create(name="全局一般", info_type="", steps=["first_review", "secrecy_review"])
    ReviewPolicy.objects.create(name="全局规范性文件", info_type=InfoType.NORMATIVE_DOCUMENT,
                                steps=["proof_1", "first_review", "legal_review", "secrecy_review"])
    ReviewPolicy.objects.create(name="上级政府", agency=world.gov, steps=["second_review", "secrecy_review"])
    ReviewPolicy.objects.create(name="本部门规范性文件", agency=world.dept, info_type=InfoType.NORMATIVE_DOCUMENT,
                                steps=["final_review", "legal_review", "secrecy_review"])
    assert actions.policy_for(draft(world, info_type=InfoType.NORMATIVE_DOCUMENT))[0] == "本部门规范性文件"
    assert actions.policy_for(draft(world))[0] == "上级政府"
    other = actions.create_item(actor=world.other_first, agency=world.other, data={"title": "外单位"})
    assert actions.policy_for(other)[0] == "全局一般"
    other2 = actions.create_item(actor=world.other_first, agency=world.other,
                                 data={"title": "外单位规范性文件", "info_type": InfoType.NORMATIVE_DOCUMENT})
    assert actions.policy_for(other2)[0] == "全局规范性文件"


def test_round_keeps_a_snapshot_of_its_policy(world):
    policy = ReviewPolicy.objects.create(name="两审", steps=["first_review", "second_review", "secrecy_review"])
    item = draft(world)
    rnd = actions.submit_item(actor=world.drafter, item=item)
    policy.steps = ["first_review", "secrecy_review"]
    policy.save()
    rnd.refresh_from_db()
    assert rnd.steps == ["first_review", "second_review", "secrecy_review"]


@override_settings(SHENFA={**django_settings.SHENFA, "ALLOW_SAME_REVIEWER": True})
def test_setting_relaxes_review_separation_for_the_default_policy(world):
    item = draft(world)
    rnd = actions.submit_item(actor=world.drafter, item=item)
    assert rnd.allow_same_reviewer


def test_revisions_are_immutable_and_hash_is_canonical(world):
    item = draft(world)
    rev = item.current_revision
    rev.body = "篡改"
    with pytest.raises(ValueError):
        rev.save()
    h = Revision.compute_hash(body="a", metadata={"x": 1, "y": "中"}, attachments=[("b", "2"), ("a", "1")])
    assert h == Revision.compute_hash(body="a", metadata={"y": "中", "x": 1}, attachments=[("a", "1"), ("b", "2")])
    assert h != Revision.compute_hash(body="a ", metadata={"x": 1, "y": "中"}, attachments=[("a", "1"), ("b", "2")])


def test_unchanged_edit_makes_no_revision_and_no_audit(world):
    from audit.models import AuditRecord

    item = draft(world)
    before = (item.revisions.count(), AuditRecord.objects.count())
    assert actions.edit_item(actor=world.drafter, item=item, data={"title": item.title}) is None
    assert (item.revisions.count(), AuditRecord.objects.count()) == before


def test_system_check_flags_bad_policies(world):
    ReviewPolicy.objects.create(name="缺保密审查", steps=["first_review"])
    ReviewPolicy.objects.create(name="未知步骤", info_type=InfoType.GENERAL, steps=["first_review", "boss"])
    ids = {e.id for e in run_checks(databases=["default"])}
    assert {"workflow.E002", "workflow.E003"} <= ids


@override_settings(SHENFA={**django_settings.SHENFA, "INDEX_PERIOD_FORMAT": "weekly"})
def test_system_check_flags_bad_setting(db):
    assert "workflow.E001" in {e.id for e in run_checks()}


def test_blank_title_and_empty_body_are_refused(world):
    from core.errors import InvalidInput

    with pytest.raises(InvalidInput) as exc:
        actions.create_item(actor=world.drafter, agency=world.dept, data={"title": "   "})
    assert exc.value.field == "title"
    item = actions.create_item(actor=world.drafter, agency=world.dept,
                               data={"title": "  只有空段落  ", "body": "<p> </p><p>&nbsp;</p>"})
    assert item.title == "只有空段落"
    with pytest.raises(InvalidInput) as exc:
        actions.submit_item(actor=world.drafter, item=item)
    assert exc.value.field == "body"


@pytest.mark.parametrize("field,value", [("topic", 99999), ("facet", "abc"), ("interprets", 123456)])
def test_unknown_references_get_a_chinese_error(world, field, value):
    from core.errors import InvalidInput

    with pytest.raises(InvalidInput) as exc:
        draft(world, **{field: value})
    assert exc.value.field == field and "instance" not in exc.value.message
