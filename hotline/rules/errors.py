"""One exception tree for the rulebook engine.

Every error a person may see carries a stable ``code``, a Chinese and an English message, and,
when a rule of a rulebook refused something, the ``article`` it comes from (``ziyang §13(3)``).

::

    RuleError                      base: code, message_zh, message_en, article
    ├── ActionRefused              the lifecycle refused an action
    │   ├── ActionNotAllowed       no row of the table for (state, action)
    │   ├── RoleNotAllowed         the row exists, the actor's role may not take it
    │   └── GuardRefused           a rule of the profile refused it (always has an article)
    ├── LimitNotDefined            the profile defines no limit for this step
    ├── InvalidInput               a value given by a caller is malformed
    ├── NotFound                   (platform) no such thing, or not one the caller may see
    ├── Forbidden                  (platform) the caller's role may not do this at all
    ├── Conflict                   (platform) someone else changed it first; reload and retry
    └── ConfigError                a configuration file is invalid
        ├── ProfileError           a policy profile: file, key, why
        └── CalendarFileError      a working-calendar file: file, line, why
"""

from __future__ import annotations


class RuleError(Exception):
    """Base of every error of the rulebook engine."""

    code: str = "rule_error"

    def __init__(self, message_zh: str, message_en: str, *, article: str | None = None,
                 code: str | None = None) -> None:
        self.message_zh = message_zh
        self.message_en = message_en
        self.article = article
        if code is not None:
            self.code = code
        super().__init__(self.message_en)

    def __str__(self) -> str:
        return f"{self.message_zh} / {self.message_en}"

    def as_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "message_zh": self.message_zh, "message_en": self.message_en,
                "article": self.article}


class ActionRefused(RuleError):
    code = "action_refused"


class ActionNotAllowed(ActionRefused):
    code = "action_not_allowed"


class RoleNotAllowed(ActionRefused):
    code = "role_not_allowed"


class GuardRefused(ActionRefused):
    """A rule of the profile refused the action; ``article`` is always set."""

    code = "rule_refused"

    def __init__(self, message_zh: str, message_en: str, *, article: str, code: str | None = None) -> None:
        super().__init__(message_zh, message_en, article=article, code=code)


class LimitNotDefined(RuleError):
    code = "limit_not_defined"


class InvalidInput(RuleError):
    code = "invalid_input"


class NotFound(RuleError):
    code = "not_found"


class Forbidden(RuleError):
    code = "forbidden"


class Conflict(RuleError):
    code = "conflict"


class ConfigError(RuleError):
    code = "config_error"


class ProfileError(ConfigError):
    """A policy profile is invalid: names the file, the key and why."""

    code = "profile_invalid"

    def __init__(self, file: str, key: str, reason: str) -> None:
        self.file = file
        self.key = key
        self.reason = reason
        super().__init__(f"配置文件 {file} 的 {key} 无效：{reason}",
                         f"{file}: {key}: {reason}")


class CalendarFileError(ConfigError):
    """A working-calendar file is invalid: names the file, the line and why."""

    code = "calendar_file_invalid"

    def __init__(self, file: str, line: int | None, reason: str) -> None:
        self.file = file
        self.line = line
        self.reason = reason
        where = f"{file}:{line}" if line is not None else file
        super().__init__(f"日历文件 {where} 无效：{reason}", f"{where}: {reason}")
