"""Demo data built through the real action functions, so the audit trail and tasks are genuine."""
import html
import io
from datetime import date, timedelta
from pathlib import Path

import docx
from django.contrib.auth import get_user_model
from django.utils import timezone

from core.models import Agency, Membership, Role
from disclosure import actions as disclosure_actions
from disclosure.appeals import create_appeal_case
from disclosure.codes import ApplicantType, Outcome
from publishing.actions import expire_due_item, publish_item, withdraw_item
from workflow import actions
from workflow.actions.imports import import_docx
from workflow.models import Category, InfoType, ReviewPolicy

SEEDS = Path(__file__).resolve().parent / "seeds"
DEMO_PASSWORD = "shenfa-demo-2026"

TOPICS = [
    "综合政务", "国民经济管理、国有资产监管", "财政、金融、审计", "国土资源、能源", "农业、林业、水利", "工业、交通",
    "商贸、海关、旅游", "市场监管、安全生产监管", "城乡建设、环境保护",
    "科技、教育", "文化、广电、新闻出版", "卫生、体育",
    "人口与计划生育、妇女儿童工作", "劳动、人事、监察",
    "公安、安全、司法", "民政、扶贫、救灾", "民族、宗教", "对外事务",
    "港澳台侨工作", "国防", "其他",
]
FACETS = ["政策文件", "政策解读", "规划计划", "财政信息", "公示公告", "人事信息", "行政执法", "工作动态"]

PEOPLE = [
    # username, display name, agency key, roles
    ("drafter", "张晓明（起草）", "office", [Role.DRAFTER]),
    ("proof1", "王校（一校）", "office", [Role.PROOFREADER]),
    ("proof2", "赵校（二校）", "office", [Role.PROOFREADER]),
    ("proof3", "钱校（三校）", "office", [Role.PROOFREADER]),
    ("first", "孙立（初审）", "office", [Role.FIRST_REVIEWER]),
    ("second", "周平（复审·科长）", "office", [Role.SECOND_REVIEWER]),
    ("final", "吴刚（终审·分管领导）", "office", [Role.FINAL_REVIEWER]),
    ("secrecy", "郑敏（保密审查）", "office", [Role.SECRECY_REVIEWER]),
    ("legal", "冯律（合法性审查）", "office", [Role.LEGAL_REVIEWER]),
    ("publisher", "陈发（发布）", "office", [Role.PUBLISHER]),
    ("handler", "蒋办（依申请经办）", "office", [Role.REQUEST_HANDLER]),
    ("officehead", "褚主任（公开办负责人）", "gov", [Role.OFFICE_ADMIN, Role.OFFICE_HEAD]),
    ("auditor", "卫审（审计）", "gov", [Role.AUDITOR]),
    ("mz_drafter", "韩民（民政局起草）", "civil", [Role.DRAFTER]),
    ("mz_reviewer", "杨审（民政局初审）", "civil", [Role.FIRST_REVIEWER, Role.PUBLISHER]),
    ("mz_second", "何科长（民政局复审）", "civil", [Role.SECOND_REVIEWER]),
    ("mz_secrecy", "吕保密（民政局保密审查）", "civil", [Role.SECRECY_REVIEWER]),
    ("fc_reviewer", "朱审（丰城市·外单位）", "other", [Role.FIRST_REVIEWER, Role.SECRECY_REVIEWER, Role.PUBLISHER]),
]

STEP_ACTOR = {
    "proof_1": "proof1", "proof_2": "proof2", "proof_3": "proof3", "first_review": "first",
    "second_review": "second", "final_review": "final", "secrecy_review": "secrecy", "legal_review": "legal",
}


SPAM = "beplay体育赢钱封号"  # injected on the source site of seed 003 (a hacked-site pattern)


def seed_body(name, start=0, limit=60):
    """The seed document as sanitised paragraphs (web-page furniture stripped)."""
    text = (SEEDS / name).read_text(encoding="utf-8")
    skip = ("欢迎访问", "您当前所在的位置", "扫一扫", "Baidu", "map", "【字体大小", "发布时间:")
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.strip().startswith(skip)]
    return "".join(f"<p>{html.escape(ln)}</p>" for ln in lines[start:start + limit])


