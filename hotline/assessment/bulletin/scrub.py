"""Personal data out of text that is published (bulletin cases, the public disclosure page).

What goes, whatever the text says:
- mobile numbers (11 digits starting 1[3-9], also written 138-0000-0001 or with spaces), landlines
  (0xx-xxxxxxx), ID card numbers (18 digits with an X check digit, or the old 15 digits), e-mail addresses;
- house numbers in addresses (12号, 3栋, 2单元, 501室, 5号楼…);
- the names the caller passes (the requester's own name, and their phone and ID as stored, however
  the text spells them).
An address is cut back to its road: everything from its first number on is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MASK = "＊＊"

_DIGIT = r"[0-9０-９]"
_SEP = r"[\s\-－—]?"
#: ID numbers first (they contain 11-digit runs), then mobiles, landlines, e-mail
_ID = re.compile(rf"(?<![0-9０-９])(?:{_DIGIT}{{17}}[0-9０-９Xx]|{_DIGIT}{{15}})(?![0-9０-９Xx])")
_MOBILE = re.compile(rf"(?<![0-9０-９])(?:\+?86{_SEP})?[1１][3-9３-９]{_DIGIT}{_SEP}{_DIGIT}{{4}}{_SEP}{_DIGIT}{{4}}(?![0-9０-９])")
_LANDLINE = re.compile(rf"(?<![0-9０-９])[0０]{_DIGIT}{{2,3}}{_SEP}{_DIGIT}{{7,8}}(?![0-9０-９])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HOUSE = re.compile(rf"(?:{_DIGIT}+|[一二三四五六七八九十百零〇两]+)\s*(?:号楼|号院|号|栋|幢|单元|室|楼|层|弄|户)")
_ADDRESS_CUT = re.compile(rf"(?:{_DIGIT}|[一二三四五六七八九十百零〇两]+\s*(?:号|栋|幢|单元|室|弄))")


def _loose(text: str) -> re.Pattern[str]:
    """``text`` allowing spaces or dashes between its characters (a phone written 138 0000 0001)."""
    return re.compile(r"[\s\-－—]*".join(re.escape(ch) for ch in text))


def scrub_text(text: str, *, names: Iterable[str] = (), numbers: Iterable[str] = ()) -> str:
    """``text`` with phone numbers, ID numbers, e-mail, house numbers and the given names and numbers removed."""
    if not text:
        return ""
    out = text
    for number in numbers:
        digits = number.strip()
        if len(digits) >= 5:
            out = _loose(digits).sub(MASK, out)
    out = _ID.sub(MASK, out)
    out = _MOBILE.sub(MASK, out)
    out = _LANDLINE.sub(MASK, out)
    out = _EMAIL.sub(MASK, out)
    out = _HOUSE.sub(MASK, out)
    for name in sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True):
        out = out.replace(name, "某某")
        if len(name) >= 2 and len(name) <= 4:
            # a surname with a form of address: 张先生, 张女士, 老张 are the requester too
            surname = name[0]
            out = re.sub(rf"{re.escape(surname)}(?=先生|女士|师傅|阿姨|大爷|老师)", "某", out)
            out = re.sub(rf"(?<=[老小]){re.escape(surname)}", "某", out)
    return out


def public_address(address: str) -> str:
    """An address without its house number: cut at the first number (巴山东路12号3栋 → 巴山东路)."""
    match = _ADDRESS_CUT.search(address or "")
    kept = address[: match.start()] if match else (address or "")
    return kept.strip(" ,，、-")
