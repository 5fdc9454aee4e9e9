"""Cal.com's reference schemas for shape tests, read from the SDK's generated models.

``slotwise.client.models_generated`` is generated from Cal.com's OpenAPI file by
scripts/gen_client_models.py (and checked against it in CI), so tests need no copy of the file.
"""

from __future__ import annotations

import typing

from slotwise.client import models_generated


def required_props(name: str) -> list[str]:
    """The required properties of the reference schema ``name``, sorted."""
    hints = typing.get_type_hints(getattr(models_generated, name), include_extras=True)
    return sorted(k for k, v in hints.items() if typing.get_origin(v) is typing.Required)
