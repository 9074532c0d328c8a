"""What the browser tests share: logging in, screenshots, and the check that nothing leaves the server.

Nothing here imports Playwright at module level, so that the suite can say "skipped: no Playwright"
instead of failing to import.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page, Request, Route

PASSWORD = "x"

#: URLs that name a vocabulary, not something to load (inline SVG, MathML)
NAMESPACES = ("http://www.w3.org/",)
#: schemes that never leave the browser
INLINE_SCHEMES = {"data", "blob", "about"}

_ABSOLUTE_URL = re.compile(r"""(?i)\b(?:https?|wss?|ftp)://[^\s"'<>()\\]+""")
_PROTOCOL_RELATIVE = re.compile(r"""(?i)(?:\b(?:src|href|action|formaction|poster|data|srcset|hx-get|hx-post)\s*=\s*["']?"""
                                r"""|url\(\s*["']?)//[^\s"'<>()]+""")


def screenshots_dir() -> Path:
    """``$HOTLINE_SCREENSHOTS``, else ``var/screenshots`` of the repository."""
    configured = os.environ.get("HOTLINE_SCREENSHOTS", "").strip()
    if configured:
        return Path(configured).expanduser().resolve()
    from django.conf import settings

    return Path(settings.BASE_DIR) / "var" / "screenshots"


@dataclass
class Shots:
    """Writes the screenshots of the main pages, one PNG per name (a later run replaces it)."""

    folder: Path
    taken: list[Path] = field(default_factory=list)

    def take(self, page: Page, name: str, *, full_page: bool = True, max_height: int = 2400) -> Path:
        """A PNG of the page: the whole page down to ``max_height`` CSS pixels (README-sized, not a poster)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{name}.png"
        page.evaluate("document.fonts.ready")           # the CJK font is loaded before the picture
        page.evaluate("document.activeElement && document.activeElement.blur()")  # no caret or focus ring
        viewport = page.viewport_size or {"width": 1280, "height": 800}
        if full_page:
            height = min(int(page.evaluate("document.documentElement.scrollHeight")), max_height)
            page.screenshot(path=str(path), clip={"x": 0, "y": 0, "width": viewport["width"], "height": height},
                            full_page=True, animations="disabled")
        else:
            page.screenshot(path=str(path), animations="disabled")
        self.taken.append(path)
        return path


def login(page: Page, username: str, password: str = PASSWORD) -> None:
    """Log in through the login page, as a person does, and land on the role's first workbench."""
    page.goto("/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login/" not in url)
    assert page.locator("header .who").count() == 1, f"{username} did not log in: {page.url}"


def wait_for_htmx(page: Page) -> None:
    """Until htmx has no request in flight (its fragments are in the page)."""
    page.wait_for_function("() => !document.querySelector('.htmx-request')")


class ServerLog:
    """The live server's HTML answers (path, body) and how many requests it is serving right now."""

    def __init__(self) -> None:
        self.html: list[tuple[str, str]] = []
        self._busy = 0
        self._idle = threading.Condition()

    @contextlib.contextmanager
    def serving(self) -> Iterator[None]:
        with self._idle:
            self._busy += 1
        try:
            yield
        finally:
            with self._idle:
                self._busy -= 1
                self._idle.notify_all()

    def record(self, path: str, body: str) -> None:
        with self._idle:
            self.html.append((path, body))

    def quiet(self, timeout: float = 15.0) -> None:
        """Wait until no request is being served (a page's background fetch may still be running)."""
        with self._idle:
            if not self._idle.wait_for(lambda: self._busy == 0, timeout=timeout):
                raise AssertionError(f"the live server was still serving {self._busy} request(s) after {timeout} s")


class ExternalCheck:
    """Records every request the watched browser contexts make; outside requests are recorded and aborted."""

    def __init__(self, server_url: str) -> None:
        self.server = urlsplit(server_url)
        self.requests: list[str] = []
        self.outside: list[str] = []
        self._lock = threading.Lock()

    def is_local(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in INLINE_SCHEMES:
            return True
        return parts.scheme == self.server.scheme and parts.netloc == self.server.netloc

    def watch(self, context: BrowserContext) -> None:
        context.on("request", self._record)
        context.route(lambda url: not self.is_local(url), self._abort)

    def _record(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request.url)
            if not self.is_local(request.url):
                self.outside.append(request.url)

    def _abort(self, route: Route) -> None:
        route.abort("blockedbyclient")

    def external_urls_in(self, html: str) -> list[str]:
        found = [m.group(0) for m in _ABSOLUTE_URL.finditer(html)]
        found = [u for u in found if not u.startswith(NAMESPACES) and not self.is_local(u)]
        return found + [m.group(0) for m in _PROTOCOL_RELATIVE.finditer(html)]

    def assert_all_local(self, served_html: list[tuple[str, str]]) -> None:
        assert not self.outside, f"pages asked for outside resources: {sorted(set(self.outside))}"
        named = {path: urls for path, html in served_html if (urls := self.external_urls_in(html))}
        assert not named, f"served HTML names outside URLs: {named}"
