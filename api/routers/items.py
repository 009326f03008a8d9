"""Items: draft, edit (with attachments), submit, read, list for sync; revisions, diffs, privacy findings,
the review policy that will apply, and the audit timeline."""
import os
from typing import Literal

from django.db.models import Q
from django.http import FileResponse
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile
from ninja.pagination import paginate

from audit.models import AuditRecord
from core.errors import InvalidInput, NotAllowedInState
from core.models import Agency
from workflow import actions, diffs, permissions
from workflow.models import Attachment, InfoType, ItemStatus

from .. import lookups
from ..fields import Day, Moment, PathId, QueryId, bounded_text, json_body
from ..schemas.common import Empty, Pagination, responses
from ..schemas.items import (
    AttachmentList,
    AuditList,
    DiffOut,
    FindingsOut,
    ItemCreateIn,
    ItemOut,
    ItemSummary,
    ItemUpdateIn,
    PolicyOut,
    RevisionBrief,
    RevisionOut,
    step_label,
)
from ..uploads import limit_uploads

router = Router(tags=["信息"])

ORDERINGS = ("-updated_at", "updated_at", "-created_date", "created_date", "-published_at", "published_at",
             "title", "-title", "id", "-id")


class ItemFilter(Schema):
    status: Literal[tuple(ItemStatus.values)] | None = Field(None, title="状态")
    agency: QueryId | None = Field(None, title="发布机构")
    info_type: Literal[tuple(InfoType.values)] | None = Field(None, title="信息类型")
    q: bounded_text(100) | None = Field(None, title="搜索", description="名称、文号或索引号包含的文字")
    mine: bool | None = Field(None, title="只看我起草的")
    created_from: Day | None = Field(None, title="生成日期起")
    created_to: Day | None = Field(None, title="生成日期止")
    published_from: Day | None = Field(None, title="发布日期起（北京时间）")
    published_to: Day | None = Field(None, title="发布日期止（北京时间）")
    since: Moment | None = Field(None, title="更新时间晚于", description="同步用：只返回此时间之后更新过的信息")
    ordering: Literal[ORDERINGS] = Field("-updated_at", title="排序")


def user_of(request):
    return request.auth


def detail(request, item_id):
    return lookups.item(user_of(request), item_id)


@router.get("/items", response=responses(list[ItemSummary], 200, 400), summary="我可以查看的信息（分页、筛选、排序）")
@paginate(Pagination)
def item_list(request, filters: Query[ItemFilter]):
    qs = permissions.visible_items(user_of(request)).select_related("agency", "drafter", "current_revision")
    f = filters
    if f.q:
        qs = qs.filter(Q(title__icontains=f.q) | Q(doc_number__icontains=f.q) | Q(index_number__icontains=f.q))
    for name in ("status", "info_type"):
        if getattr(f, name):
            qs = qs.filter(**{name: getattr(f, name)})
    if f.agency:
        qs = qs.filter(agency_id=f.agency)
    if f.mine:
        qs = qs.filter(drafter=user_of(request))
    if f.created_from:
        qs = qs.filter(created_date__gte=f.created_from)
    if f.created_to:
        qs = qs.filter(created_date__lte=f.created_to)
    if f.published_from:
        qs = qs.filter(published_at__date__gte=f.published_from)
    if f.published_to:
        qs = qs.filter(published_at__date__lte=f.published_to)
    if f.since:
        qs = qs.filter(updated_at__gt=f.since)
    return qs.order_by(f.ordering, "-pk" if f.ordering.startswith("-") else "pk")


@router.post("/items", response=responses(ItemOut, 201, 400, 403, 415), summary="起草信息")
def item_create(request, data: json_body(ItemCreateIn)):
    fields = data.model_dump(exclude_unset=True)
    agency = Agency.objects.filter(pk=fields.pop("agency"), is_active=True).first()
    if agency is None:
        raise InvalidInput("发布机构：所选项不存在", en="No such agency", field="agency")
    item = actions.create_item(actor=user_of(request), agency=agency, data=fields)
    return Status(201, detail(request, item.pk))


