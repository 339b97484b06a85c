"""Log-in throttling holds when 20 attackers guess passwords at once, on SQLite and PostgreSQL.

Before: with the default SQLite database 22 of 120 attempts failed with a server error
("database is locked", raised while the failure was recorded) and 7 of 20 accounts were never
locked. The attack runs against gunicorn with several worker processes on 127.0.0.1.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
import requests

from .live import LiveServer, live_server

ATTACKERS = 20
GUESSES = 6
PASSWORD = "the-right-password-42"


def _attack(server: LiveServer, username: str, statuses: list[int]) -> None:
    session = requests.Session()
    page = session.get(f"{server.url}/accounts/login/", timeout=60)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token is not None
    for guess in range(GUESSES):
        response = session.post(
            f"{server.url}/accounts/login/",
            data={
                "csrfmiddlewaretoken": token.group(1),
                "username": username,
                "password": f"wrong-{guess}",
            },
            headers={"Referer": f"{server.url}/accounts/login/"},
            timeout=60,
            allow_redirects=False,
        )
        statuses.append(response.status_code)
    # The right password no longer opens the account: it is locked.
    response = session.post(
        f"{server.url}/accounts/login/",
        data={"csrfmiddlewaretoken": token.group(1), "username": username, "password": PASSWORD},
        headers={"Referer": f"{server.url}/accounts/login/"},
        timeout=60,
        allow_redirects=False,
    )
    statuses.append(1000 + response.status_code)  # marks the check with the right password


@pytest.mark.live
def test_twenty_parallel_attackers_are_all_locked_out_without_errors(tmp_path: Path) -> None:
    with live_server(tmp_path) as server:
        names = [f"target{i}" for i in range(ATTACKERS)]
        server.manage(
            "shell",
            "-v",
            "0",
            "-c",
            "from django.contrib.auth import get_user_model; U = get_user_model(); "
            + "; ".join(f"U.objects.create_user({n!r}, password={PASSWORD!r})" for n in names),
        )
        results: dict[str, list[int]] = {n: [] for n in names}
        threads = [threading.Thread(target=_attack, args=(server, n, results[n])) for n in names]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
        statuses = [s for codes in results.values() for s in codes]
        assert len(statuses) == ATTACKERS * (GUESSES + 1)
        errors = [s for s in statuses if s % 1000 >= 500]
        assert errors == [], f"{len(errors)} server errors"
        right_password = {n: codes[-1] - 1000 for n, codes in results.items()}
        assert right_password == dict.fromkeys(names, 429), "some accounts were not locked"
        locked = server.manage(
            "shell",
            "-v",
            "0",
            "-c",
            "from axes.models import AccessAttempt; "
            "print(sorted(set(AccessAttempt.objects.filter(failures_since_start__gte=5)"
            ".values_list('username', flat=True))))",
        )
        assert locked.strip() == str(sorted(names))
        log = server.log.read_text() if server.log.exists() else ""
        assert "Traceback" not in log and "database is locked" not in log
        assert "wrong-" not in log and PASSWORD not in log  # no password reaches the log
