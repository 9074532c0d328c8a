"""Suite-wide test configuration.

`make test` runs the suite twice:
  1. everything on SQLite (HOTLINE_TEST_DB=sqlite; pytest-django uses an in-memory database);
  2. HOTLINE_TEST_DB=postgres with HOTLINE_DATABASE_URL pointing at PostgreSQL: only the tests
     that touch the database are kept, the others are deselected (they cannot differ).

A test "touches the database" when it is marked django_db, is a Django TransactionTestCase /
TestCase, or needs (directly or through its fixtures) db, transactional_db, live_server,
django_db_reset_sequences, django_db_serialized_rollback, or a fixture of ours that takes
django_db_blocker.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

TEST_DB_VENDORS = {"sqlite": "sqlite", "postgres": "postgresql"}

DB_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "live_server",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
    }
)


def _requested_test_db() -> str:
    value = os.environ.get("HOTLINE_TEST_DB", "").strip().lower()
    if value and value not in TEST_DB_VENDORS:
        raise pytest.UsageError(f"HOTLINE_TEST_DB={value!r}: use one of {', '.join(TEST_DB_VENDORS)}")
    return value


def _default_db() -> dict[str, object]:
    from django.conf import settings

    db: dict[str, object] = settings.DATABASES["default"]
    return db


def _vendor() -> str:
    from django.db import connection

    return str(connection.vendor)  # read from the backend class: no connection is opened


def pytest_configure(config: pytest.Config) -> None:
    requested = _requested_test_db()
    if requested and _vendor() != TEST_DB_VENDORS[requested]:
        raise pytest.UsageError(
            f"HOTLINE_TEST_DB={requested} but HOTLINE_DATABASE_URL selects {_vendor()}: "
            f"point HOTLINE_DATABASE_URL at a {TEST_DB_VENDORS[requested]} server (make test does)"
        )


def pytest_report_header(config: pytest.Config) -> str:
    db = _default_db()
    if _vendor() == "postgresql":
        where = f"{db.get('HOST') or 'local socket'}:{db.get('PORT') or 5432}"
        line = f"hotline database: PostgreSQL, test database test_{db['NAME']} at {where}"
    else:
        line = f"hotline database: {_vendor()} (in-memory test database)"
    if _requested_test_db() == "postgres":
        line += "; only the tests that touch the database"
    return line


def _uses_database(item: pytest.Item) -> bool:
    from django.test import TransactionTestCase

    cls = getattr(item, "cls", None)
    if cls is not None and issubclass(cls, TransactionTestCase):
        return True
    if item.get_closest_marker("django_db") is not None:
        return True
    if DB_FIXTURES.intersection(getattr(item, "fixturenames", ())):
        return True
    # Tests and fixtures that open the database themselves (`with django_db_blocker.unblock():`).
    # pytest-django's own autouse fixtures take django_db_blocker on every test: skip those.
    fixtureinfo = getattr(item, "_fixtureinfo", None)
    if "django_db_blocker" in getattr(fixtureinfo, "argnames", ()):
        return True
    for fixturedefs in getattr(fixtureinfo, "name2fixturedefs", {}).values():
        for fixturedef in fixturedefs:
            module = getattr(fixturedef.func, "__module__", "") or ""
            if "django_db_blocker" in fixturedef.argnames and not module.startswith("pytest_django"):
                return True
    return False


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _requested_test_db() != "postgres":
        return
    kept: list[pytest.Item] = []
    deselected: list[pytest.Item] = []
    for item in items:
        (kept if _uses_database(item) else deselected).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


# Hypothesis: no per-example deadline in CI (a loaded 2-core machine is slow, not wrong).
try:
    from hypothesis import settings as hypothesis_settings
except ImportError:  # pragma: no cover - hypothesis is a dev dependency
    pass
else:
    hypothesis_settings.register_profile("ci", deadline=None, print_blob=True)
    hypothesis_settings.register_profile("dev")
    hypothesis_settings.load_profile(
        os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
    )


@pytest.fixture
def city(db: None) -> object:
    """The demo city (regions, units with duties, categories, a user for every role), on the test database."""
    from hotline.directory.seed import seed_city

    return seed_city(password="x", streets=False)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Seeding users with the production hasher costs about a second per test; tests need no strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
