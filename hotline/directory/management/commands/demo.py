"""``hotline demo``: load the demo city and a few hundred orders in every state of its rulebook."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from hotline.demo import DEFAULT_ORDERS, DEMO_PASSWORD, demo_load, login_names, orders_exist
from hotline.rules.errors import RuleError
from hotline.rules.order import State


class Command(BaseCommand):
    help = ("载入演示数据：示例市的单位、用户和数百个处于各种状态的工单 / load the demo city (units, users for every "
            "role, password demo12345) and orders in every state its rulebook can reach")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--profile", help=f"the rulebook (default: settings.HOTLINE_PROFILE = {settings.HOTLINE_PROFILE})")
        parser.add_argument("--orders", type=int, default=DEFAULT_ORDERS,
                            help=f"how many orders (default {DEFAULT_ORDERS}); above 2,000 most are bulk copies")
        parser.add_argument("--templates", type=int, default=None,
                            help="above 2,000 orders: how many are made through the services, the rest being "
                                 "bulk copies of them (default max(300, orders/40), at most 2,000)")
        parser.add_argument("--if-empty", action="store_true", help="do nothing when the database already holds orders")
        parser.add_argument("--seed", type=int, default=12345, help="random seed (same seed, same data)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and orders_exist():
            self.stdout.write("数据库中已有工单，未载入演示数据 / orders exist already: demo data not loaded")
            return
        if options["orders"] < 0:
            raise CommandError("--orders 不能为负数 / --orders cannot be negative")
        try:
            result = demo_load(orders=options["orders"], profile=options["profile"], seed=options["seed"],
                               templates=options["templates"],
                               progress=lambda line: self.stdout.write(f"  {line}"))
        except RuleError as exc:
            raise CommandError(f"{exc.message_zh} / {exc.message_en}") from exc
        out = self.stdout.write
        out(self.style.SUCCESS(f"演示数据已载入 / demo data loaded: profile {result.profile}, {result.orders} orders "
                               f"({result.copies} of them bulk copies) in {result.seconds:.1f} s"))
        out("工单状态 / orders by state (made through the services):")
        for state, count in sorted(result.by_state.items(), key=lambda item: -item[1]):
            out(f"  {State(state).zh:8}{state:30}{count:5}")
        if result.stopped_early:
            out(f"  ({result.stopped_early} orders stopped before their planned end: a later step would have "
                "fallen after now or was refused by a rule)")
            for reason, count in result.refusals.most_common():
                out(f"    refused: {reason} × {count}")
        from django.apps import apps

        if apps.is_installed("hotline.kb"):   # the demo city's knowledge base, so intake and the portal can answer
            from hotline.kb.demo import kb_demo_load

            loaded = kb_demo_load()
            out(f"知识库 / knowledge base: {loaded.created} entries published, {loaded.synonyms} synonym groups")
        names = login_names()
        units = [n for n in names if n.endswith(("-handler", "-leader"))]
        out(f"登录 / log in at http://127.0.0.1:8000/ with password {DEMO_PASSWORD}:")
        out("  " + ", ".join(n for n in names if n not in units))
        out("  " + ", ".join(units[:8]) + f", … ({len(units)} unit accounts: <unit code>-handler / -leader)")
