"""Headless Chromium (Debian's package, no browser download) driven by Playwright, against live_server."""
import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PASSWORD = "pass12345!"

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - the test extra is not installed
    sync_playwright = None


def pytest_collection_modifyitems(config, items):
    reason = None
    if sync_playwright is None:
        reason = "playwright is not installed"
    elif not (os.path.exists(CHROMIUM) and shutil.which(CHROMIUM)):
        reason = f"{CHROMIUM} is missing (apt-get install chromium)"
    if reason:
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def chromium():
    # Playwright's sync API keeps an event loop in this thread; Django would then refuse ORM calls
    # from the test body. The live server runs in its own thread and is unaffected.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class Session:
    """One signed-in person in their own browser context."""

    def __init__(self, browser, base_url, username, *, via_form=True):
        self.context = browser.new_context(base_url=base_url, locale="zh-CN", viewport={"width": 1280, "height": 900})
        self.context.set_default_timeout(15000)
        self.page = self.context.new_page()
        self.username = username
        page = self.page
        if via_form:
            page.goto("/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", PASSWORD)
            page.click("button:has-text('登录')")
            page.wait_for_url(f"{base_url}/")
        else:
            # Skip the log-in form (tested on its own): hand the browser a session cookie.
            from django.contrib.auth import get_user_model
            from django.test import Client

            client = Client()
            client.force_login(get_user_model().objects.get(username=username))
            cookie = client.cookies["sessionid"]
            self.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": base_url}])
            page.goto("/")

    def shot(self, name):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    def close(self):
        self.context.close()


@pytest.fixture
def login(chromium, live_server, transactional_db):
    sessions = []

    def _login(username, via_form=True):
        session = Session(chromium, live_server.url, username, via_form=via_form)
        sessions.append(session)
        return session

    yield _login
    for s in sessions:
        s.close()
