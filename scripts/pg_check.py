"""Is the PostgreSQL server of a database URL reachable?  python scripts/pg_check.py URL

Prints where it looked (host:port/database, never the password) and, when it failed, why.
Exit status 0: a connection was made; 1: it was not.
"""

import sys
from urllib.parse import urlsplit

import psycopg


def main(url: str) -> int:
    parts = urlsplit(url)
    try:
        port = parts.port or 5432
    except ValueError:
        port = "?"
    where = f"{parts.hostname or 'local socket'}:{port}/{parts.path.lstrip('/')}"
    try:
        with psycopg.connect(url, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:  # every way of not reaching it means the same here
        lines = str(exc).strip().splitlines()
        reason = lines[0].rsplit("failed: ", 1)[-1].strip() if lines else type(exc).__name__
        print(f"{where} ({reason})")
        return 1
    print(where)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