def seed_docx(name="001_tianjiaan_2024_tasks.txt", rows=10) -> bytes:
    """The 田家庵区 task list as the Word document staff would receive: a heading, the preamble and the
    task table (序号 / 具体要求 / 责任单位) taken from the seed's tab-separated lines."""
    text = (SEEDS / name).read_text(encoding="utf-8")
    document = docx.Document()
    document.add_heading("田家庵区2024年度政务公开重点工作清单", 1)
    document.add_paragraph("为深入贯彻落实国家、省、市关于政务公开工作的部署要求，现将2024年度政务公开重点工作清单印发如下，"
                           "请各责任单位认真抓好落实。")
    document.add_paragraph("各单位要明确专人负责，按时完成各项任务。", style="List Bullet")
    document.add_paragraph("工作进展情况于每季度末报区政府办公室。", style="List Bullet")
    table = document.add_table(rows=1, cols=3)
    for cell, label in zip(table.rows[0].cells, ("序号", "具体要求", "责任单位"), strict=True):
        cell.text = label
    for line in text.splitlines():
        cells = [c.strip() for c in line.split("\t") if c.strip()]
        numbered = [i for i, c in enumerate(cells) if c.isdigit()]
        if not numbered or len(table.rows) > rows:
            continue
        i = numbered[0]
        rest = " ".join(cells[i + 1:]) or cells[i][2:]
        requirement, _sep, unit = rest.partition("区政府")
        row = table.add_row().cells
        row[0].text, row[1].text = cells[i], requirement.strip()[:80]
        row[2].text = ("区政府" + unit).strip() if unit else "区政府办公室"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _agencies():
    gov = Agency.objects.create(code="11341881003186000X", name="宁国市人民政府", kind=Agency.Kind.GOVERNMENT)
    office = Agency.objects.create(code="11341702000111222F", name="宁国市人民政府办公室", parent=gov,
                                   sensitive_words="内部资料\n征求意见稿",
                                   public_values="0563-4012345\n宁国市宁阳西路1号\nzwgk@ningguo.gov.cn")
    civil = Agency.objects.create(code="11341881MB1538720K", name="宁国市民政局", parent=gov)
    other = Agency.objects.create(code="11360981014440519A", name="丰城市人民政府办公室", kind=Agency.Kind.GOVERNMENT)
    return {"gov": gov, "office": office, "civil": civil, "other": other}


def _people(agencies):
    User = get_user_model()
    people = {}
    admin = User.objects.create_superuser("admin", "admin@example.gov.cn", DEMO_PASSWORD, first_name="系统管理员")
    people["admin"] = admin
    for username, name, agency_key, roles in PEOPLE:
        user = User.objects.create_user(username, f"{username}@example.gov.cn", DEMO_PASSWORD, first_name=name)
        if Role.OFFICE_ADMIN in roles:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        for role in roles:
            Membership.objects.create(user=user, agency=agencies[agency_key], role=role)
        people[username] = user
    return people


def _categories():
    topics = {n: Category.objects.create(kind=Category.Kind.TOPIC, name=n, sort=i) for i, n in enumerate(TOPICS)}
    facets = {n: Category.objects.create(kind=Category.Kind.FACET, name=n, sort=i) for i, n in enumerate(FACETS)}
    topics["民政、扶贫、救灾"].cleanup_interval_days = 180
    topics["民政、扶贫、救灾"].save()
    return topics, facets


def _policies(agencies):
    ReviewPolicy.objects.create(name="一般信息：两审 + 保密审查", info_type=InfoType.GENERAL,
                                steps=["first_review", "second_review", "secrecy_review"])
    ReviewPolicy.objects.create(name="名单公示：两审 + 保密审查", info_type=InfoType.LIST_PUBLICITY,
                                steps=["first_review", "second_review", "secrecy_review"])
    ReviewPolicy.objects.create(
        name="行政规范性文件：三审三校 + 保密审查 + 合法性审查", info_type=InfoType.NORMATIVE_DOCUMENT,
        steps=["proof_1", "proof_2", "proof_3", "first_review", "second_review", "final_review", "legal_review",
               "secrecy_review"])
    ReviewPolicy.objects.create(name="民政局：初审 + 复审 + 保密审查", agency=agencies["civil"],
                                steps=["first_review", "second_review", "secrecy_review"], allow_same_reviewer=False)


def _run(people, item, *, stop_before=None, actors=None):
    actors = actors or STEP_ACTOR
    while True:
        task = actions.open_task_for(item)
        if task is None or task.data.get("step") in ("publish", stop_before):
            return task
        step = task.data["step"]
        actor = people[actors[step]]
        actions.claim_task(actor=actor, task=task)
        if step.startswith("proof"):
            actions.proofread_step(actor=actor, task=task, data={}, comment="已校对，无修改")
        else:
            actions.approve_step(actor=actor, task=task, comment="同意发布" if step == "final_review" else "同意",
                                 secrecy={"result": "disclosable"} if step == "secrecy_review" else None)


