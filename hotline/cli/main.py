"""The ``hotline`` command.

Rulebook commands (``profiles``, ``profile show``, ``deadline``, ``bench deadlines``) use the pure
engine and start instantly; platform commands (``demo``, ``tick``, ``worker``, ``bench lifecycle``…)
are Django management commands, reached through the same entry point.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from hotline.cli import rules_commands

#: sub-commands served by the pure engine, without starting Django
ENGINE_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hotline",
        description="12345 热线平台 / the 12345 hotline platform. Platform commands (demo, tick, worker, …) "
                    "are Django management commands: `hotline COMMAND --help`.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    rules_commands.register(sub)
    return parser


def _run_django(argv: Sequence[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["hotline", *argv])
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if args_list and args_list[0] not in rules_commands.NAMES and not args_list[0].startswith("-"):
        return _run_django(args_list)
    args = parser.parse_args(args_list)
    handler: Callable[[argparse.Namespace], int] | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 0
    return handler(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
