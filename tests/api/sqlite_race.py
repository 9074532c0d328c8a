"""Two people of one unit press the same button at once, on a SQLite *file* database (as deployed).

Run by tests/api/test_concurrency.py in a subprocess, because pytest-django's in-memory SQLite test
database cannot show it (see there). Usage: ``python -m tests.api.sqlite_race /tmp/x.sqlite3``; prints,
as its last line, a JSON list of [action, [status, status]] for each race.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from typing import Any


def main(path: str, races: int = 4) -> list[tuple[str, list[int]]]:
    os.environ["DJANGO_SETTINGS_MODULE"] = "hotline.settings"
    os.environ["HOTLINE_DATABASE_URL"] = f"sqlite:///{path}"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from hotline.directory.seed import seed_city
    from hotline.directory.tokens import token_create

    setup_test_environment()
    call_command("migrate", verbosity=0)
    city = seed_city(password="x", streets=False)
    operator, dispatcher = (token_create(user=city.users[name])[1] for name in ("operator", "dispatcher"))
    unit_staff = [token_create(user=city.staff("D01"))[1], token_create(user=city.staff("D01", leader=True))[1]]

    def post(key: str, path: str, body: Any = None) -> Any:
        return Client().post(path, "" if body is None else json.dumps(body), content_type="application/json",
                             headers={"Authorization": f"Bearer {key}"})

    results: list[tuple[str, list[int]]] = []
    for race in range(races):
        created = post(operator, "/api/v1/appeals", {"channel": "phone", "appeal_type": "complaint",
                                                      "content": f"路灯坏了（第{race}盏）"})
        order_id = created.json()["orders"][0]["id"]
        post(dispatcher, f"/api/v1/orders/{order_id}/dispatch", {"unit": "D01"})
        action, body = (("sign", None) if race % 2 == 0 else
                        ("request-return", {"reason": "不属于本单位职责", "basis": "三定方案", "suggested_unit": "D02"}))
        start, statuses = threading.Barrier(len(unit_staff)), list[int]()

        def press(key: str, action: str = action, body: Any = body, order_id: int = order_id,
                  start: threading.Barrier = start, statuses: list[int] = statuses) -> None:
            try:
                start.wait()
                statuses.append(post(key, f"/api/v1/orders/{order_id}/{action}", body).status_code)
            finally:
                connection.close()

        threads = [threading.Thread(target=press, args=(key,)) for key in unit_staff]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        results.append((action, sorted(statuses)))
    return results


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