LOW_INCOME_CSV = (
    "序号,户主姓名,身份证号,家庭住址,联系电话,保障人数,月保障金（元）\n"
    "1,李桂兰,342501195803124821,宁国市港口镇山门村三组15号,13856321478,2,1060\n"
    "2,王德福,342501196208173316,宁国市河沥溪街道凤形路12号3栋2单元501室,139 5632 1045,1,530\n"
    "3,陈秀英,342501197011052224,宁国市梅林镇梅林村五组8号,+86 137-0563-8821,3,1590\n"
)


def load(*, now, later):
    """Create the demo; return [(username, description)] or [] if it already exists."""
    if Agency.objects.filter(code="11341702000111222F").exists():
        return []
    ag = _agencies()
    people = _people(ag)
    topics, facets = _categories()
    _policies(ag)
    d = people["drafter"]
    general = topics["综合政务"]

    def new(title, body, **extra):
        data = {"title": title, "body": body, "topic": general, "facet": facets["政策文件"],
                "created_date": extra.pop("created_date", date(2021, 11, 20)), **extra}
        return actions.create_item(actor=extra.pop("actor", d), agency=extra.pop("agency", ag["office"]), data=data)

    # 1. Published: seed 003 (宁国市 2021 政务公开工作要点), the default 三审三校 + 保密审查. The copy taken from
    # the source site carries injected gambling spam ("beplay体育赢钱封号"): the pre-check blocks it at the
    # secrecy step, the drafter removes it, and the clean text is reviewed again and published.
    item = new("宁国市人民政府办公室关于印发宁国市2021年政务公开工作要点的通知",
               seed_body("003_ningguo_2021_points.txt"), info_type=InfoType.POLICY_DOCUMENT)
    actions.submit_item(actor=d, item=item)
    _run(people, item, stop_before="secrecy_review")
    actions.reject_step(actor=people["secrecy"], task=actions.open_task_for(item),
                        reason="保密预检发现涉赌信息（“beplay体育赢钱封号”），系转载时混入，请删除后重新提交。")
    actions.edit_item(actor=d, item=item, data={"body": item.body.replace(SPAM, "")}, note="删除混入的涉赌信息")
    actions.submit_item(actor=d, item=item)
    _run(people, item)
    publish_item(actor=people["publisher"], item=item)

    # 1b. The same spam in another copy, waiting at the secrecy step with its blocking finding.
    item = new("宁国市2021年政务公开工作要点（网站转载稿）",
               seed_body("003_ningguo_2021_points.txt", start=20, limit=20), info_type=InfoType.GENERAL,
               created_date=date(2021, 11, 22))
    actions.submit_item(actor=d, item=item)
    _run(people, item, stop_before="secrecy_review")

    # 1c. Imported from a Word document (正文 from the DOCX: heading, list and the task table), published:
    # the table shows as a table on /gk/.
    imported = import_docx(name="田家庵区2024年度政务公开重点工作清单.docx", data=seed_docx())
    item = actions.create_item(actor=d, agency=ag["office"], data={
        "title": "田家庵区2024年度政务公开重点工作清单（由Word文档导入）", "body": imported.html, "topic": general,
        "facet": facets["政策文件"], "created_date": date(2024, 3, 1), "info_type": InfoType.GENERAL,
        "channels": ["website", "notice_board"]}, attachments=imported.images)
    actions.submit_item(actor=d, item=item)
    _run(people, item)
    publish_item(actor=people["publisher"], item=item)

    # 2. 三同步: a policy document with its interpretation, published together.
    policy = new("丰城市2023年政务公开工作要点（参照印发）", seed_body("002_fengcheng_2023_points.txt"),
                 info_type=InfoType.POLICY_DOCUMENT, doc_number="丰府办字〔2023〕26号", needs_interpretation=True,
                 created_date=date(2023, 5, 10))
    interp = new("一图读懂《2023年政务公开工作要点》", "<p>一、出台背景……二、主要内容：深化重点领域信息公开、"
                 "加强政策解读回应、夯实公开基础工作。三、解读机关及联系方式。</p>",
                 info_type=InfoType.INTERPRETATION, interprets=policy, facet=facets["政策解读"],
                 created_date=date(2023, 5, 10))
    for x in (policy, interp):
        actions.submit_item(actor=d, item=x)
        _run(people, x)
    publish_item(actor=people["publisher"], item=policy)

    # 3. In review, waiting at 复审 (seed 004).
    item = new("华亭市2022年政务公开工作要点（学习参考）", seed_body("004_huating_2022_points.txt"),
               doc_number="华政办发〔2022〕55号", info_type=InfoType.POLICY_DOCUMENT, created_date=date(2022, 8, 3))
    actions.submit_item(actor=d, item=item)
    _run(people, item, stop_before="second_review")

    # 4. Draft (seed 001, the 田家庵区 task list).
    new("田家庵区2024年度政务公开重点工作清单（草稿）", seed_body("001_tianjiaan_2024_tasks.txt", limit=30),
        created_date=date(2024, 3, 1))

    # 5. Returned for revision with the reviewer's reason.
    item = new("关于做好2024年政务公开专区建设的通知", seed_body("001_tianjiaan_2024_tasks.txt", start=30, limit=8),
               info_type=InfoType.GENERAL, created_date=date(2024, 4, 2))
    actions.submit_item(actor=d, item=item)
    task = actions.open_task_for(item)
    actions.reject_step(actor=people["first"], task=task, reason="请补充责任单位和完成时限，并核对文号。")

    # 6. Approved, scheduled for tomorrow; 7. approved, waiting for the publisher.
    for title, when in (("宁国市2024年政务公开工作要点", now + later), ("宁国市政务公开专区服务指南", None)):
        item = new(title, seed_body("003_ningguo_2021_points.txt", start=10, limit=12), info_type=InfoType.GENERAL,
                   created_date=date(2024, 5, 6))
        actions.submit_item(actor=d, item=item)
        _run(people, item)
        if when:
            publish_item(actor=people["publisher"], item=item, at=when)

    # 8. Published, then withdrawn with a reason (谁公开、谁清理).
    item = new("2019年度政务公开工作培训通知", "<p>定于2019年6月举办全市政务公开工作培训班……</p>",
               info_type=InfoType.GENERAL, created_date=date(2019, 5, 20))
    actions.submit_item(actor=d, item=item)
    _run(people, item)
    publish_item(actor=people["publisher"], item=item)
    withdraw_item(actor=people["publisher"], item=item, reason="定期清理：培训通知已过时效，不需长期保留")

    # 8b. A normative document (三审三校 + 合法性审查 + 保密审查 policy), published and currently valid.
    item = new("宁国市政府信息公开保密审查办法",
               "<p>第一条　为规范政府信息公开保密审查工作，根据《中华人民共和国政府信息公开条例》"
               "第十七条，制定本办法。</p><p>第二条　拟公开的政府信息应当依照法律、法规和国家有关规定进行审查。</p>",
               info_type=InfoType.NORMATIVE_DOCUMENT, doc_number="宁政办规〔2026〕3号", created_date=date(2026, 3, 1))
    actions.submit_item(actor=d, item=item)
    _run(people, item)
    publish_item(actor=people["publisher"], item=item)

    # 8c. A notice with a 5-day display period (公示期), published and gone offline when it ended.
    item = new("宁国市2026年政务公开专区工作人员拟录用人员公示", "<p>现将拟录用人员名单予以公示，公示期5个工作日。</p>",
               info_type=InfoType.GENERAL, display_days=5, created_date=date(2026, 10, 8))
    actions.submit_item(actor=d, item=item)
    _run(people, item)
    publish_item(actor=people["publisher"], item=item)
    item.refresh_from_db()
    expire_due_item(item=item, now=item.display_until + timedelta(seconds=1))  # 公示期 in working days

    # 9. Not disclosed: the secrecy review withholds an internal document (条例 Art. 16).
    item = new("市政府办公室内部值班安排", "<p>内部资料　注意保存</p><p>值班人员及联系方式……</p>",
               info_type=InfoType.GENERAL, created_date=date(2024, 6, 1))
    actions.submit_item(actor=d, item=item)
    task = _run(people, item, stop_before="secrecy_review")
    actions.claim_task(actor=people["secrecy"], task=task)
    actions.approve_step(actor=people["secrecy"], task=task, comment="属于内部事务信息，不予公开",
                         secrecy={"result": "not_disclosable", "ground": "internal_affairs"})

    # 10. A subsistence-allowance list with full ID numbers and phones, at the secrecy review:
    #     the privacy pre-check blocks approval until the list is masked.
    item = actions.create_item(
        actor=people["mz_drafter"], agency=ag["civil"],
        data={"title": "宁国市2024年第二季度城乡最低生活保障新增对象公示", "info_type": InfoType.LIST_PUBLICITY,
              "topic": topics["民政、扶贫、救灾"], "facet": facets["公示公告"], "display_days": 7,
              "body": "<p>根据《安徽省最低生活保障办法》，经审核审批，现将新增低保对象名单予以公示，公示期7天。</p>",
              "created_date": date(2024, 6, 28)},
        attachments=[actions.NewAttachment("新增低保对象名单.csv", LOW_INCOME_CSV.encode("utf-8"), "text/csv")],
    )
    actions.submit_item(actor=people["mz_drafter"], item=item)
    _run(people, item, stop_before="secrecy_review",
         actors={"first_review": "mz_reviewer", "second_review": "mz_second"})

    _requests(ag, people)
    _appeals(ag, people)
    return [("admin", "系统管理员（超级用户）")] + [(u, n) for u, n, _a, _r in PEOPLE]


