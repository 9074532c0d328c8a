"""Settings of the 12345 hotline platform: one module, driven by environment variables.

HOTLINE_DATABASE_URL    where the data lives (default: the embedded SQLite file var/db.sqlite3):
                          sqlite:///var/db.sqlite3        relative to the repository
                          sqlite:////srv/hotline/db.sqlite3   absolute (four slashes)
                          sqlite:///:memory:
                          postgres://user[:password]@host[:port]/name[?sslmode=require&...]
HOTLINE_SECRET_KEY      required as soon as HOTLINE_DEBUG is off
HOTLINE_DEBUG           1/0, true/false, on/off (default on: this is a development default)
HOTLINE_ALLOWED_HOSTS   comma-separated host names (with debug on, Django allows localhost anyway)
HOTLINE_PROFILE         the policy profile (rulebook) of this deployment (default "ziyang")
HOTLINE_CALENDAR_FILES  colon-separated paths of extra working-day calendar files
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, parse_qsl, unquote, urlsplit

import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

django_stubs_ext.monkeypatch()  # ModelAdmin[Model] and other generics at run time

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEFAULT_DATABASE_URL = f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
DEV_SECRET_KEY = "django-insecure-hotline-DEVELOPMENT-ONLY-set-HOTLINE_SECRET_KEY"

# SQLite: writers wait for the lock (up to `timeout` seconds) instead of failing with
# "database is locked"; WAL lets readers go on while one writer writes; IMMEDIATE takes the
# write lock when a transaction starts, so two transactions never deadlock on the upgrade.
SQLITE_OPTIONS: dict[str, Any] = {
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
}
POSTGRES_CONN_MAX_AGE = 60  # seconds a connection is kept between requests

_URL_FORMS = "sqlite:///relative/path, sqlite:////absolute/path or postgres://user@host:port/name"


def _redact(url: str) -> str:
    """The URL with its password hidden, for error messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


