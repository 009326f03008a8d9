"""The OpenAPI document: complete, accurate enums and errors; and a Schemathesis run against it (through
the Django WSGI app, on the test database) that finds no server error and no response outside the schema."""
import os
import re
from collections import Counter

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from schemathesis.generation import GenerationMode
from viewflow.workflow.models import Task

from api import jobs as api_jobs
from api import urls
from api.models import ApiToken
from api.tokens import issue_token
from core import jobs as core_jobs
from core.models import Role
from disclosure import actions as disclosure
from disclosure.appeals import create_appeal_case
from publishing import actions as publishing
from publishing.actions import publish_item
from tests.factories import approve_all, draft, make_user, register, reload
from workflow import actions
from workflow.models import Information, SecrecyResult, WithholdGround
from workflow.models.review import Step

from .conftest import Api, token_for
from .test_api__roles import CASES as ROLE_CASES


def _resolve(doc, schema):
    """The schema with a top-level $ref (or a nullable anyOf around one) followed."""
    if "anyOf" in schema:
        schema = next(s for s in schema["anyOf"] if s.get("type") != "null")
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _json_body(doc, path, method="post"):
    return _resolve(doc, doc["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"])


def test_schema_lists_every_operation_and_each_has_a_role_case(world):
    doc = Api(world.drafter).get("/openapi.json").json()
    assert doc["openapi"].startswith("3.1")
    documented = {(path, m.upper()) for path, ops in doc["paths"].items() for m in ops}
    # every operation is in the role matrix (the token log-in is public and tested in test_api__auth)
    covered = {(re.sub(r"\{(\w+)\}", lambda m: "{" + ROUTE_PARAMS.get(m.group(1), m.group(1)) + "}", c.path),
                "PATCH" if c.method == "patch" else "DELETE" if c.method == "delete" else
                "GET" if c.method == "get" else "POST") for c in ROLE_CASES}
    covered = {(re.sub(r"/revisions/\d+", "/revisions/{number}", p).replace("/2025", "/{year}"), m)
               for p, m in covered}
    # the public endpoints (no log-in: the token log-in, the online application and its query) are tested on
    # their own (test_api__auth, test_api__requests)
    public = {(p, m) for p, m in documented if p.startswith("/public/")} | {("/auth/token", "POST")}
    assert len(public) == 4
    assert documented - public == covered
    assert len(documented) == 101
    assert doc == urls.api.get_openapi_schema()


ROUTE_PARAMS = {"item": "item_id", "task": "task_id", "att": "attachment_id", "app": "application_id",
                "pause": "pause_id", "cleanup": "cleanup_task_id", "campaign": "campaign_id",
                "appeal": "appeal_id", "token": "token_id", "dept": "agency_id", "job": "job_id",
                "online": "online_id", "letter": "letter_id"}


