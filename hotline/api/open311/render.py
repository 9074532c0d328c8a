"""Open311 bodies in JSON or XML, and the spec's error format.

JSON: the records as a list (``[{...}]``). XML: the same records under the spec's element names, built
with ``xml.etree`` (text escaped by it), preceded by the XML declaration with ``encoding="UTF-8"``.
Errors: ``[{"code": 403, "description": "…"}]`` / ``<errors><error><code>403</code>…``.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import Any

from django.http import HttpResponse

from hotline.rules.errors import RuleError

FORMATS = ("json", "xml")
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'

# characters XML 1.0 cannot hold at all, even escaped
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class Open311Error(Exception):
    """An error answered in the spec's format: HTTP status, and a description in Chinese then English."""

    def __init__(self, status: int, zh: str, en: str) -> None:
        self.status = status
        self.description = f"{zh} / {en}"
        super().__init__(self.description)

    @classmethod
    def from_rule(cls, status: int, exc: RuleError) -> Open311Error:
        return cls(status, exc.message_zh, exc.message_en)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def to_xml(root: str, item: str, records: Sequence[Mapping[str, Any]]) -> str:
    """``<root><item><field>…</field>…</item>…</root>`` with the declaration; nested lists become elements."""
    tree = ET.Element(root)
    for record in records:
        _fill(ET.SubElement(tree, item), record)
    return XML_DECLARATION + ET.tostring(tree, encoding="unicode")


def _fill(element: ET.Element, record: Mapping[str, Any]) -> None:
    for name, value in record.items():
        child = ET.SubElement(element, name)
        if isinstance(value, Mapping):
            _fill(child, value)
        elif isinstance(value, list):
            for entry in value:
                _fill(ET.SubElement(child, name.rstrip("s") or name), entry)
        else:
            child.text = _text(value)


def respond(fmt: str, records: Sequence[Mapping[str, Any]], *, root: str, item: str, status: int = 200,
            single: bool = False) -> HttpResponse:
    """The records in ``fmt``; ``single``: one record (the service definition), not a list."""
    if fmt == "xml":
        if single:
            tree = ET.Element(root)
            _fill(tree, records[0])
            body = XML_DECLARATION + ET.tostring(tree, encoding="unicode")
        else:
            body = to_xml(root, item, records)
    else:
        body = json.dumps(records[0] if single else list(records), ensure_ascii=False)
    return HttpResponse(body.encode("utf-8"), status=status, content_type=CONTENT_TYPES.get(fmt, CONTENT_TYPES["json"]))


def error_response(fmt: str, error: Open311Error) -> HttpResponse:
    records = [{"code": error.status, "description": error.description}]
    return respond(fmt if fmt in FORMATS else "json", records, root="errors", item="error", status=error.status)
