"""The rulebook engine: pure Python, no Django.

- :mod:`~hotline.rules.calendar` — working days (调休 included), office hours, provisional years
- :mod:`~hotline.rules.profiles` — one TOML per rulebook, validated, with citations
- :mod:`~hotline.rules.lifecycle` — THE table: state × action → roles, guards, next state, effects
- :mod:`~hotline.rules.deadlines` — due times with their traces
- :mod:`~hotline.rules.errors` — one exception tree
"""

from hotline.rules.errors import (
    ActionNotAllowed,
    ActionRefused,
    CalendarFileError,
    ConfigError,
    GuardRefused,
    InvalidInput,
    LimitNotDefined,
    ProfileError,
    RoleNotAllowed,
    RuleError,
)
from hotline.rules.periods import Period, Unit
from hotline.rules.vocabulary import (
    AppealType,
    DeadlineKind,
    Evaluation,
    ReplyElement,
    ReturnRequirement,
    Role,
    Urgency,
)

__all__ = [
    "ActionNotAllowed", "ActionRefused", "AppealType", "CalendarFileError", "ConfigError", "DeadlineKind",
    "Evaluation", "GuardRefused", "InvalidInput", "LimitNotDefined", "Period", "ProfileError", "ReplyElement",
    "ReturnRequirement", "Role", "RoleNotAllowed", "RuleError", "Unit", "Urgency",
]
