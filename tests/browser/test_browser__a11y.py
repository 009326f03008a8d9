"""Every page of the web UI under axe-core (zero serious/critical violations) and at phone width (390 px),
with a screenshot of each in test-artifacts/screenshots/."""
import re

import pytest

from core import jobs
from publishing import actions as pub
from tests.factories import approve_all, build_world, draft, register, reload
from workflow import actions
from workflow.models import InfoType, ReviewPolicy

from .a11y import PHONE, axe_violations, describe, too_wide
from .conftest import SCREENSHOTS

pytestmark = pytest.mark.browser


@pytest.fixture
def scene(transactional_db):
    """A world with something on every page: items in review, at secrecy, published, returned (so the drafter
    has a notice: the actions commit here); a request."""
    world = build_world()
    ReviewPolicy.objects.create(name="名单两审", info_type=InfoType.LIST_PUBLICITY,
                                steps=["first_review", "secrecy_review"])
    in_review = draft(world, title="关于印发2024年政务公开工作要点的通知")
    actions.submit_item(actor=world.drafter, item=in_review)
    at_secrecy = actions.create_item(actor=world.drafter, agency=world.dept, data={
        "title": "2024年第二季度低保对象公示", "info_type": InfoType.LIST_PUBLICITY,
        "body": "<p>林小红，身份证号350102198001011234，电话13812345678。</p>"})
    actions.submit_item(actor=world.drafter, item=at_secrecy)
    secrecy_task = approve_all(world, at_secrecy, stop_before="secrecy_review")
    done = draft(world, title="关于公布2024年行政许可事项清单的通知")
    actions.submit_item(actor=world.drafter, item=done)
    approve_all(world, done)
    pub.publish_item(actor=world.publisher, item=reload(done))
    returned = draft(world, title="关于开展安全生产大检查的通知")
    actions.submit_item(actor=world.drafter, item=returned)
    actions.reject_step(actor=world.proof1, task=actions.open_task_for(returned), reason="请补充检查时间安排")
    application = register(world)
    job = jobs.enqueue(kind="notices.deliver", actor=world.auditor, params={"ids": []}, subject="通知发送")
    return {"world": world, "in_review": reload(in_review), "secrecy_task": secrecy_task, "done": reload(done),
            "application": application, "returned": returned, "job": job}


def pages(scene):
    item, done = scene["in_review"], scene["done"]
    task = actions.open_task_for(item)
    return {
        "drafter": ["/", "/items/", "/items/new/", f"/items/{item.pk}/", f"/items/{item.pk}/revisions/1/",
                    f"/items/{scene['returned'].pk}/", f"/items/{scene['returned'].pk}/edit/", "/notices/",
                    "/notices/settings/"],
        "proof1": ["/", f"/tasks/{task.pk}/"],
        "secrecy": ["/", f"/tasks/{scene['secrecy_task'].pk}/"],
        "publisher": ["/", "/gk/manage/scheduled/", "/gk/manage/overdue/", "/gk/manage/cleanup/",
                      f"/gk/manage/items/{done.pk}/"],
        "handler": ["/requests/", f"/requests/{scene['application'].pk}/", "/requests/new/", "/requests/overdue/"],
        "auditor": ["/audit/", f"/audit/report/{scene['world'].gov.code}/2026/",
                    f"/audit/appeals/{scene['world'].gov.code}/", f"/jobs/{scene['job'].pk}/"],
        None: ["/gk/", f"/gk/item/{done.pk}/", "/login/"],
    }


def test_every_page_has_no_serious_or_critical_axe_violation_and_fits_a_phone(scene, login, chromium,
                                                                               live_server):
    problems = []
    for who, urls in pages(scene).items():
        if who is None:
            context = chromium.new_context(base_url=live_server.url, locale="zh-CN")
            page = context.new_page()
        else:
            session = login(who, via_form=False)
            context, page = session.context, session.page
        for url in urls:
            for width in ("desktop", "phone"):
                page.set_viewport_size(PHONE if width == "phone" else {"width": 1280, "height": 900})
                response = page.goto(url)
                assert response.status < 400, (who, url, response.status)
                found = axe_violations(page)
                if found:
                    problems.append(describe(f"{who or 'anonymous'} {url} ({width})", found))
                if width == "phone":
                    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                    if overflow > 2:
                        problems.append(f"{who} {url}: {overflow}px wider than a 390px screen: {too_wide(page)}")
                    name = re.sub(r"[^a-z0-9]+", "-", f"{who or 'public'}{url}".lower()).strip("-")
                    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(SCREENSHOTS / f"phone-{name}.png"), full_page=True)
        if who is None:
            context.close()
    assert not problems, "\n".join(problems)
