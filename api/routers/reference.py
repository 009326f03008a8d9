"""Reference data: the agencies one may see, the catalogue's categories, info types, review steps, and
the review policy (分级审核) a draft will get."""
from typing import Literal

from ninja import Field, Query, Router, Schema

from core import org
from core.errors import InvalidInput
from core.models import Agency, Role
from workflow import actions, permissions
from workflow.models import Category, Information, InfoType
from workflow.models.review import STEP_ROLE, Step

from ..fields import QueryId
from ..schemas.common import responses
from ..schemas.items import PolicyOut, step_label

router = Router(tags=["参考数据"])


class AgencyRef(Schema):
    id: int
    code: str
    name: str
    kind: str
    parent: int | None
    my_roles: list[str] = Field(..., description="我在该机构的角色")


class CategoryOut(Schema):
    id: int
    name: str
    code: str
    parent: int | None
    sort: int

    @staticmethod
    def resolve_parent(obj):
        return obj.parent_id


class Choice(Schema):
    code: str
    label: str


class StepInfo(Schema):
    step: str
    label: str
    role: str
    role_label: str


@router.get("/agencies", response=responses(list[AgencyRef], 200), summary="我可以查看的机构（及我在其中的角色）")
def agency_list(request):
    roles = org.roles_by_agency(request.auth)
    agencies = Agency.objects.filter(pk__in=permissions.visible_agency_ids(request.auth), is_active=True)
    return [{"id": a.pk, "code": a.code, "name": a.name, "kind": a.kind, "parent": a.parent_id,
             "my_roles": sorted(roles.get(a.pk, ()))} for a in agencies.order_by("code")]


@router.get("/topics", response=responses(list[CategoryOut], 200), summary="主题分类")
def topic_list(request):
    return list(Category.objects.filter(kind=Category.Kind.TOPIC).order_by("sort", "name", "pk"))


@router.get("/facets", response=responses(list[CategoryOut], 200), summary="组配分类")
def facet_list(request):
    return list(Category.objects.filter(kind=Category.Kind.FACET).order_by("sort", "name", "pk"))


@router.get("/info-types", response=responses(list[Choice], 200), summary="信息类型")
def info_type_list(request):
    return [{"code": code, "label": str(label)} for code, label in InfoType.choices]


@router.get("/steps", response=responses(list[StepInfo], 200), summary="审核步骤及其角色")
def step_list(request):
    return [{"step": s.value, "label": str(s.label), "role": STEP_ROLE[s], "role_label": str(Role(STEP_ROLE[s]).label)}
            for s in Step]


class PolicyQuery(Schema):
    agency: QueryId = Field(..., title="发布机构")
    info_type: Literal[tuple(InfoType.values)] = Field(InfoType.GENERAL.value, title="信息类型")


@router.get("/review-policy", response=responses(PolicyOut, 200, 400),
            summary="某机构某类信息提交时将适用的审核策略（分级审核）")
def review_policy(request, query: Query[PolicyQuery]):
    # Agencies are public (the catalogue lists them), and so is which review their items get.
    agency = Agency.objects.filter(pk=query.agency, is_active=True).first()
    if agency is None:
        raise InvalidInput("发布机构：所选项不存在", en="No such agency", field="agency")
    # policy_for reads only the agency and the type: an unsaved draft stands for the one to be written.
    draft = Information(agency=agency, info_type=query.info_type)
    name, steps, allow_same = actions.policy_for(draft)
    return {"name": name, "steps": [{"step": s, "label": step_label(s)} for s in steps],
            "allow_same_reviewer": allow_same, **actions.separation_relaxations_for(draft)}
