"""``hotline token create --user NAME [--name PURPOSE]`` / ``hotline token revoke PREFIX`` / ``hotline token list``."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hotline.directory.models import ApiToken, User
from hotline.directory.tokens import token_create, token_revoke
from hotline.rules.errors import RuleError


class Command(BaseCommand):
    help = "API 令牌：创建（密钥只显示一次）、吊销、列出 / API tokens: create (the key is shown once), revoke, list"

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", metavar="{create,revoke,list}")
        sub.required = True
        create = sub.add_parser("create", help="create a token for a user and print its key once")
        create.add_argument("--user", required=True, help="the username the token acts as")
        create.add_argument("--name", default="", help="what the token is for (e.g. 'open311 gateway')")
        revoke = sub.add_parser("revoke", help="revoke the token whose key starts with PREFIX")
        revoke.add_argument("prefix", help="the token's 8-character prefix (as `token list` shows it)")
        listing = sub.add_parser("list", help="list the tokens (prefix, user, purpose, last use), never the keys")
        listing.add_argument("--user", default="", help="only this user's tokens")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            {"create": self._create, "revoke": self._revoke, "list": self._list}[options["subcommand"]](options)
        except RuleError as exc:
            raise CommandError(str(exc)) from None

    def _create(self, options: dict[str, Any]) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"用户 {options['user']} 不存在 / no user named {options['user']!r}")
        token, key = token_create(user=user, name=options["name"])
        self.stdout.write(key)
        self.stderr.write(f"令牌 {token.prefix}… 已为 {user.username} 创建；密钥只显示这一次，请妥善保存。\n"
                          f"token {token.prefix}… created for {user.username}; the key above is shown only once.")

    def _revoke(self, options: dict[str, Any]) -> None:
        token = token_revoke(prefix=options["prefix"])
        self.stdout.write(f"令牌 {token.prefix}…（{token.name}，{token.user.username}）已吊销 / revoked")

    def _list(self, options: dict[str, Any]) -> None:
        tokens = ApiToken.objects.select_related("user").order_by("user__username", "created_at")
        if options["user"]:
            tokens = tokens.filter(user__username=options["user"])
        for token in tokens:
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
            state = "revoked" if token.revoked else "live"
            self.stdout.write(f"{token.prefix}  {token.user.username:<20} {state:<8} last used {used:<16} {token.name}")