def _requests(ag, people):
    """依申请公开: applications at several stages, one carried over from 2025."""
    d = disclosure_actions
    handler, legal, head = people["handler"], people["legal"], people["officehead"]

    def register(received, name, kind, content, **extra):
        return d.register_application(actor=handler, agency=ag["office"], data={
            "applicant_type": kind, "applicant_name": name, "channel": extra.pop("channel", "online"),
            "received_date": received, "content": content, **extra})

    def answer(app, outcome, body, disclosed="", withheld=""):
        # Replies are signed and delivered today: the actions refuse dates before the sign-off.
        delivered = timezone.localdate()
        d.draft_reply(actor=handler, application=app, outcome=outcome, body=body, disclosed_text=disclosed,
                      withheld=withheld)
        d.legal_review(actor=legal, application=app, approve=True, comment="答复依据充分，程序合法")
        d.sign_reply(actor=head, application=app, approve=True, comment="同意答复")
        d.deliver_reply(actor=handler, application=app, method="email", delivered_date=delivered)

    app = register(date(2025, 12, 22), "宁国市某建材有限公司", ApplicantType.COMMERCIAL,
                   "申请公开2025年度宁国市政府集中采购项目目录及执行情况。")
    answer(app, Outcome.DISCLOSED, "经查，您申请的信息属于主动公开范围，现予以提供（见附件）。")
    app = register(date(2026, 3, 2), "刘某某", ApplicantType.NATURAL_PERSON,
                   "申请公开本人房屋所在地块的征收补偿方案及批复文件。", channel="in_person")
    answer(app, Outcome.PARTIAL,
           "您申请的征收补偿方案予以公开；其中涉及其他被征收人个人信息的部分不予公开（条例第十五条）。",
           disclosed="征收补偿安置方案：……被征收人李桂兰，身份证号342501195803124821，联系电话13856321478，补偿金额……",
           withheld="其他被征收人的身份证号码、联系电话属于个人隐私，依据条例第十五条不予公开")
    app = register(date(2026, 6, 15), "某律师事务所", ApplicantType.LEGAL_SERVICE,
                   "申请公开某企业环境违法案件的内部讨论记录。")
    answer(app, Outcome.REFUSED_PROCESS, "您申请的信息属于行政机关内部讨论记录，根据条例第十六条第二款不予公开。")
    app = register(date(2026, 9, 28), "王某某", ApplicantType.NATURAL_PERSON, "申请公开“有关文件”。")
    d.request_supplement(actor=handler, application=app, requested_date=date(2026, 9, 30),
                         items="请明确所需文件的名称、文号或者便于查询的其他特征描述。",
                         applicant_due=date(2026, 10, 30))
    register(date(2026, 11, 16), "宁国市环保公益协会", ApplicantType.PUBLIC_INTEREST,
             "申请公开2026年度全市重点排污单位名录及监测数据。")
    register(date(2026, 11, 23), "某大学公共管理学院", ApplicantType.RESEARCH,
             "申请公开2021-2025年政务公开工作年度报告中的依申请公开统计原始数据。", channel="post")


def _appeals(ag, people):
    """Table 四: a reconsideration and a lawsuit about disclosure replies."""
    create_appeal_case(actor=people["officehead"], agency=ag["office"], data={
        "kind": "reconsideration", "filed_date": "2026-04-10", "result": "maintained", "closed_date": "2026-06-05",
        "case_number": "宁政复〔2026〕12号", "applicant": "刘某某", "summary": "对部分公开答复不服申请行政复议"})
    create_appeal_case(actor=people["officehead"], agency=ag["office"], data={
        "kind": "litigation_direct", "filed_date": "2026-08-01", "result": "pending",
        "case_number": "（2026）皖1881行初45号", "applicant": "某律师事务所", "summary": "对不予公开答复提起行政诉讼"})