@router.get("/items/{int:item_id}", response=responses(ItemOut, 200, 400, 404),
            summary="信息详情（含当前版本、附件、审核进度、待办任务）")
def item_read(request, item_id: PathId):
    return detail(request, item_id)


@router.patch("/items/{int:item_id}", response=responses(ItemOut, 200, 400, 403, 404, 409, 415),
              summary="修改信息（生成新版本）",
              description="只需提交要修改的字段；remove_attachments 从当前版本删除附件（上传见 POST …/attachments）。"
                          "已审核通过或已发布的信息被修改后须重新提交审核。")
def item_update(request, item_id: PathId, data: json_body(ItemUpdateIn)):
    fields = data.model_dump(exclude_unset=True)
    note = fields.pop("note", None) or ""
    expected = fields.pop("expected_hash", None)
    remove = fields.pop("remove_attachments", None) or []
    actions.edit_item(actor=user_of(request), item=detail(request, item_id), data=fields, note=note,
                      expected_hash=expected, remove_attachments=remove)
    return detail(request, item_id)


@router.post("/items/{int:item_id}/submit", response=responses(ItemOut, 200, 400, 403, 404, 409, 415),
             summary="提交审核")
def item_submit(request, item_id: PathId, data: json_body(Empty)):
    actions.submit_item(actor=user_of(request), item=detail(request, item_id))
    return detail(request, item_id)


@router.get("/items/{int:item_id}/policy", response=responses(PolicyOut, 200, 400, 404),
            summary="提交时将适用的审核策略（分级审核）")
def item_policy(request, item_id: PathId):
    item = detail(request, item_id)
    name, steps, allow_same = actions.policy_for(item)
    return {"name": name, "steps": [{"step": s, "label": step_label(s)} for s in steps],
            "allow_same_reviewer": allow_same, **actions.separation_relaxations_for(item)}


# --- attachments --------------------------------------------------------------------------------------

class AttachmentQuery(Schema):
    revision: int | None = Field(None, ge=1, le=2**31 - 1, title="版本号")


@router.get("/items/{int:item_id}/attachments", response=responses(AttachmentList, 200, 400, 404),
            summary="附件列表（默认当前版本）", tags=["附件"])
def attachment_list(request, item_id: PathId, query: Query[AttachmentQuery]):
    item = detail(request, item_id)
    revision = item.current_revision
    if query.revision is not None:
        revision = lookups.revision(item, query.revision)
    if revision is None:
        return {"results": []}
    return {"results": list(revision.attachments.select_related("blob", "revision"))}


@router.post("/items/{int:item_id}/attachments", response=responses(AttachmentList, 201, 400, 403, 404, 409, 415),
             summary="上传附件（生成新版本）", tags=["附件"],
             description="multipart/form-data：一个或多个 file 字段；每个文件在接收过程中即检查大小上限。")
@decorate_view(limit_uploads)
def attachment_upload(request, item_id: PathId, file: File[list[UploadedFile]],
                      note: bounded_text(500) = Form("", title="修改说明"),
                      expected_hash: bounded_text(64) = Form("", title="版本哈希")):
    item = detail(request, item_id)
    for key in list(request.POST) + [k for k in request.FILES if k != "file"]:
        if key not in ("note", "expected_hash"):
            raise InvalidInput(f"不支持字段“{key}”", en=f"Unknown field: {key}", field=key)
    max_name = Attachment._meta.get_field("name").max_length
    uploads = []
    for upload in file:
        name = os.path.basename(upload.name or "")
        if len(name) > max_name or "\x00" in name:
            raise InvalidInput(f"文件名不能超过 {max_name} 个字符", en="File name too long", field="file")
        # The upload handler stopped any file past the limit while it streamed: reading it is bounded.
        uploads.append(actions.NewAttachment(name=name, data=upload.read(), content_type=upload.content_type or ""))
    actions.edit_item(actor=user_of(request), item=item, add_attachments=uploads, note=note,
                      expected_hash=expected_hash or None)
    item = detail(request, item_id)
    return Status(201, {"results": list(item.current_revision.attachments.select_related("blob", "revision"))})


