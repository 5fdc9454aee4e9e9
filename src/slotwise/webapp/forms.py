"""Form handling of the web app: CSRF-checked form data, writes that fail cleanly, and the
services' errors shown beside the fields.

Every POST of the app reads its body through :func:`checked_form`: without the right
``csrf_token`` it answers 403 (:class:`CsrfRefused`, rendered by ``install_webapp``) before
anything is written. A write goes through :func:`attempt`: the services run inside a
SAVEPOINT, so a refused change (a :class:`~slotwise.kit.errors.SlotwiseError` or pydantic
``ValidationError``, the same rules and messages as the API) leaves nothing behind and the
page is rendered again with the message, while the request's own transaction stays usable.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from fastapi import Request
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData

from slotwise.kit.errors import SlotwiseError
from slotwise.kit.websession import CSRF_FIELD, tokens_match

T = TypeVar("T")


class CsrfRefused(Exception):
    """A form post without a valid CSRF token (answered 403, nothing changed)."""


async def checked_form(request: Request, expected_token: str) -> FormData:
    """The posted form of ``request``; raises :class:`CsrfRefused` unless its ``csrf_token``
    field equals ``expected_token`` (the session's, or the anonymous cookie's)."""
    form = await request.form()
    given = form.get(CSRF_FIELD)
    if not isinstance(given, str) or not tokens_match(expected_token, given):
        raise CsrfRefused()
    return form


@dataclass
class FormErrors:
    """What went wrong with a submitted form: ``fields`` maps a field name to its message,
    ``general`` holds messages not tied to one field (a service's refusal)."""

    fields: dict[str, str] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.fields or self.general)

    def add(self, name: str | None, message: str) -> None:
        """Record ``message`` for field ``name`` (general when None); the first one wins."""
        if name is None:
            self.general.append(message)
        else:
            self.fields.setdefault(name, message)


def validation_errors(exc: ValidationError, aliases: dict[str, str] | None = None) -> FormErrors:
    """A pydantic ``ValidationError`` as :class:`FormErrors`: each error under the dotted path of
    its location (``availability.0.startTime``), renamed through ``aliases`` (a location's first
    element → form field) when given."""
    errors = FormErrors()
    for error in exc.errors():
        loc = [str(part) for part in error.get("loc", ())]
        name = ".".join(loc) if loc else None
        if aliases and loc and loc[0] in aliases:
            name = aliases[loc[0]]
        message = str(error.get("msg", "Invalid value"))
        message = message.removeprefix("Value error, ")
        errors.add(name, message)
    return errors


async def attempt(
    session: AsyncSession,
    action: Callable[[], Awaitable[T]],
    aliases: dict[str, str] | None = None,
) -> tuple[T | None, FormErrors]:
    """Run ``action`` (a service call) in a SAVEPOINT of the request's transaction.

    Returns ``(result, FormErrors())`` on success; on a :class:`SlotwiseError` or a pydantic
    ``ValidationError`` the savepoint is rolled back and ``(None, errors)`` says why (a
    SlotwiseError's ``details`` naming fields go beside them). Other exceptions propagate.
    """
    errors = FormErrors()
    savepoint = await session.begin_nested()
    try:
        result = await action()
    except ValidationError as exc:
        await savepoint.rollback()
        return None, validation_errors(exc, aliases)
    except SlotwiseError as exc:
        await savepoint.rollback()
        errors.add(None, exc.message)
        return None, errors
    await savepoint.commit()
    return result, errors


def text(form: FormData, name: str, default: str = "") -> str:
    """Field ``name`` of ``form`` as stripped text (``default`` when absent or a file)."""
    value = form.get(name)
    return value.strip() if isinstance(value, str) else default


def optional_text(form: FormData, name: str) -> str | None:
    """Field ``name`` as stripped text, None when absent or empty."""
    return text(form, name) or None


def checkbox(form: FormData, name: str) -> bool:
    """True when checkbox ``name`` was ticked (present with any value but ``false``/``0``)."""
    value = form.get(name)
    return isinstance(value, str) and value.lower() not in ("", "false", "0", "off")


def as_dict(form: FormData) -> dict[str, Any]:
    """The text fields of ``form`` (the last value of repeated names), the CSRF field left
    out: to render a refused form again with what the user typed."""
    return {k: v for k, v in form.items() if isinstance(v, str) and k != CSRF_FIELD}
