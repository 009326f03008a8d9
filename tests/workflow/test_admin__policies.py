"""The review-policy editor (no JSON), its model validation, which policy wins, and the audit of admin changes."""
import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from audit.models import AuditRecord
from core.models import Membership, Role
from tests.factories import make_user
from workflow import policies
from workflow.admin import ReviewPolicyAdmin
from workflow.models import InfoType, ReviewPolicy

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client):
    user = get_user_model().objects.create_superuser("root", "root@example.com", "pass12345!")
    client.force_login(user)
    return user


def steps_data(steps):
    return {f"steps_{i}": (steps[i] if i < len(steps) else "") for i in range(8)}


def admin_records(prefix):
    return list(AuditRecord.objects.filter(action__startswith=prefix).order_by("seq"))


@pytest.mark.parametrize("steps,message", [
    ([], "非空"),
    ("first_review", "非空"),
    (["first_review", "nope", "secrecy_review"], "未知的步骤代码：nope"),
    (["first_review", "first_review", "secrecy_review"], "不能重复"),
    (["first_review", "final_review"], "必须包含保密审查"),
])
def test_the_model_validates_the_steps(steps, message):
    with pytest.raises(ValidationError) as exc:
        ReviewPolicy(name="x", steps=steps).full_clean()
    assert message in " ".join(exc.value.message_dict["steps"])


def test_the_policy_list_joins_lazy_step_names(root, client, world):
    # given a policy: the list used to be a TypeError (str.join over lazy translation strings)
    policy = ReviewPolicy.objects.create(name="两审", steps=["first_review", "final_review", "secrecy_review"])
    assert ReviewPolicyAdmin.step_list(None, policy) == "初审 → 终审 → 保密审查"
    resp = client.get("/admin/workflow/reviewpolicy/")
    assert resp.status_code == 200
    assert "初审 → 终审 → 保密审查" in resp.content.decode()


def test_add_a_policy_by_picking_steps_writes_an_audit_record(root, client, world):
    html = client.get("/admin/workflow/reviewpolicy/add/").content.decode()
    assert 'name="steps_0"' in html and 'name="steps_7"' in html and "保密审查" in html and "第1步" in html
    data = {"name": "部门一般信息两审", "agency": world.dept.pk, "info_type": InfoType.GENERAL, "is_active": "on",
            **steps_data(["proof_1", "", "first_review", "secrecy_review"])}
    resp = client.post("/admin/workflow/reviewpolicy/add/", data)
    assert resp.status_code == 302, resp.content.decode()[:2000]
    policy = ReviewPolicy.objects.get(name="部门一般信息两审")
    assert policy.steps == ["proof_1", "first_review", "secrecy_review"]
    [rec] = admin_records("workflow.reviewpolicy.")
    assert rec.action == "workflow.reviewpolicy.create" and rec.actor == root and rec.agency == world.dept
    assert rec.data["new"]["steps"] == ["proof_1", "first_review", "secrecy_review"]

    # when the order is changed
    resp = client.post(f"/admin/workflow/reviewpolicy/{policy.pk}/change/", {
        "name": policy.name, "agency": world.dept.pk, "info_type": InfoType.GENERAL, "is_active": "on",
        **steps_data(["first_review", "proof_1", "secrecy_review"])})
    assert resp.status_code == 302
    rec = admin_records("workflow.reviewpolicy.")[-1]
    assert rec.action == "workflow.reviewpolicy.change" and rec.data["changed"] == ["steps"]
    assert rec.data["old"]["steps"] == ["proof_1", "first_review", "secrecy_review"]
    assert rec.data["new"]["steps"] == ["first_review", "proof_1", "secrecy_review"]

    # and deleted
    resp = client.post(f"/admin/workflow/reviewpolicy/{policy.pk}/delete/", {"post": "yes"})
    assert resp.status_code == 302 and not ReviewPolicy.objects.exists()
    assert admin_records("workflow.reviewpolicy.")[-1].action == "workflow.reviewpolicy.delete"


def test_a_policy_without_secrecy_is_refused_in_chinese_and_not_audited(root, client, world):
    resp = client.post("/admin/workflow/reviewpolicy/add/", {"name": "无保密", "is_active": "on",
                                                             **steps_data(["first_review"])})
    assert resp.status_code == 200 and "必须包含保密审查" in resp.content.decode()
    assert not ReviewPolicy.objects.exists() and not admin_records("workflow.reviewpolicy.")