def parse_database_url(url: str, *, base_dir: Path = BASE_DIR) -> dict[str, Any]:
    """Turn a database URL into one entry of Django's DATABASES.

    Raises ImproperlyConfigured, naming the supported forms, for anything else.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        return _sqlite(url, parts.netloc, unquote(parts.path), parts.query, base_dir)
    if scheme in ("postgres", "postgresql"):
        return _postgres(url, parts)
    shown = _redact(url)
    if not scheme:
        raise ImproperlyConfigured(f"HOTLINE_DATABASE_URL {shown!r} has no scheme: use {_URL_FORMS}")
    raise ImproperlyConfigured(
        f"HOTLINE_DATABASE_URL {shown!r}: unsupported scheme {scheme!r}; use {_URL_FORMS}"
    )


def _sqlite(url: str, netloc: str, path: str, query: str, base_dir: Path) -> dict[str, Any]:
    if netloc not in ("", ":memory:"):
        raise ImproperlyConfigured(
            f"HOTLINE_DATABASE_URL {url!r}: a sqlite URL has no host; use {_URL_FORMS}"
        )
    path = path[1:] if path.startswith("/") else path
    options = dict(SQLITE_OPTIONS)
    for key, value in parse_qsl(query):
        if key != "timeout":
            raise ImproperlyConfigured(f"HOTLINE_DATABASE_URL {url!r}: unknown sqlite option {key!r}")
        options["timeout"] = float(value)
    if netloc == ":memory:" or path in ("", ":memory:"):
        name: str | Path = ":memory:"
    else:
        name = Path(path) if Path(path).is_absolute() else base_dir / path
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": name, "OPTIONS": options}


def _postgres(url: str, parts: SplitResult) -> dict[str, Any]:
    shown = _redact(url)
    name = unquote(parts.path.lstrip("/"))
    if not name or "/" in name:
        raise ImproperlyConfigured(
            f"HOTLINE_DATABASE_URL {shown!r} names no database; use postgres://user@host:port/name"
        )
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured(f"HOTLINE_DATABASE_URL {shown!r}: the port is not a number") from None
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": unquote(parts.hostname or ""),  # empty: the local Unix socket
        "PORT": str(port or ""),
        "CONN_MAX_AGE": POSTGRES_CONN_MAX_AGE,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": dict(parse_qsl(parts.query)),  # libpq parameters: sslmode, connect_timeout…
    }


def database_from_env(environ: Mapping[str, str]) -> dict[str, Any]:
    """The default database: HOTLINE_DATABASE_URL, or the embedded SQLite file."""
    return parse_database_url(environ.get("HOTLINE_DATABASE_URL") or DEFAULT_DATABASE_URL)


def env_bool(environ: Mapping[str, str], name: str, default: bool) -> bool:
    raw = environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name}={raw!r}: use 1/0, true/false, yes/no or on/off")


def env_list(environ: Mapping[str, str], name: str, sep: str) -> list[str]:
    return [item.strip() for item in environ.get(name, "").split(sep) if item.strip()]


_env = os.environ

# --- core -------------------------------------------------------------------------------------
DEBUG = env_bool(_env, "HOTLINE_DEBUG", default=True)
SECRET_KEY = _env.get("HOTLINE_SECRET_KEY") or DEV_SECRET_KEY
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured("HOTLINE_DEBUG is off: set HOTLINE_SECRET_KEY to a long random value")
ALLOWED_HOSTS = env_list(_env, "HOTLINE_ALLOWED_HOSTS", ",")

INSTALLED_APPS = [
    "hotline.admin_site.HotlineAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "hotline.directory",
    "hotline.requesters",
    "hotline.orders",
    "hotline.notify",
    "hotline.supervision",
    "hotline.kb",
    "hotline.assessment",
    "hotline.suggest",
    "hotline.analytics",
    "hotline.early_warning",
    "hotline.web",
]

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"

AUTH_USER_MODEL = "directory.User"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "hotline.urls"
WSGI_APPLICATION = "hotline.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "hotline" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- database ---------------------------------------------------------------------------------
DATABASES = {"default": database_from_env(_env)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- language and time ------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static files -----------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"

# --- the platform -----------------------------------------------------------------------------
HOTLINE_PROFILE = _env.get("HOTLINE_PROFILE", "").strip() or "ziyang"
HOTLINE_CALENDAR_FILES = [Path(p) for p in env_list(_env, "HOTLINE_CALENDAR_FILES", ":")]

MEDIA_ROOT = Path(os.environ.get("HOTLINE_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"

# Attachments (ankang §14: voice, text, image, video): what is accepted and how large
HOTLINE_ATTACHMENT_TYPES = {
    "voice": ["audio/mpeg", "audio/wav", "audio/x-wav", "audio/amr", "audio/ogg", "audio/mp4"],
    "image": ["image/jpeg", "image/png", "image/gif", "image/webp"],
    "video": ["video/mp4", "video/quicktime", "video/webm"],
    "document": ["application/pdf", "text/plain", "application/msword",
                 "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 "application/vnd.ms-excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
}
HOTLINE_ATTACHMENT_MAX_BYTES = int(os.environ.get("HOTLINE_ATTACHMENT_MAX_BYTES", 50 * 1024 * 1024))

# Notifications: dotted paths of backends, tried in order per channel ("*" = any channel)
HOTLINE_NOTIFY_BACKENDS = {"*": os.environ.get("HOTLINE_NOTIFY_BACKEND", "hotline.notify.backends.ConsoleBackend")}
HOTLINE_NOTIFY_FILE = Path(os.environ.get("HOTLINE_NOTIFY_FILE", VAR_DIR / "notifications.log"))

# The tick: how long before a sign or handle deadline the unit is reminded
HOTLINE_REMIND_BEFORE_HOURS = int(os.environ.get("HOTLINE_REMIND_BEFORE_HOURS", 24))

# Repeat detection at intake: how far back and how similar
HOTLINE_REPEAT_WINDOW_DAYS = int(os.environ.get("HOTLINE_REPEAT_WINDOW_DAYS", 30))
HOTLINE_REPEAT_SIMILARITY = float(os.environ.get("HOTLINE_REPEAT_SIMILARITY", 0.5))