@router.get("/items/{int:item_id}/attachments/{int:attachment_id}", response=responses(None, 200, 400, 404),
            summary="下载附件", tags=["附件"],
            openapi_extra={"responses": {200: {"description": "附件文件",
                                               "content": {"*/*": {"schema": {"type": "string",
                                                                              "format": "binary"}}}}}})
def attachment_download(request, item_id: PathId, attachment_id: PathId):
    att = lookups.attachment(detail(request, item_id), attachment_id)
    try:
        handle = att.blob.file.open("rb")
    except FileNotFoundError:
        raise lookups.not_found(en="Attachment file is missing") from None
    return FileResponse(handle, as_attachment=True, filename=att.name,
                        content_type=att.blob.content_type or "application/octet-stream")


@router.delete("/items/{int:item_id}/attachments/{int:attachment_id}",
               response=responses(AttachmentList, 200, 400, 403, 404, 409), summary="从当前版本删除附件（生成新版本）",
               tags=["附件"])
def attachment_delete(request, item_id: PathId, attachment_id: PathId):
    item = detail(request, item_id)
    att = lookups.attachment(item, attachment_id)
    if att.revision_id != item.current_revision_id:
        raise NotAllowedInState("该附件不在当前版本中", en="Attachment is not in the current revision",
                                code="not_current")
    actions.edit_item(actor=user_of(request), item=item, remove_attachments=[att.name], note=f"删除附件 {att.name}")
    item = detail(request, item_id)
    return {"results": list(item.current_revision.attachments.select_related("blob", "revision"))}


# --- revisions ----------------------------------------------------------------------------------------

@router.get("/items/{int:item_id}/revisions", response=responses(list[RevisionBrief], 200, 400, 404),
            summary="全部版本（最新在前）", tags=["版本"])
def revision_list(request, item_id: PathId):
    return list(detail(request, item_id).revisions.select_related("created_by").order_by("-number"))


@router.get("/items/{int:item_id}/revisions/{int:number}", response=responses(RevisionOut, 200, 400, 404),
            summary="读取某一版本（正文、元数据、附件、该版本上的审核意见）", tags=["版本"])
def revision_read(request, item_id: PathId, number: PathId):
    return lookups.revision(detail(request, item_id), number)


class DiffQuery(Schema):
    against: int | None = Field(None, ge=1, le=2**31 - 1, title="比较基准版本号",
                                description="默认为此前最近一次送审或发布的版本")


def diff_between(base, revision):
    """The diff of `revision` against `base` (None: against nothing), with workflow.diffs."""
    return {
        "base": base.number if base else None, "target": revision.number,
        "text": diffs.text_diff(base.body if base else "", revision.body),
        "metadata": diffs.metadata_diff(base.metadata if base else {}, revision.metadata) if base else [],
        "attachments": diffs.attachment_diff(base, revision),
    }


@router.get("/items/{int:item_id}/revisions/{int:number}/diff", response=responses(DiffOut, 200, 400, 404),
            summary="两个版本之间的差异", tags=["版本"])
def revision_diff(request, item_id: PathId, query: Query[DiffQuery], number: PathId):
    item = detail(request, item_id)
    revision = lookups.revision(item, number)
    base = lookups.revision(item, query.against) if query.against else diffs.baseline_for(revision)
    return diff_between(base, revision)


@router.get("/items/{int:item_id}/revisions/{int:number}/findings", response=responses(FindingsOut, 200, 400, 404),
            summary="该版本的保密预检发现（个人隐私、密级标志、敏感词）", tags=["保密审查"])
def revision_findings(request, item_id: PathId, number: PathId):
    revision = lookups.revision(detail(request, item_id), number)
    scan = revision.scan or {}
    findings = scan.get("findings", [])
    return {"revision": revision.number, "content_hash": revision.content_hash,
            "blocking": bool(scan.get("blocking", bool(findings))), "scanned_at": scan.get("scanned_at"),
            "findings": findings}


@router.get("/items/{int:item_id}/audit", response=responses(AuditList, 200, 400, 404),
            summary="信息的全部审计记录（时间线）")
def item_audit(request, item_id: PathId):
    records = AuditRecord.objects.filter(item=detail(request, item_id)).order_by("seq")
    return {"count": records.count(), "results": list(records)}