def test_which_policy_wins_and_what_a_policy_covers(root, client, world):
    general = ReviewPolicy.objects.create(name="全局", steps=["first_review", "secrecy_review"])
    dept_normative = ReviewPolicy.objects.create(name="部门规范性文件", agency=world.dept,
                                                 info_type=InfoType.NORMATIVE_DOCUMENT,
                                                 steps=["legal_review", "secrecy_review"])
    assert policies.effective(world.dept, InfoType.NORMATIVE_DOCUMENT).policy == dept_normative
    assert policies.effective(world.dept, InfoType.GENERAL).policy == general
    assert policies.coverage(dept_normative) == [(world.dept, "行政规范性文件")]
    covered = policies.coverage(general)
    assert (world.dept, "行政规范性文件") not in covered and (world.other, "行政规范性文件") in covered
    assert len(covered) == 3 * len(InfoType.values) - 1

    html = client.get(f"/admin/workflow/reviewpolicy/{dept_normative.pk}/change/").content.decode()
    assert "实际适用范围" in html and f"{world.dept.name}·行政规范性文件" in html
    resp = client.get("/admin/workflow/reviewpolicy/resolve/",
                      {"agency": world.dept.pk, "info_type": InfoType.NORMATIVE_DOCUMENT})
    html = resp.content.decode()
    assert resp.status_code == 200 and "部门规范性文件" in html and "合法性审查 → 保密审查" in html
    html = client.get("/admin/workflow/reviewpolicy/resolve/",
                      {"agency": world.other.pk, "info_type": InfoType.GENERAL}).content.decode()
    assert "全局" in html
    general.delete()
    html = client.get("/admin/workflow/reviewpolicy/resolve/",
                      {"agency": world.other.pk, "info_type": InfoType.GENERAL}).content.decode()
    assert "三审三校（默认）" in html and "系统默认" in html
    resp = client.get("/admin/workflow/reviewpolicy/resolve/", {"agency": "x", "info_type": "bogus"})
    assert resp.status_code == 200 and "resolve-result" not in resp.content.decode()


def test_membership_changes_in_the_admin_are_audited(root, client, world):
    newcomer = make_user("newcomer", None)
    resp = client.post("/admin/core/membership/add/", {"user": newcomer.pk, "agency": world.dept.pk,
                                                       "role": Role.FIRST_REVIEWER})
    assert resp.status_code == 302
    m = Membership.objects.get(user=newcomer)
    rec = admin_records("org.membership.")[-1]
    assert rec.action == "org.membership.create" and rec.agency == world.dept
    assert rec.data["new"]["role"] == Role.FIRST_REVIEWER and rec.data["new"]["user"]["id"] == newcomer.pk
    resp = client.post(f"/admin/core/membership/{m.pk}/change/", {"user": newcomer.pk, "agency": world.dept.pk,
                                                                  "role": Role.FINAL_REVIEWER})
    assert resp.status_code == 302
    rec = admin_records("org.membership.")[-1]
    assert rec.action == "org.membership.change" and rec.data["changed"] == ["role"]
    assert (rec.data["old"]["role"], rec.data["new"]["role"]) == (Role.FIRST_REVIEWER, Role.FINAL_REVIEWER)
    resp = client.post("/admin/core/membership/", {"action": "delete_selected", "_selected_action": [m.pk],
                                                   "post": "yes"})
    assert resp.status_code == 302 and not Membership.objects.filter(user=newcomer).exists()
    assert admin_records("org.membership.")[-1].action == "org.membership.delete"


def test_membership_rows_edited_on_a_person_are_audited(root, client, world):
    user = world.first
    m = user.memberships.get()
    data = {
        "username": user.username, "first_name": user.first_name, "last_name": "", "email": "",
        "is_active": "on", "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00",
        "memberships-TOTAL_FORMS": "2", "memberships-INITIAL_FORMS": "1", "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-id": m.pk, "memberships-0-user": user.pk, "memberships-0-agency": world.dept.pk,
        "memberships-0-role": Role.FIRST_REVIEWER, "memberships-0-DELETE": "on",
        "memberships-1-user": user.pk, "memberships-1-agency": world.gov.pk, "memberships-1-role": Role.AUDITOR,
    }
    resp = client.post(f"/admin/auth/user/{user.pk}/change/", data)
    assert resp.status_code == 302, resp.context["errors"] if resp.context else resp.content[:500]
    actions = [(r.action, r.agency_id) for r in admin_records("org.membership.")]
    assert actions == [("org.membership.delete", world.dept.pk), ("org.membership.create", world.gov.pk)]
    assert list(user.memberships.values_list("role", flat=True)) == [Role.AUDITOR]