def test_schema_is_anonymous_and_declares_security(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["components"]["securitySchemes"]["TokenAuth"] == {
        "type": "apiKey", "in": "header", "name": "Authorization",
        "description": doc["components"]["securitySchemes"]["TokenAuth"]["description"]}
    assert doc["security"] == [{"TokenAuth": []}, {"SessionAuth": []}]
    assert doc["paths"]["/auth/token"]["post"]["security"] == []
    assert "security" not in doc["paths"]["/items"]["get"]  # inherits the global token/session requirement


def test_schema_enums_ranges_and_required_fields(client):
    doc = client.get("/api/v1/openapi.json").json()
    approve = _json_body(doc, "/tasks/{task_id}/approve")
    assert approve["required"] == ["expected_hash"]
    secrecy = _resolve(doc, approve["properties"]["secrecy"])["properties"]
    assert secrecy["result"]["enum"] == list(SecrecyResult.values)
    assert _resolve(doc, secrecy["ground"])["enum"] == list(WithholdGround.values)
    ret = _json_body(doc, "/tasks/{task_id}/return")
    assert ret["required"] == ["to_step", "reason"] and ret["properties"]["to_step"]["enum"] == list(Step.values)
    create = _json_body(doc, "/items")
    assert create["required"] == ["agency", "title"] and create["additionalProperties"] is False
    assert create["properties"]["title"]["maxLength"] == 300
    assert create["properties"]["agency"]["maximum"] == 2**31 - 1 and create["properties"]["agency"]["minimum"] == 1
    assert _resolve(doc, create["properties"]["info_type"])["enum"][:3] == ["general", "policy_document",
                                                                             "interpretation"]
    created = _resolve(doc, create["properties"]["created_date"])
    assert (created["formatMinimum"], created["formatMaximum"]) == ("1949-01-01", "2100-12-31")
    upload = doc["paths"]["/items/{item_id}/attachments"]["post"]["requestBody"]["content"]
    assert upload["multipart/form-data"]["schema"]["required"] == ["file"]
    error = doc["components"]["schemas"]["Error"]
    assert error["required"] == ["code", "message", "message_en"]
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            for status, response in op["responses"].items():
                if status.startswith(("4", "5")):
                    assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
            assert "422" not in op["responses"], (path, method)
            if path != "/auth/token" and not path.startswith("/public/"):
                assert "401" in op["responses"], (path, method)
            if "{" in path:
                assert "404" in op["responses"], (path, method)
                for param in op["parameters"]:
                    if param["in"] == "path" and param["name"] != "year":
                        assert (param["schema"]["minimum"], param["schema"]["maximum"]) == (1, 2**31 - 1)
    publish_responses = doc["paths"]["/items/{item_id}/publish"]["post"]["responses"]
    assert set(publish_responses) == {"200", "400", "401", "403", "404", "409", "415"}


def _string_fields(doc, schema, seen=()):
    """Every property schema of every request body, following $refs."""
    schema = _resolve(doc, schema)
    for name, prop in schema.get("properties", {}).items():
        for option in prop.get("anyOf", [prop]):
            option = _resolve(doc, option) if "$ref" in option else option
            if option.get("type") == "object" and option.get("title") not in seen:
                yield from _string_fields(doc, option, seen + (option.get("title"),))
            elif option.get("type") == "array":
                yield name, option["items"], option
            else:
                yield name, option, prop


def test_every_input_field_has_a_domain_range(client):
    doc = client.get("/api/v1/openapi.json").json()
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            schemas = [p["schema"] for p in op.get("parameters", [])]
            for content in op.get("requestBody", {}).get("content", {}).values():
                schemas.append(content["schema"])
            for schema in schemas:
                for name, field_schema, outer in _string_fields(doc, {"type": "object", "properties": {"x": schema}}):
                    kind = field_schema.get("type")
                    where = (path, method, name)
                    if "enum" in field_schema or "const" in field_schema or kind in ("boolean", "null"):
                        continue
                    if kind == "string" and field_schema.get("format") == "binary":
                        continue
                    if kind == "string" and field_schema.get("format") in ("date", "date-time"):
                        assert field_schema.get("format") == "date-time" or "formatMaximum" in field_schema, where
                        continue
                    if kind == "string":
                        assert "maxLength" in field_schema or "pattern" in field_schema, where
                    elif kind in ("integer", "number"):
                        assert "maximum" in field_schema and "minimum" in field_schema, where
                    elif kind == "array":
                        assert "maxItems" in outer, where


# --- Schemathesis -----------------------------------------------------------------------------------

@pytest.fixture
def wsgi_app(settings):
    """The project's WSGI app, on the test database: keep Django from closing the connection (and with it
    the test transaction) at the end of each request, as its own test client does."""
    settings.ALLOWED_HOSTS = ["*"]
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _objects(world):
    """Items in every interesting state (drafted by someone else than the fuzzing user) and their ids."""
    items = []
    plain = draft(world, title="宿州市2024年政务公开工作要点（草稿）")
    actions.edit_item(actor=world.drafter, item=plain,
                      add_attachments=[actions.NewAttachment("目录.txt", "一、总体要求".encode(), "text/plain")])
    items.append(plain)
    for stop in ("proof_1", "first_review", "secrecy_review", None, "published"):
        item = draft(world)
        actions.submit_item(actor=world.drafter, item=item)
        approve_all(world, item, stop_before=stop if stop != "published" else None)
        if stop == "published":
            publish_item(actor=world.publisher, item=item)
        items.append(item)
    items.append(actions.create_item(actor=world.other_first, agency=world.other, data={"title": "外单位草稿"}))
    items = [reload(i) for i in items]
    tasks = list(Task.objects.filter(process__review_round__item__in=items, data__has_key="step")
                 .values_list("pk", flat=True))
    attachments = [a.pk for i in items for a in i.current_revision.attachments.all()]
    published = items[5]
    cleanup = publishing.open_due_cleanup(item=published, today=published.next_review_date)
    campaign = publishing.start_campaign(actor=world.office, name="专项清理", agency=world.dept)
    app = register(world, received=timezone.localdate(), today=timezone.localdate(), item_count=15)
    consulted = register(world, received=timezone.localdate(), today=timezone.localdate())
    pause = disclosure.start_consultation(actor=world.handler, application=consulted, kind="third_party",
                                          party="某公司", sent_date=timezone.localdate())
    appeal = create_appeal_case(actor=world.office, agency=world.dept, data={
        "kind": "reconsideration", "filed_date": timezone.localdate().isoformat()})
    return {"item_id": [i.pk for i in items], "task_id": tasks, "attachment_id": attachments,
            "cleanup_task_id": [cleanup.pk], "campaign_id": [campaign.pk], "application_id": [app.pk, consulted.pk],
            "pause_id": [pause.pk], "appeal_id": [appeal.pk], "agency_id": [world.dept.pk, world.other.pk],
            "number": [1, 2], "year": [2025], "job_id": [_auditors_job(world)]}


# Per operation and mode (positive, negative). ~450 calls, about 50 s of CPU; raise it for a deeper run.
EXAMPLES = int(os.environ.get("SHENFA_API_FUZZ_EXAMPLES", "10"))
CHECKS = ["not_a_server_error", "status_code_conformance", "content_type_conformance",
          "response_schema_conformance"]


def _auditors_job(world):
    """A job of someone else's: the fuzzer gets 404 for it, never a 500. (Enqueued directly: a request of
    Django's test client here would reconnect close_old_connections, which wsgi_app keeps disconnected.)"""
    return core_jobs.enqueue(kind=api_jobs.FIGURES, actor=world.auditor, params={"agency": world.dept.pk,
                                                                                 "year": 2025}).pk


def _spare_token(user):
    issue_token(user=user, actor=user)
    return ApiToken.objects.filter(user=user).order_by("-pk").values_list("pk", flat=True).first()


def _current_hash(case):
    params = case.path_parameters or {}
    item = None
    if "task_id" in params:
        task = Task.objects.filter(pk=params["task_id"]).select_related("process").first()
        rnd = getattr(getattr(task, "process", None), "review_round", None) if task else None
        item = rnd.item if rnd else None
    elif "item_id" in params:
        item = Information.objects.filter(pk=params["item_id"]).first()
    return item.current_revision.content_hash if item and item.current_revision else None


def test_schemathesis_finds_no_server_error(world, wsgi_app):
    # given: a person holding most roles in the department, and items in every state
    fuzzer = make_user("fuzzer", world.dept, Role.DRAFTER, Role.PROOFREADER, Role.FIRST_REVIEWER,
                       Role.SECRECY_REVIEWER, Role.PUBLISHER, Role.REQUEST_HANDLER, Role.OFFICE_ADMIN,
                       Role.AUDITOR, name="模糊测试")
    known = _objects(world)
    headers = {"Authorization": f"Token {token_for(fuzzer)}"}
    # a second token of the fuzzer's to revoke (revoking the one in use would end the run)
    known["token_id"] = [_spare_token(fuzzer)]
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)

    @schema.hook
    def flatmap_path_parameters(context, path_parameters):
        # Mostly ids that exist (random ones are only 404s); sometimes the generated value.
        if not isinstance(path_parameters, dict):
            return st.just(path_parameters)
        choices = {name: st.sampled_from(known[name] + [value]) for name, value in path_parameters.items()
                   if name in known}
        return st.fixed_dictionaries({**{k: st.just(v) for k, v in path_parameters.items()}, **choices})

    @schema.hook
    def flatmap_case(context, case):
        # Half the time act on what is really there (the right agency, the current hash), so that successful
        # creations and decisions, and their response schemas, are exercised too.
        def patch(real):
            if real and isinstance(case.body, dict):
                if "agency" in case.body:
                    case.body["agency"] = world.dept.pk
                    for key in ("topic", "facet", "interprets"):
                        case.body.pop(key, None)
                if "to_user" in case.body:
                    case.body["to_user"] = world.proof2.pk
                if "expected_hash" in case.body:
                    case.body["expected_hash"] = _current_hash(case) or case.body["expected_hash"]
            return case

        return st.booleans().map(patch)

    checks = [getattr(schemathesis.checks, name) for name in CHECKS]
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 101
    statuses = {}
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                strategy = operation.as_strategy(generation_mode=mode)
            except Exception:  # noqa: BLE001 (an operation without anything to make invalid)
                continue

            @hsettings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                       phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
            @given(case=strategy)
            def run(case):
                response = case.call_and_validate(headers=headers, checks=checks)
                # run() is called right below, within this iteration of the loop
                statuses.setdefault(operation.label, Counter())[response.status_code] += 1  # noqa: B023

            try:
                run()
            except Exception as exc:
                if type(exc).__name__ in ("Unsatisfiable",):
                    continue
                raise
    for label, counter in sorted(statuses.items()):
        print(label, dict(counter))
    assert sum(sum(c.values()) for c in statuses.values()) > 200
    # the run reached real objects, not only 404s: most operations succeeded at least once
    succeeded = {label for label, counter in statuses.items() if any(200 <= code < 300 for code in counter)}
    assert len(succeeded) >= 12, sorted(succeeded)
