"""Custom payload templates: ``{{variable}}`` placeholders with dotted paths.

``{{title}}``, ``{{organizer.name}}``, ``{{attendees.0.name}}``, ``{{triggerEvent}}`` … are
looked up in the event's payload plus ``triggerEvent`` and ``createdAt`` (Cal.com's variable
list). As in Cal.com, a template that is JSON is sent as ``application/json`` and any other
template as ``application/x-www-form-urlencoded`` text.

Rendering differs from Cal.com's Handlebars in two deliberate ways (docs/compatibility.md):
values are inserted into JSON templates JSON-escaped (a name with a quote keeps the body valid
JSON, where Cal.com would send ``false``), and nothing is HTML-escaped. A missing variable
renders as an empty string; numbers and booleans render as text (``"{{length}}"`` → ``"30"``,
as Cal.com); a placeholder that is a whole JSON string value and names an object or a list
inserts that JSON value (Cal.com would print ``[object Object]``).
"""

from __future__ import annotations

import json
import re
from typing import Any

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_$.\-]+)\s*\}\}")
_MISSING = object()


def lookup(variables: dict[str, Any], path: str) -> Any:
    """The value at dotted ``path`` (list items by index), or a sentinel when missing."""
    value: Any = variables
    for part in path.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return _MISSING
    return value


def _text(value: Any) -> str:
    if value is _MISSING or value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def render_text(template: str, variables: dict[str, Any]) -> str:
    """Replace every placeholder of ``template`` by its value as text."""
    return PLACEHOLDER.sub(lambda m: _text(lookup(variables, m.group(1))), template)


def _render_json(node: Any, variables: dict[str, Any]) -> Any:
    if isinstance(node, str):
        whole = PLACEHOLDER.fullmatch(node.strip())
        if whole is not None:
            value = lookup(variables, whole.group(1))
            if isinstance(value, dict | list):
                return value
        return render_text(node, variables)
    if isinstance(node, list):
        return [_render_json(item, variables) for item in node]
    if isinstance(node, dict):
        return {render_text(k, variables): _render_json(v, variables) for k, v in node.items()}
    return node


def render(template: str, variables: dict[str, Any]) -> tuple[str, str]:
    """``(content_type, body)`` of ``template`` rendered with ``variables``."""
    try:
        parsed = json.loads(template)
    except ValueError:
        return "application/x-www-form-urlencoded", render_text(template, variables)
    return "application/json", json.dumps(_render_json(parsed, variables))
