"""Tools with many optional fields (event types) get their signature built from a table, so the
MCP SDK derives the JSON schema from it like from a hand-written signature."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping
from typing import Annotated, Any, cast

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult
from pydantic import Field

FieldSpec = tuple[Any, str]
ToolImpl = Callable[..., Awaitable[CallToolResult]]


def with_fields(
    impl: ToolImpl,
    name: str,
    description: str,
    *,
    required: Mapping[str, FieldSpec],
    optional: Mapping[str, FieldSpec],
) -> ToolImpl:
    """A tool function named ``name`` taking ``ctx`` plus keyword arguments: each ``required``
    entry ``arg: (type, description)`` must be given, each ``optional`` one defaults to None.
    It calls ``impl(ctx, **arguments)``; ``description`` becomes its docstring."""

    async def tool(ctx: Context, **arguments: Any) -> CallToolResult:
        return await impl(ctx, **arguments)

    params = [inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Context)]
    annotations: dict[str, Any] = {"ctx": Context, "return": CallToolResult}
    for arg, (kind, text) in required.items():
        hint = cast(Any, Annotated)[kind, Field(description=text)]
        params.append(inspect.Parameter(arg, inspect.Parameter.KEYWORD_ONLY, annotation=hint))
        annotations[arg] = hint
    for arg, (kind, text) in optional.items():
        hint = cast(Any, Annotated)[kind | None, Field(description=text)]
        params.append(
            inspect.Parameter(arg, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=hint)
        )
        annotations[arg] = hint
    tool.__name__ = tool.__qualname__ = name
    tool.__doc__ = description
    tool.__signature__ = inspect.Signature(params, return_annotation=CallToolResult)  # type: ignore[attr-defined]
    tool.__annotations__ = annotations
    return tool
