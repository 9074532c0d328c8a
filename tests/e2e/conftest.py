"""Browser tests: each role's main path walked in headless Chromium against a live server.

Debian's Chromium (``/usr/bin/chromium``, or ``HOTLINE_CHROMIUM``) is driven by Playwright; Playwright's own
browser download is never used. Without Chromium or Playwright every test here is skipped, saying why
(``make test`` installs Chromium through ``scripts/system-deps.sh``).

Fixtures:
    ``city``      the demo city seeded in the live server's database (``seed_city(password="x")``)
    ``browse``    ``browse(username)`` → a logged-in page of that user, in its own browser context;
                  ``browse(None, phone=True)`` → a citizen's phone (375×740) with no login
    ``shots``     ``shots.take(page, name)`` writes ``<name>.png`` to ``var/screenshots/`` (or
                  ``$HOTLINE_SCREENSHOTS``)
    ``server``    the live server's HTML answers; ``server.quiet()`` before the test reads the database

Every test that browses checks, when it ends, that nothing left the server: each request any of its pages
made went to the live server, and no HTML the server answered with names an outside URL.

The tests run in the SQLite pass of ``make test``; the PostgreSQL pass deselects them unless
``HOTLINE_E2E_ON_POSTGRES=1`` (docs/e2e.md says why).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.e2e.helpers import ExternalCheck, ServerLog, Shots, login, screenshots_dir

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

    from hotline.directory.seed import City

# Playwright's sync API runs an event loop in the main thread; Django's async-safety check would then
# refuse the live server's database teardown (and later tests' queries) although nothing runs concurrently.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("HOTLINE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
TIMEOUT_MS = 15_000

HERE = Path(__file__).parent
#: a test that asks for one of these drives the browser (the helpers' own tests do not)
BROWSER_FIXTURES = frozenset({"browse", "browser", "page", "context", "new_context"})


def _why_skip() -> str:
    try:
        import playwright  # noqa: F401
        import pytest_playwright  # noqa: F401
    except ImportError:
        return "Playwright is not installed: pip install -e '.[dev]' (playwright, pytest-playwright)"
    if not (shutil.which(CHROMIUM) or os.access(CHROMIUM, os.X_OK)):
        return (f"no Chromium at {CHROMIUM}: apt-get install chromium fonts-noto-cjk (make test does), "
                "or set HOTLINE_CHROMIUM")
    return ""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: a browser test (headless Chromium against a live server)")
    # pytest-playwright 0.10's stand-in for pytest-base-url declares its session fixture as a method, which
    # pytest 9 deprecates; nothing of ours does it.
    config.addinivalue_line("filterwarnings", "ignore:Session-scoped fixtures defined as instance methods"
                                              ":pytest.PytestRemovedIn10Warning")


def _postgres_pass_without_us() -> bool:
    """``make test``'s PostgreSQL pass leaves the browser tests to the SQLite pass (docs/e2e.md)."""
    return (os.environ.get("HOTLINE_TEST_DB", "").strip().lower() == "postgres"
            and os.environ.get("HOTLINE_E2E_ON_POSTGRES", "").strip().lower() not in {"1", "true", "yes", "on"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test of this folder e2e; skip them all, with the reason, when the browser is missing.

    In the PostgreSQL pass they are deselected (HOTLINE_E2E_ON_POSTGRES=1 keeps them): they take about as
    long again there and go through the same services and SQL as tests/web, which do run on PostgreSQL.
    """
    ours = [item for item in items if Path(str(item.path)).is_relative_to(HERE)
            and BROWSER_FIXTURES.intersection(getattr(item, "fixturenames", ()))]
    if not ours:
        return
    if _postgres_pass_without_us():
        config.hook.pytest_deselected(items=ours)
        mine = set(map(id, ours))
        items[:] = [item for item in items if id(item) not in mine]
        return
    reason = _why_skip()
    for item in ours:
        item.add_marker(pytest.mark.e2e)
        if reason:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    # LANGUAGE: the browser's own words (file picker, date field) in Chinese when chromium-l10n is installed
    # (Chromium on Linux ignores --lang); English without it, which changes nothing the tests check.
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS,
            "env": {**os.environ, "LANGUAGE": "zh-CN"}}


@pytest.fixture
def city(live_server: Any) -> City:
    """The demo city, in the database the live server reads (transactional: emptied after the test)."""
    from hotline.directory.seed import seed_city

    return seed_city(password="x")


@pytest.fixture(scope="session")
def shots() -> Shots:
    return Shots(screenshots_dir())


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch, live_server: Any) -> ServerLog:
    """What the live server answered during the test: every HTML body as sent, and whether it is busy.

    On SQLite the live server's request threads all use the test's one in-memory connection, which cannot
    take two requests at once (the dispatch page posts its suggestion feedback while the form posts the
    dispatch: "database table is locked"); there the requests are served one at a time, as by a
    one-process server. On PostgreSQL each thread has its own connection and nothing is serialised.
    ``server.quiet()`` waits until no request is being served, before the test reads the database itself.
    """
    from django.core.handlers.base import BaseHandler
    from django.db import connection
    from django.http import HttpResponse

    log = ServerLog()
    one_at_a_time = threading.RLock() if connection.vendor == "sqlite" else contextlib.nullcontext()
    original = BaseHandler.get_response

    def recording(self: BaseHandler, request: Any) -> Any:
        with log.serving(), one_at_a_time:
            response = original(self, request)
        if response.get("Content-Type", "").startswith("text/html") and isinstance(response, HttpResponse):
            log.record(request.get_full_path(), response.content.decode("utf-8", "replace"))
        return response

    monkeypatch.setattr(BaseHandler, "get_response", recording)
    return log


@pytest.fixture
def browse(new_context: Callable[..., BrowserContext], live_server: Any, city: City,
           server: ServerLog) -> Iterator[Callable[..., Page]]:
    """``browse("dispatcher")``: a page logged in as that user, in a browser context of its own."""
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)   # a loaded 2-core CI machine is slow, not wrong
    check = ExternalCheck(live_server.url)

    def open_page(username: str | None, *, phone: bool = False) -> Page:
        context = new_context(base_url=live_server.url, viewport=PHONE if phone else DESKTOP,
                              locale="zh-CN", timezone_id="Asia/Shanghai", is_mobile=phone, has_touch=phone,
                              device_scale_factor=2 if phone else 1)
        context.set_default_timeout(TIMEOUT_MS)
        check.watch(context)
        page = context.new_page()
        if username is not None:
            login(page, username)
        return page

    yield open_page
    server.quiet()
    check.assert_all_local(server.html)
