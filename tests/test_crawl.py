"""No server error anywhere: every demo role follows every link and GET form on every page it
can reach (each programme, network source, wave, agreement, dataset and run, downloads
included) and never gets a 500."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from samenspel.web.workspace.demo import load_demo

# Not followed: leaving (log-out), switching language, static files, the admin (staff only).
SKIP = ("/accounts/logout/", "/i18n/", "/static/", "/admin/")
LIMIT = 1500
# Of one kind of page (its address with every number as N: /p/N/people/N/, or
# /p/N/dynamics/?source=groups&wave=N), this many at most: every kind of page, network source
# and filter is tried, in several programmes, without visiting each of hundreds of records.
VARIANTS = 6


class _Targets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "a" and named.get("href"):
            self.found.append(str(named["href"]))
        elif tag == "form" and (named.get("method") or "get").lower() == "get":
            self.found.append(str(named.get("action") or ""))


def _crawl(client: Client) -> dict[str, int]:
    statuses: dict[str, int] = {}
    variants: dict[str, int] = {}
    queue = ["/"]
    while queue and len(statuses) < LIMIT:
        url = queue.pop(0)
        kind = re.sub(r"\d+", "N", url)
        if url in statuses or variants.get(kind, 0) >= VARIANTS:
            continue
        variants[kind] = variants.get(kind, 0) + 1
        response = client.get(url)
        statuses[url] = response.status_code
        if "html" not in response.get("Content-Type", "") or response.status_code != 200:
            continue
        parser = _Targets()
        parser.feed(response.content.decode())
        for target in parser.found:
            absolute = urljoin(url, target)
            parts = urlsplit(absolute)
            if parts.netloc not in ("", "testserver") or parts.path.startswith(SKIP):
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path not in statuses:
                queue.append(path)
    return statuses


@pytest.fixture
def demo(db: None) -> None:
    load_demo(with_population=True)


@pytest.mark.parametrize("username", ["regisseur", "partner", "kijker", "ziekenhuis"])
def test_every_page_a_role_reaches_answers_without_a_server_error(
    demo: None, username: str
) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(get_user_model().objects.get(username=username))
    statuses = _crawl(client)
    errors = {url: code for url, code in statuses.items() if code >= 500}
    assert errors == {}
    assert 30 < len(statuses) < LIMIT, len(statuses)  # everything reachable was reached
    assert sum(code == 200 for code in statuses.values()) > 0.8 * len(statuses)
