"""Base pydantic models for request bodies: unknown properties are refused (400, named)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class StrictInput(BaseModel):
    """A request body: unknown properties are an error naming them, as Cal.com's whitelist."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
