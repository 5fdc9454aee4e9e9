"""``/docs``: the API reference, rendered on the server from the app's ``/openapi.json``.

Works offline: one HTML page with its styles inline, no script and no asset from elsewhere
(FastAPI's default Swagger UI loads its JavaScript and CSS from a CDN). It lists every
operation by tag (method, path, summary, description, ``cal-api-version``, parameters, request
body, answers) and every schema with its properties. Rendered once per app, on first use.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

router = APIRouter(include_in_schema=False)
METHODS = ("get", "post", "put", "patch", "delete")
_REF = "#/components/schemas/"


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """``(METHOD, path, operation)`` of every operation of an OpenAPI ``document``."""
    return [
        (method.upper(), path, op)
        for path, item in document.get("paths", {}).items()
        for method, op in item.items()
        if method in METHODS
    ]


def type_of(schema: dict[str, Any]) -> list[tuple[str, str | None]]:
    """A schema's type as text pieces ``(text, schema name to link or None)``."""
    if "$ref" in schema:
        name = str(schema["$ref"]).removeprefix(_REF)
        return [(name, name)]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            parts: list[tuple[str, str | None]] = []
            for index, sub in enumerate(schema[key]):
                if index:
                    parts.append((" and " if key == "allOf" else " or ", None))
                parts.extend(type_of(sub))
            return parts
    if schema.get("type") == "array":
        return [("array of ", None), *type_of(schema.get("items") or {})]
    if "enum" in schema:
        return [("one of " + ", ".join(str(v) for v in schema["enum"]), None)]
    if "const" in schema:
        return [(f"{schema['const']}", None)]
    text = str(schema.get("type") or "any")
    if schema.get("format"):
        text += f" ({schema['format']})"
    return [(text, None)]


def properties(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of a schema's property table: name, type pieces, required, description."""
    required = set(schema.get("required") or ())
    return [
        {
            "name": name,
            "type": type_of(prop),
            "required": name in required,
            "description": prop.get("description") or "",
        }
        for name, prop in (schema.get("properties") or {}).items()
    ]


def _body_schema(op: dict[str, Any]) -> dict[str, Any] | None:
    content = (op.get("requestBody") or {}).get("content") or {}
    media = content.get("application/json") or next(iter(content.values()), None)
    return (media or {}).get("schema")


def _answers(op: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for status, answer in (op.get("responses") or {}).items():
        media = (answer.get("content") or {}).get("application/json") or {}
        schema = media.get("schema")
        rows.append(
            {
                "status": status,
                "description": answer.get("description") or "",
                "type": type_of(schema) if schema else [],
            }
        )
    return rows


def reference_context(document: dict[str, Any]) -> dict[str, Any]:
    """What the template shows: the info, operations grouped by their first tag, schemas."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for method, path, op in operations(document):
        params = op.get("parameters") or []
        version = next((p for p in params if p.get("name") == "cal-api-version"), None)
        body = _body_schema(op)
        tag = (op.get("tags") or ["Other"])[0]
        groups.setdefault(tag, []).append(
            {
                "id": op.get("operationId") or f"{method}-{path}",
                "method": method,
                "path": path,
                "summary": op.get("summary") or "",
                "description": op.get("description") or "",
                "version": version,
                "parameters": [
                    {
                        "name": p.get("name", ""),
                        "in": p.get("in", ""),
                        "required": bool(p.get("required")),
                        "description": p.get("description") or "",
                        "type": type_of(p.get("schema") or {}),
                    }
                    for p in params
                    if p is not version
                ],
                "body": type_of(body) if body else None,
                "answers": _answers(op),
            }
        )
    schemas = document.get("components", {}).get("schemas", {})
    return {
        "info": document.get("info", {}),
        "count": sum(len(ops) for ops in groups.values()),
        "groups": groups,
        "schemas": [
            {
                "name": name,
                "description": schema.get("description") or "",
                "properties": properties(schema),
                "type": type_of(schema) if "properties" not in schema else [],
            }
            for name, schema in sorted(schemas.items())
        ],
    }


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("slotwise.pages", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_reference(document: dict[str, Any]) -> str:
    """The API reference page of an OpenAPI ``document`` as HTML."""
    template = _environment().get_template("api_reference.html")
    return template.render(**reference_context(document))


@router.get("/docs")
async def api_reference(request: Request) -> HTMLResponse:
    """The API reference of this server (see the module docstring)."""
    state = request.app.state
    if getattr(state, "api_reference_html", None) is None:
        state.api_reference_html = render_reference(request.app.openapi())
    return HTMLResponse(state.api_reference_html)
