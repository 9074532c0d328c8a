"""Which database the platform uses, and the pages that say whether it is up."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import Client

from hotline.settings import (
    BASE_DIR,
    DEFAULT_DATABASE_URL,
    SQLITE_OPTIONS,
    database_from_env,
    parse_database_url,
)

EXPECTED_VENDOR = {"sqlite": "sqlite", "postgres": "postgresql"}


@pytest.mark.django_db
def test_healthz_answers_with_the_database_vendor(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": connection.vendor}
    requested = os.environ.get("HOTLINE_TEST_DB")
    if requested:
        assert response.json()["database"] == EXPECTED_VENDOR[requested]


@pytest.mark.django_db
def test_the_home_page_asks_for_a_login_in_chinese(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")

    page = client.get("/login/").content.decode()
    assert '<html lang="zh-CN">' in page
    assert "<title>登录 · 12345 热线平台</title>" in page


def test_without_a_url_the_database_is_the_embedded_sqlite_file() -> None:
    db = database_from_env({})

    assert DEFAULT_DATABASE_URL.startswith("sqlite:////")
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == BASE_DIR / "var" / "db.sqlite3"


def test_sqlite_waits_for_writers_instead_of_failing() -> None:
    options = parse_database_url("sqlite:///var/db.sqlite3")["OPTIONS"]

    assert options == SQLITE_OPTIONS
    assert options["timeout"] >= 5
    assert "journal_mode=WAL" in options["init_command"]
    assert options["transaction_mode"] == "IMMEDIATE"


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("sqlite:///var/db.sqlite3", BASE_DIR / "var" / "db.sqlite3"),
        ("sqlite:////srv/hotline/db.sqlite3", Path("/srv/hotline/db.sqlite3")),
        ("sqlite:///:memory:", ":memory:"),
        ("sqlite://:memory:", ":memory:"),
    ],
)
def test_sqlite_urls(url: str, name: object) -> None:
    db = parse_database_url(url)

    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == name


def test_sqlite_timeout_can_be_set_in_the_url() -> None:
    assert parse_database_url("sqlite:///var/x.sqlite3?timeout=60")["OPTIONS"]["timeout"] == 60


def test_postgres_url_with_every_part() -> None:
    db = parse_database_url("postgres://hotline:s%40cret@db.example:6543/ziyang?sslmode=require")

    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"]) == ("ziyang", "hotline", "s@cret")
    assert (db["HOST"], db["PORT"]) == ("db.example", "6543")
    assert db["OPTIONS"] == {"sslmode": "require"}
    assert 0 < db["CONN_MAX_AGE"] <= 600


def test_postgres_url_of_the_test_server() -> None:
    db = parse_database_url("postgresql://postgres@127.0.0.1:5432/test")

    assert (db["NAME"], db["USER"], db["PASSWORD"]) == ("test", "postgres", "")
    assert (db["HOST"], db["PORT"]) == ("127.0.0.1", "5432")


def test_postgres_url_without_host_uses_the_local_socket() -> None:
    db = parse_database_url("postgres:///hotline")

    assert (db["NAME"], db["HOST"], db["PORT"]) == ("hotline", "", "")


def test_environment_selects_the_database() -> None:
    db = database_from_env({"HOTLINE_DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test"})

    assert db["ENGINE"] == "django.db.backends.postgresql"


def test_unknown_scheme_is_refused_clearly_without_showing_the_password() -> None:
    with pytest.raises(ImproperlyConfigured) as excinfo:
        parse_database_url("mysql://root:hunter2@127.0.0.1:3306/hotline")

    message = str(excinfo.value)
    assert "unsupported scheme 'mysql'" in message
    assert "postgres://" in message and "sqlite:///" in message
    assert "hunter2" not in message


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("var/db.sqlite3", "has no scheme"),
        ("postgres://postgres@127.0.0.1:5432/", "names no database"),
        ("postgres://postgres@127.0.0.1:port/test", "port is not a number"),
        ("sqlite://somehost/db.sqlite3", "has no host"),
        ("sqlite:///var/db.sqlite3?journal=off", "unknown sqlite option"),
    ],
)
def test_malformed_urls_are_refused(url: str, says: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=says):
        parse_database_url(url)
