"""Cal.com's agent tool kit over the SDK: each of the 141 connector actions (slug, description,
JSON Schema of its inputs) as a tool, executed as the API v2 call it maps to.

>>> from slotwise.toolkit import Toolkit
>>> kit = Toolkit(base_url="http://127.0.0.1:8000", api_key="cal_live_...")  # doctest: +SKIP
>>> kit.execute("CAL_GET_MY_INFORMATION", {})  # doctest: +SKIP
{'successful': True, 'data': {...}, 'error': None}

See docs/toolkit.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

from slotwise.client import AsyncClient, Client
from slotwise.toolkit.catalog import Action, Input, actions
from slotwise.toolkit.execute import Result, aexecute, build_request, execute

Format = Literal["openai", "anthropic"]

__all__ = [
    "Action",
    "AsyncToolkit",
    "Format",
    "Input",
    "Result",
    "Toolkit",
    "actions",
    "anthropic_tools",
    "build_request",
    "openai_tools",
    "tool_definitions",
]


def openai_tools(items: Iterable[Action]) -> list[dict[str, Any]]:
    """OpenAI function tools: ``{"type": "function", "function": {name, description,
    parameters}}`` with the slug as the name."""
    return [
        {
            "type": "function",
            "function": {
                "name": a.slug,
                "description": a.description,
                "parameters": a.input_schema(),
            },
        }
        for a in items
    ]


def anthropic_tools(items: Iterable[Action]) -> list[dict[str, Any]]:
    """Anthropic tools: ``{name, description, input_schema}`` with the slug as the name."""
    return [
        {"name": a.slug, "description": a.description, "input_schema": a.input_schema()}
        for a in items
    ]


def tool_definitions(fmt: Format, items: Iterable[Action] | None = None) -> list[dict[str, Any]]:
    """Tool definitions of ``items`` (default: every action) in ``fmt``."""
    chosen = list(actions().values()) if items is None else list(items)
    return openai_tools(chosen) if fmt == "openai" else anthropic_tools(chosen)


class Toolkit:
    """The actions, executed through a :class:`~slotwise.client.Client` (given, or made from
    ``base_url``/``api_key``). ``execute(slug, arguments)`` returns the connector's
    ``{"successful", "data", "error"}`` and never raises for API or argument errors."""

    def __init__(
        self,
        client: Client | None = None,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
    ) -> None:
        self.client = client or Client(base_url, api_key=api_key)

    @property
    def actions(self) -> dict[str, Action]:
        """Every action by slug."""
        return actions()

    def tools(self, fmt: Format = "openai") -> list[dict[str, Any]]:
        """Every action as a tool definition in ``fmt``."""
        return tool_definitions(fmt)

    def execute(self, slug: str, arguments: Mapping[str, Any] | None = None) -> Result:
        """Perform action ``slug`` with ``arguments``."""
        return execute(self.client, slug, arguments)

    def close(self) -> None:
        """Close the client's connections."""
        self.client.close()

    def __enter__(self) -> Toolkit:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncToolkit:
    """:class:`Toolkit` over an :class:`~slotwise.client.AsyncClient`."""

    def __init__(
        self,
        client: AsyncClient | None = None,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
    ) -> None:
        self.client = client or AsyncClient(base_url, api_key=api_key)

    @property
    def actions(self) -> dict[str, Action]:
        """Every action by slug."""
        return actions()

    def tools(self, fmt: Format = "openai") -> list[dict[str, Any]]:
        """Every action as a tool definition in ``fmt``."""
        return tool_definitions(fmt)

    async def execute(self, slug: str, arguments: Mapping[str, Any] | None = None) -> Result:
        """Perform action ``slug`` with ``arguments``."""
        return await aexecute(self.client, slug, arguments)

    async def aclose(self) -> None:
        """Close the client's connections."""
        await self.client.aclose()

    async def __aenter__(self) -> AsyncToolkit:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
