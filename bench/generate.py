"""Generate a province-scale year of data (政府网站集约化平台) through fast, bulk paths.

    python bench/generate.py --db sqlite|postgres [--agencies 200] [--items 2000] [--applications 200]
                             [--year 2025] [--seed 1]

Full scale (the issue's planning figure: 200 agencies, 200,000 items a year with ~12 audit records each,
20,000 applications) — on PostgreSQL, allow ~1 GB of disk and about an hour on a 2-core machine:

    python bench/generate.py --db postgres --agencies 200 --items 200000 --applications 20000

Rows are what the real actions would have written for each item's history: the item, its revision (with a
real content hash), its review round, the step decisions, the viewflow process and every task of it and their links
(start, each step, publish, end), the 索引号 counter, and the audit records — written through
bench.chain.ChainWriter, which computes the same hash chain as audit.log.record, so `manage.py verify_audit`
passes afterwards. Explicit primary keys let one transaction insert rows that refer to each other
(foreign keys are deferred); sequences are reset at the end on PostgreSQL.

Mix of states (a year's snapshot): 62% published, 8% expired, 4% withdrawn, 12% in review at a random step
(a third of those claimed), 3% approved awaiting publication, 6% draft, 3% returned, 2% not disclosed.
70% of agencies use a 4-step policy (初审、复审、终审、保密审查: 12 audit records per published item), the
others the default 三审三校 + 保密审查 (18 records)."""
from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

STATE_MIX = [
    ("published", 62), ("expired", 8), ("withdrawn", 4), ("in_review", 12), ("approved", 3), ("draft", 6),
    ("returned", 3), ("not_disclosed", 2),
]
SHORT_POLICY = ["first_review", "second_review", "final_review", "secrecy_review"]
TOPICS = ["综合政务", "国民经济管理、国有资产监管", "财政、金融、审计", "国土资源、能源", "农业、林业、水利",
          "工业、交通", "商贸、海关、旅游", "市场监管、安全生产监管", "城乡建设、环境保护", "科技、教育",
          "文化、广电、新闻出版", "卫生、体育", "人口与计划生育、妇女儿童工作", "劳动、人事、监察", "公安、安全、司法",
          "民政、扶贫、救灾", "民族、宗教", "对外事务", "港澳台侨工作", "国防", "其他"]
INFO_TYPE_MIX = [("general", 55), ("policy_document", 8), ("interpretation", 5), ("normative_document", 4),
                 ("list_publicity", 10), ("admin_licensing", 8), ("admin_penalty", 7), ("admin_fee", 3)]
TITLES = ["关于印发{y}年政务公开工作要点的通知", "关于{y}年度城乡低保对象名单的公示",
          "关于调整{y}年度行政事业性收费标准的通知", "{y}年第{n}季度重点项目建设进展情况",
          "关于开展{y}年度安全生产大检查的通知", "关于{y}年度财政预算执行情况的报告",
          "《关于进一步优化营商环境的若干措施》政策解读", "关于公布{y}年度行政许可事项清单的公告",
          "关于{y}年度农村危房改造补助对象的公示", "行政处罚决定书（{y}第{n}号）"]
CHUNK = 2000
AGENCY_ROLES = ["drafter", "drafter", "proofreader", "proofreader", "proofreader", "first_reviewer",
                "second_reviewer", "final_reviewer", "secrecy_reviewer", "publisher", "request_handler"]
GOV_ROLES = ["office_admin", "office_head", "auditor"]


def setup_django(db: str | None = None):
    if db:
        from bench.dbs import configure

        configure(db)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings.bench")
    import django

    django.setup()


def weighted(rng, mix):
    r = rng.uniform(0, sum(w for _, w in mix))
    for value, w in mix:
        r -= w
        if r <= 0:
            return value
    return mix[-1][0]


