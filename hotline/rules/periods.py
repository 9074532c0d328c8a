"""Periods as the rulebooks write them: ``7wd`` (working days), ``5wh`` (working hours), ``2h`` (clock hours)."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from hotline.rules.errors import InvalidInput


class Unit(enum.StrEnum):
    WORKING_DAYS = "wd"
    WORKING_HOURS = "wh"
    HOURS = "h"

    @property
    def label_zh(self) -> str:
        return {"wd": "个工作日", "wh": "个工作小时", "h": "小时"}[self.value]

    @property
    def label_en(self) -> str:
        return {"wd": "working days", "wh": "working hours", "h": "hours"}[self.value]


_PERIOD = re.compile(r"^\s*(\d+)\s*(wd|wh|h)\s*$")


@dataclass(frozen=True, order=True)
class Period:
    amount: int
    unit: Unit

    @classmethod
    def parse(cls, text: str) -> Period:
        match = _PERIOD.match(text)
        if match is None:
            raise InvalidInput(f"时限 {text!r} 格式不对，应写成 7wd（工作日）、5wh（工作小时）或 2h（小时）",
                               f"period {text!r} is malformed: write 7wd (working days), 5wh (working hours) "
                               "or 2h (clock hours)")
        return cls(int(match.group(1)), Unit(match.group(2)))

    def __str__(self) -> str:
        return f"{self.amount}{self.unit.value}"

    @property
    def zh(self) -> str:
        return f"{self.amount}{self.unit.label_zh}"

    @property
    def en(self) -> str:
        return f"{self.amount} {self.unit.label_en}"

    def __mul__(self, factor: int) -> Period:
        return Period(self.amount * factor, self.unit)
