"""The benchmark's server: the platform as it is, with ``bench.platform_fixes`` applied.

- ``python -m bench.serve 127.0.0.1:PORT``: Django's ``runserver --noreload`` (threaded);
- ``gunicorn bench.serve:application``: the platform's WSGI application.

The fixes applied are written to stderr (the server's log).
"""

from __future__ import annotations

import os
import sys
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")


def _fixed() -> list[str]:
    import django

    django.setup()
    from bench import platform_fixes

    applied = platform_fixes.apply()
    for line in applied:
        print(f"bench: platform fix applied: {line}", file=sys.stderr, flush=True)
    return applied


def main(argv: list[str]) -> int:
    _fixed()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["hotline", "runserver", "--noreload", *argv])
    return 0


def __getattr__(name: str) -> Any:   # gunicorn bench.serve:application
    if name == "application":
        from django.core.wsgi import get_wsgi_application

        app = get_wsgi_application()
        _fixed()
        return app
    raise AttributeError(name)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