def seed_bodies():
    """Paragraphs of the real work plans in /work/shared/seeds, as item bodies."""
    paras = []
    for folder in ("/work/shared/seeds",):
        if os.path.isdir(folder):
            for name in sorted(os.listdir(folder)):
                with open(os.path.join(folder, name), encoding="utf-8") as fh:
                    for line in fh:
                        line = line.strip().replace("\t", " ")
                        if len(line) > 40:
                            paras.append(line)
    if not paras:
        paras = ["为深入贯彻落实党中央、国务院关于全面推进政务公开工作的决策部署，进一步提升政务公开质效。"]
    return paras


class Ids:
    """Next explicit primary key per model (the generator may append to an existing bench database)."""

    def __init__(self, models):
        from django.db.models import Max

        self.next = {m: (m.objects.aggregate(m=Max("pk"))["m"] or 0) + 1 for m in models}

    def take(self, model):
        value = self.next[model]
        self.next[model] = value + 1
        return value


def ensure_org(n_agencies: int, rng):
    """Agencies (1 province + prefecture/county governments + departments), people, categories, policies."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from core.models import Agency, Membership
    from workflow.models import Category, ReviewPolicy

    User = get_user_model()
    existing = list(Agency.objects.filter(code__startswith="BENCH"))
    if len(existing) < n_agencies:
        password = make_password("bench-pass-2025")
        agencies, start = [], len(existing)
        govs = [a for a in existing if a.kind == Agency.Kind.GOVERNMENT]
        for i in range(start, n_agencies):
            is_gov = i == 0 or i % 10 == 1
            parent = None
            if i > 0:
                parent = govs[0] if is_gov else govs[-1]
            name = (f"第{i}县人民政府" if is_gov else f"第{i}号政府部门") if i else "某省人民政府"
            a = Agency(code=f"BENCH{i:013d}", name=name,
                       kind=Agency.Kind.GOVERNMENT if is_gov else Agency.Kind.DEPARTMENT, parent=parent,
                       parent_may_review=(i % 7 == 3))
            a.save()
            if is_gov:
                govs.append(a)
            agencies.append(a)
        users, memberships = [], []
        for a in agencies:
            roles = AGENCY_ROLES + (GOV_ROLES if a.kind == Agency.Kind.GOVERNMENT else [])
            for j, role in enumerate(roles):
                users.append((a, role, User(username=f"b{a.code[-6:]}_{j}_{role[:6]}", password=password,
                                            first_name=f"{role}{j}")))
        User.objects.bulk_create([u for _, _, u in users], batch_size=1000)
        by_name = dict(User.objects.filter(username__in=[u.username for _, _, u in users])
                       .values_list("username", "pk"))
        for a, role, u in users:
            memberships.append(Membership(user_id=by_name[u.username], agency=a, role=role))
        Membership.objects.bulk_create(memberships, batch_size=2000)
        short = [a for a in agencies if rng.random() < 0.7]
        ReviewPolicy.objects.bulk_create([ReviewPolicy(name="四级审核", agency=a, steps=SHORT_POLICY) for a in short])
    if not Category.objects.filter(kind="topic").exists():
        Category.objects.bulk_create([Category(kind="topic", name=t, sort=i) for i, t in enumerate(TOPICS)])
        Category.objects.bulk_create([Category(kind="facet", name=t) for t in ("政策文件", "通知公告", "人事信息",
                                                                                 "财政资金", "公示公告")])
    return load_org()


def load_org():
    from core.models import Agency, Membership
    from workflow.models import Category, ReviewPolicy
    from workflow.models.review import DEFAULT_STEPS

    agencies = list(Agency.objects.filter(code__startswith="BENCH").order_by("code"))
    people = {}
    for user_id, agency_id, role, name in Membership.objects.filter(agency__in=agencies).values_list(
            "user_id", "agency_id", "role", "user__first_name"):
        people.setdefault(agency_id, {}).setdefault(role, []).append((user_id, name))
    policies = {p.agency_id: p for p in ReviewPolicy.objects.filter(agency__in=agencies, is_active=True)}
    steps = {a.pk: (list(policies[a.pk].steps), policies[a.pk].name) if a.pk in policies else
             ([s.value for s in DEFAULT_STEPS], "三审三校（默认）") for a in agencies}
    topics = list(Category.objects.filter(kind="topic").values_list("pk", flat=True))
    facets = list(Category.objects.filter(kind="facet").values_list("pk", flat=True))
    return agencies, people, steps, topics, facets


def generate(*, n_agencies=200, n_items=2000, n_applications=200, year=2025, seed=1, progress=True):
    """Append `n_items` items (and their whole history) and `n_applications` applications. Returns counts."""
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from viewflow.workflow.models import Process, Task
    from viewflow.workflow.status import STATUS

    from audit.models import AuditRecord
    from bench import copywriter
    from publishing.models import IndexCounter
    from workflow.flows import ReviewFlow
    from workflow.models import Information, ReviewRound, Revision, StepDecision
    from workflow.models.review import PROOF_STEPS, STEP_ROLE

    rng = random.Random(seed * 7919 + n_items)
    tz = ZoneInfo("Asia/Shanghai")
    t0 = time.perf_counter()
    with transaction.atomic():
        agencies, people, steps_of, topics, facets = ensure_org(n_agencies, rng)
    agencies = agencies[:n_agencies]
    bodies = seed_bodies()
    weights = [rng.paretovariate(1.2) for _ in agencies]  # a few agencies publish most
    counters = {(c.agency_id, c.period): c for c in IndexCounter.objects.filter(agency__in=agencies)}
    ids = Ids([Information, Revision, ReviewRound, StepDecision, Process, Task])
    year_start = datetime(year, 1, 1, 8, 0, tzinfo=tz)
    audit_before = AuditRecord.objects.count()
    audit_written = 0
    bulk_tables = [m._meta.db_table for m in (Information, Revision, ReviewRound, StepDecision, Process, Task,
                                               Task.previous.through, AuditRecord)]
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:  # a benchmark load: losing the last commits in a crash is acceptable
            cur.execute("SET synchronous_commit = off")
    with copywriter.indexes_built_after(bulk_tables):
        made = 0
        while made < n_items:
            size = min(CHUNK, n_items - made)
            with transaction.atomic():
                from bench.chain import ChainWriter

                chain = ChainWriter()
                rows = {m: [] for m in (Information, Revision, ReviewRound, StepDecision, Process, Task,
                                        Task.previous.through)}
                rows["status"] = {}
                for _ in range(size):
                    agency = rng.choices(agencies, weights)[0]
                    _one_item(rng, rows, ids, chain, counters, agency, people[agency.pk], steps_of[agency.pk], topics,
                              facets, bodies, year, year_start, ReviewFlow, STATUS, PROOF_STEPS, STEP_ROLE)
                # The history written above is what the lifecycle transitions would have done: each item row gets
                # its resulting state directly (the fsm field refuses assignment on the instance).
                states = {pk: state for state, pks in rows["status"].items() for pk in pks}
                for model in (Information, Revision, ReviewRound, Process, Task, Task.previous.through, StepDecision):
                    copywriter.write(model, rows[model], overrides={"status": states} if model is Information else None)
                chain.flush()
                for c in counters.values():
                    if c.pk is None:
                        c.save()
                    else:
                        IndexCounter.objects.filter(pk=c.pk).update(last_serial=c.last_serial)
            made += size
            audit_written += chain.written
            if progress:
                print(f"  {made:>8,} items  {audit_written:>10,} audit records  "
                      f"{time.perf_counter() - t0:7.1f}s", flush=True)
    if progress:
        print(f"  indexes rebuilt  {time.perf_counter() - t0:7.1f}s", flush=True)
    n_apps = _applications(rng, agencies, people, n_applications, year, tz) if n_applications else 0
    if connection.vendor == "postgresql":
        from django.apps import apps

        from audit.models import AuditChain  # noqa: F401

        models = [m for label in ("workflow", "viewflow", "audit", "publishing", "disclosure")
                  for m in apps.get_app_config(label).get_models()]
        with connection.cursor() as cur:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cur.execute(sql)
            cur.execute("ANALYZE")
    return {"items": n_items, "audit_records": AuditRecord.objects.count() - audit_before,
            "applications": n_apps, "seconds": time.perf_counter() - t0}


def _one_item(rng, rows, ids, chain, counters, agency, people, steps_info, topics, facets, bodies, year,
              year_start, ReviewFlow, STATUS, PROOF_STEPS, STEP_ROLE):
    from viewflow.workflow.models import Process, Task

    from publishing.models import IndexCounter
    from workflow.models import Information, ReviewRound, Revision, StepDecision

    steps, policy_name = steps_info
    state = weighted(rng, STATE_MIX)
    info_type = weighted(rng, INFO_TYPE_MIX)
    moment = year_start + timedelta(seconds=rng.randrange(0, 360 * 86400))
    tick = [moment]

    def later(minutes=30):
        tick[0] = tick[0] + timedelta(minutes=rng.randrange(1, minutes))
        return tick[0]

    def who(role):
        return rng.choice(people[role])

    drafter_id, drafter_name = who("drafter")
    item_id, rev_id = ids.take(Information), ids.take(Revision)
    title = rng.choice(TITLES).format(y=year, n=rng.randrange(1, 40))
    body = "<p>" + "</p><p>".join(rng.sample(bodies, k=min(3, len(bodies)))) + "</p>"
    item = Information(
        pk=item_id, agency_id=agency.pk, drafter_id=drafter_id, title=title,
        doc_number=f"{agency.name[:2]}〔{year}〕{rng.randrange(1, 300)}号", info_type=info_type,
        topic_id=rng.choice(topics), facet_id=rng.choice(facets), created_date=moment.date(), body=body,
        summary=title, current_revision_id=rev_id,
        display_days=7 if info_type == "list_publicity" else None,
    )
    metadata = item.published_metadata()
    content_hash = Revision.compute_hash(body=body, metadata=metadata, attachments=[])
    rows[Revision].append(Revision(pk=rev_id, item_id=item_id, number=1, kind="draft", body=body, metadata=metadata,
                                   content_hash=content_hash, note="创建", created_by_id=drafter_id,
                                   scan={"findings": [], "blocking": False}))
    rows[Information].append(item)
    rows["status"].setdefault(state, []).append(item_id)
    base = {"agency_id": agency.pk, "item_id": item_id, "revision_hash": content_hash}
    chain.add(action="workflow.item.create", actor_id=drafter_id, actor_name=drafter_name, role="drafter",
              to_state="draft", data={"revision": 1}, created_at=later(), **base)
    if state == "draft":
        return
    # submitted: a round, a viewflow process, its start task
    round_id, proc_id = ids.take(ReviewRound), ids.take(Process)
    submitted_at = later(60 * 24)
    chain.add(action="workflow.item.submit", actor_id=drafter_id, actor_name=drafter_name, role="drafter",
              from_state="draft", to_state="in_review", data={"round": 1, "policy": policy_name, "steps": steps},
              created_at=submitted_at, **base)
    if state in ("in_review",):
        stop = rng.randrange(0, len(steps))
    elif state == "returned":
        stop = rng.randrange(0, len(steps))
    elif state == "not_disclosed":
        stop = len(steps) - 1
    else:
        stop = len(steps)
    tasks = rows[Task]

    links = rows[Task.previous.through]

    def task(node, status, created, data=None, owner=None, finished=None):
        # Each task links to the one before it, as viewflow's activation does (task.previous.add(prev)).
        pk = ids.take(Task)
        if tasks and tasks[-1].process_id == proc_id:
            links.append(Task.previous.through(from_task_id=pk, to_task_id=tasks[-1].pk))
        tasks.append(Task(pk=pk, process_id=proc_id, flow_task=node, flow_task_type=node.task_type,
                          status=status, created=created, assigned=created if owner else None,
                          started=created if status == STATUS.DONE else None, finished=finished,
                          data=data or {}, owner_id=owner))

    task(ReviewFlow.start, STATUS.DONE, submitted_at, finished=submitted_at)
    decisions = rows[StepDecision]
    used_reviewers = set()
    for pos, step in enumerate(steps[:stop]):
        role = STEP_ROLE[step]
        candidates = [p for p in people[role] if p[0] not in used_reviewers] or people[role]
        actor_id, actor_name = rng.choice(candidates)
        if step in ("first_review", "second_review", "final_review"):
            used_reviewers.add(actor_id)
        created, done = later(), later(60 * 8)
        tdata = {"step": step, "round": round_id, "item": item_id, "agency": agency.pk, "position": pos}
        task(ReviewFlow.step, STATUS.DONE, created, data=tdata, owner=actor_id, finished=done)
        details = {"result": "disclosable", "disclosure_mode": "proactive", "scope": "public"} \
            if step == "secrecy_review" else {}
        decisions.append(StepDecision(pk=ids.take(StepDecision), round_id=round_id, step=step, actor_id=actor_id,
                                      decision="approve", revision_id=rev_id, revision_hash=content_hash,
                                      comment="同意", details=details))
        role_value = role.value if hasattr(role, "value") else role
        chain.add(action="workflow.task.claim", actor_id=actor_id, actor_name=actor_name, role=role_value,
                  data={"task": tasks[-1].pk, "step": step}, created_at=created, **base)
        chain.add(action="workflow.secrecy.decide" if step == "secrecy_review" else "workflow.review.approve",
                  actor_id=actor_id, actor_name=actor_name, role=role_value, from_state="in_review",
                  to_state="in_review", comment="同意",
                  data={"step": step, "round": 1, "task": tasks[-1].pk, **details}, created_at=done, **base)
    round_status = ReviewRound.Status.RUNNING
    proc_status, proc_finished = STATUS.NEW, None
    if state in ("in_review", "returned", "not_disclosed"):
        step = steps[stop]
        role = STEP_ROLE[step]
        role_value = role.value if hasattr(role, "value") else role
        created = later()
        tdata = {"step": step, "round": round_id, "item": item_id, "agency": agency.pk, "position": stop}
        if state == "in_review":
            owner = who(role) if rng.random() < 0.33 else None
            task(ReviewFlow.step, STATUS.ASSIGNED if owner else STATUS.NEW, created, data=tdata,
                 owner=owner[0] if owner else None)
            if owner:
                chain.add(action="workflow.task.claim", actor_id=owner[0], actor_name=owner[1], role=role_value,
                          data={"task": tasks[-1].pk, "step": step}, created_at=later(), **base)
        else:
            actor_id, actor_name = who(role)
            done = later(60 * 8)
            task(ReviewFlow.step, STATUS.DONE, created, data=tdata, owner=actor_id, finished=done)
            task(ReviewFlow.end, STATUS.DONE, done, finished=done)
            proc_status, proc_finished = STATUS.DONE, done
            if state == "returned":
                round_status = ReviewRound.Status.REJECTED
                decisions.append(StepDecision(pk=ids.take(StepDecision), round_id=round_id, step=step,
                                              actor_id=actor_id, decision="reject", revision_id=rev_id,
                                              revision_hash=content_hash, comment="请补充政策依据"))
                chain.add(action="workflow.task.claim", actor_id=actor_id, actor_name=actor_name, role=role_value,
                          data={"task": tasks[-2].pk, "step": step}, created_at=created, **base)
                chain.add(action="workflow.review.reject", actor_id=actor_id, actor_name=actor_name, role=role_value,
                          from_state="in_review", to_state="returned", comment="请补充政策依据",
                          data={"step": step, "round": 1, "task": tasks[-2].pk}, created_at=done, **base)
            else:
                round_status = ReviewRound.Status.NOT_DISCLOSED
                details = {"result": "not_disclosable", "ground": "process_info"}
                decisions.append(StepDecision(pk=ids.take(StepDecision), round_id=round_id, step=step,
                                              actor_id=actor_id, decision="not_disclose", revision_id=rev_id,
                                              revision_hash=content_hash, details=details))
                chain.add(action="workflow.task.claim", actor_id=actor_id, actor_name=actor_name, role=role_value,
                          data={"task": tasks[-2].pk, "step": step}, created_at=created, **base)
                chain.add(action="workflow.secrecy.decide", actor_id=actor_id, actor_name=actor_name,
                          role=role_value, from_state="in_review", to_state="not_disclosed",
                          data={**details, "round": 1}, created_at=done, **base)
    else:
        # every step approved: the item is approved, the publish task is open or done
        approved_at = later()
        chain.add(action="workflow.item.approve", from_state="in_review", to_state="approved",
                  data={"round": 1}, created_at=approved_at, **base)
        round_status = ReviewRound.Status.APPROVED
        pdata = {"step": "publish", "round": round_id, "item": item_id, "agency": agency.pk}
        if state == "approved":
            task(ReviewFlow.publish, STATUS.NEW, approved_at, data=pdata)
        else:
            publisher_id, publisher_name = who("publisher")
            published_at = later(60 * 24)
            task(ReviewFlow.publish, STATUS.DONE, approved_at, data=pdata, owner=publisher_id, finished=published_at)
            task(ReviewFlow.end, STATUS.DONE, published_at, finished=published_at)
            proc_status, proc_finished = STATUS.DONE, published_at
            round_status = ReviewRound.Status.PUBLISHED
            period = str(published_at.year)
            counter = counters.get((agency.pk, period))
            if counter is None:
                counter = counters[(agency.pk, period)] = IndexCounter(agency_id=agency.pk, period=period)
            counter.last_serial += 1
            item.index_number = f"{agency.code}/{period}-{counter.last_serial:05d}"
            item.published_revision_id = rev_id
            item.published_at = item.first_published_at = published_at
            item.published_by_id = publisher_id
            item.next_review_date = (published_at + timedelta(days=365)).date()
            item.online = state == "published"
            if item.display_days:
                item.display_until = published_at + timedelta(days=item.display_days)
            if info_type == "normative_document":
                item.validity = "valid"
            chain.add(action="publishing.item.publish", actor_id=publisher_id, actor_name=publisher_name,
                      role="publisher", from_state="approved", to_state="published",
                      data={"index_number": item.index_number, "published_at": published_at.isoformat()},
                      created_at=published_at, **base)
            if state in ("withdrawn", "expired"):
                off = published_at + timedelta(days=rng.randrange(7, 90))
                item.offline_at = off
                if state == "withdrawn":
                    item.offline_reason = "信息已过时效"
                    chain.add(action="publishing.item.withdraw", actor_id=publisher_id, actor_name=publisher_name,
                              role="publisher", from_state="published", to_state="withdrawn",
                              comment=item.offline_reason, created_at=off, **base)
                else:
                    item.offline_reason = "公示期满"
                    chain.add(action="publishing.item.expire", from_state="published", to_state="expired",
                              comment="公示期满", created_at=off, **base)
    rows[ReviewRound].append(ReviewRound(
        pk=round_id, item_id=item_id, number=1, process_id=proc_id, submitted_revision_id=rev_id,
        submitted_by_id=drafter_id, policy_name=policy_name, steps=steps, position=min(stop, len(steps)),
        status=round_status, finished_at=proc_finished))
    rows[Process].append(Process(pk=proc_id, flow_class=ReviewFlow, status=proc_status, created=submitted_at,
                                 finished=proc_finished, data={"round": round_id}))


def _applications(rng, agencies, people, n, year, tz):
    """Disclosure applications (if the disclosure app's models exist): 85% answered, the rest open."""
    try:
        from disclosure.codes import Outcome
        from disclosure.models import Application, AppStatus
    except ImportError:
        print("  (disclosure.models.Application not available: no applications generated)")
        return 0
    from django.db import transaction

    from bench.chain import ChainWriter

    outcomes = [("disclosed", 40), ("partial", 10), ("unable_not_held", 20), ("refused_process", 5),
                ("not_processed_repeated", 5), ("other", 5)]
    start = Application.objects.count()
    made = 0
    while made < n:
        size = min(CHUNK, n - made)
        with transaction.atomic():
            chain = ChainWriter()
            apps = []
            for i in range(size):
                agency = rng.choice(agencies)
                handler_id, handler_name = rng.choice(people[agency.pk]["request_handler"])
                received = (datetime(year, 1, 1, tzinfo=tz) + timedelta(days=rng.randrange(0, 350))).date()
                closed = rng.random() < 0.85
                outcome = weighted(rng, outcomes) if closed else ""
                number = f"YSQ{year}-{start + made + i + 1:07d}"
                app = Application(
                    agency_id=agency.pk, number=number, applicant_type="natural_person",
                    applicant_name=f"申请人{start + made + i}", channel=rng.choice(["online", "post", "in_person"]),
                    received_date=received, content="申请公开本单位2024年度部门预算执行情况。",
                    status=AppStatus.CLOSED if closed else AppStatus.PROCESSING, outcome=outcome,
                    replied_date=received + timedelta(days=rng.randrange(3, 28)) if closed else None,
                    registered_by_id=handler_id, reply_working_days=20, clock_start=received,
                    due_date=received + timedelta(days=28),
                )
                apps.append(app)
            Application.objects.bulk_create(apps, batch_size=1000)
            for app in Application.objects.filter(number__in=[a.number for a in apps]).order_by("pk"):
                chain.add(action="disclosure.application.register", actor_id=app.registered_by_id,
                          actor_name="经办人", role="request_handler", agency_id=app.agency_id,
                          subject_type="disclosure.application", subject_id=str(app.pk), to_state="processing",
                          created_at=datetime.combine(app.received_date, datetime.min.time(), tz))
                if app.status == AppStatus.CLOSED:
                    chain.add(action="disclosure.application.reply", actor_id=app.registered_by_id,
                              actor_name="经办人", role="request_handler", agency_id=app.agency_id,
                              subject_type="disclosure.application", subject_id=str(app.pk),
                              from_state="processing", to_state="closed", data={"outcome": app.outcome},
                              created_at=datetime.combine(app.replied_date, datetime.min.time(), tz))
            chain.flush()
        made += size
    del Outcome
    return made


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--agencies", type=int, default=200)
    ap.add_argument("--items", type=int, default=2000)
    ap.add_argument("--applications", type=int, default=200)
    ap.add_argument("--year", type=int, default=2025)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", action="store_true", help="append to the existing bench database")
    a = ap.parse_args(argv)
    from bench.dbs import fresh_database

    fresh_database(a.db, keep=a.keep)
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    result = generate(n_agencies=a.agencies, n_items=a.items, n_applications=a.applications, year=a.year,
                      seed=a.seed)
    from audit.verify import verify_chain

    v = verify_chain()
    print(f"generated {result['items']:,} items, {result['audit_records']:,} audit records, "
          f"{result['applications']:,} applications in {result['seconds']:.1f}s; verify_audit: {v.message}")
    return 0 if v.ok else 1


if __name__ == "__main__":
    sys.exit(main())
