"""Settings of the web app: the settings navigation, and the profile, general and appearance
pages.

- ``/app/settings/profile``: name, username, bio (PATCH /v2/me's service; the username through
  :func:`slotwise.users.service.change_username`); the avatar on its own routes
  ``POST /app/settings/profile/avatar`` (multipart, up to 5 MB, :mod:`slotwise.users.avatars`)
  and ``POST /app/settings/profile/avatar/remove``; avatar files are served at
  ``/avatars/{file}``;
- ``/app/settings/general``: time zone, week start, time format, language;
- ``/app/settings/appearance``: theme and brand colours, kept in the user's metadata
  (``theme``, ``brandColor``, ``darkBrandColor``), which the public pages read.

The other settings pages have their own modules (``settings_*``); every one renders through
:func:`render_settings`.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.types import Message

from slotwise.kit.errors import BadRequest
from slotwise.kit.session import DbSession, get_settings
from slotwise.kit.timezones import all_time_zones
from slotwise.me.schemas import UpdateMeInput
from slotwise.me.service import update_profile
from slotwise.pages.i18n import N_
from slotwise.pages.render import hex_colour
from slotwise.users import avatars
from slotwise.users.service import UserError, change_username, username_refusal
from slotwise.webapp.context import FLASH, AppSession, AppUser, app_context, render_app
from slotwise.webapp.forms import FormErrors, as_dict, attempt, checked_form, text

router = APIRouter(include_in_schema=False)

SETTINGS_NAV: tuple[tuple[str, str, str], ...] = (
    ("profile", N_("Profile"), "/app/settings/profile"),
    ("general", N_("General"), "/app/settings/general"),
    ("appearance", N_("Appearance"), "/app/settings/appearance"),
    ("out-of-office", N_("Out of office"), "/app/settings/out-of-office"),
    ("calendars", N_("Calendars"), "/app/settings/calendars"),
    ("webhooks", N_("Webhooks"), "/app/settings/webhooks"),
    ("api-keys", N_("API keys"), "/app/settings/api-keys"),
)
"""The settings pages: (key, label, URL), in the order of the settings navigation."""

FLASH.update(
    {
        "avatar-saved": N_("Your new picture is saved"),
        "avatar-removed": N_("Your picture is removed"),
        "revoked": N_("The key is revoked"),
    }
)

WEEK_DAYS = (
    ("Sunday", N_("Sunday")),
    ("Monday", N_("Monday")),
    ("Tuesday", N_("Tuesday")),
    ("Wednesday", N_("Wednesday")),
    ("Thursday", N_("Thursday")),
    ("Friday", N_("Friday")),
    ("Saturday", N_("Saturday")),
)
LANGUAGES = (("en", "English"), ("de", "Deutsch"), ("es", "Español"))
THEMES = (("system", N_("Follow the device")), ("light", N_("Light")), ("dark", N_("Dark")))
REQUIRED = N_("This field is required")
BAD_COLOUR = N_("Enter a colour as #RRGGBB, for example #292929")
BAD_CHOICE = N_("Choose one of the options")

AVATAR_PATH = "/app/settings/profile/avatar"
AVATAR_BODY_LIMIT = avatars.MAX_UPLOAD_BYTES + 64 * 1024
"""The most bytes the avatar route reads: the image plus the form's own (multipart) bytes."""
AVATAR_BACKSTOP = 4 * AVATAR_BODY_LIMIT
"""The body limit of the avatar route in ``BodyLimitMiddleware`` (the route itself answers a
readable 413 page from :data:`AVATAR_BODY_LIMIT` on)."""


def render_settings(
    request: Request,
    app_user: AppUser,
    key: str,
    template: str,
    status_code: int = 200,
    **values: Any,
) -> HTMLResponse:
    """Render settings page ``template`` (it extends ``app/settings/_layout.html``) with the
    settings navigation, ``key`` marked as the current page."""
    ctx = app_context(request, app_user, section="settings")
    return render_app(
        request,
        ctx,
        template,
        status_code=status_code,
        settings_nav=SETTINGS_NAV,
        settings_key=key,
        choices=lambda pairs: [(value, ctx._(label)) for value, label in pairs],
        **values,
    )


def not_found(request: Request, app_user: AppUser) -> HTMLResponse:
    """The app's 404 page (someone else's or a missing object)."""
    ctx = app_context(request, app_user, section="settings")
    return render_app(request, ctx, "app/not_found.html", status_code=404)


def saved(url: str, flash: str = "saved") -> RedirectResponse:
    """303 to ``url`` with a flash message."""
    return RedirectResponse(f"{url}?flash={flash}", status_code=303)


@router.get("/app/settings")
async def settings_home(app_user: AppSession) -> Response:
    """The settings start at the profile."""
    return RedirectResponse("/app/settings/profile", status_code=303)


# --- profile ---------------------------------------------------------------------------------


def _profile_values(app_user: AppUser) -> dict[str, Any]:
    user = app_user.user
    return {"name": user.name or "", "username": user.username, "bio": user.bio or ""}


@router.get("/app/settings/profile")
async def profile_page(request: Request, app_user: AppSession) -> Response:
    """The profile form and the avatar."""
    return render_settings(
        request, app_user, "profile", "app/settings/profile.html", values=_profile_values(app_user)
    )


@router.post("/app/settings/profile")
async def save_profile(request: Request, app_user: AppSession, session: DbSession) -> Response:
    """Save name, username and bio (400 with the messages beside the fields when refused)."""
    form = await checked_form(request, app_user.csrf)
    ctx = app_context(request, app_user)
    name, username, bio = text(form, "name"), text(form, "username"), text(form, "bio")
    errors = FormErrors()
    if not name:
        errors.add("name", ctx._(REQUIRED))
    if not username:
        errors.add("username", ctx._(REQUIRED))
    user = app_user.user
    if username and not errors:
        message = await username_refusal(session, user, username)
        if message:
            errors.add("username", message)

    async def save() -> None:
        await update_profile(
            session, user, UpdateMeInput(name=name, bio=bio).model_dump(exclude_unset=True)
        )
        try:
            await change_username(session, user, username)
        except UserError as exc:  # taken meanwhile
            raise BadRequest(str(exc)) from exc

    if not errors:
        _, errors = await attempt(session, save)
    if errors:
        await session.refresh(user)
        return render_settings(
            request, app_user, "profile", "app/settings/profile.html", status_code=400,
            errors=errors, values=as_dict(form),
        )  # fmt: skip
    return saved("/app/settings/profile")


async def _bounded_form(request: Request, limit: int) -> tuple[Request, bool]:
    """A request reading ``request``'s body through a counter: ``(request, too_big)``;
    ``too_big`` is True at once when ``Content-Length`` says more than ``limit`` bytes, and
    reading the body of the returned request raises :class:`_TooBig` past ``limit``."""
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > limit):
        return request, True
    received = 0

    async def receive() -> Message:
        nonlocal received
        message = await request.receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise _TooBig()
        return message

    return Request(request.scope, receive), False


class _TooBig(Exception):
    """The avatar upload passed :data:`AVATAR_BODY_LIMIT`."""


@router.post(AVATAR_PATH)
async def upload_avatar(request: Request, app_user: AppSession, session: DbSession) -> Response:
    """Store an uploaded picture (``avatar``, multipart) as the user's avatar: 413 above 5 MB,
    400 when it is not an image, else back to the profile."""
    ctx = app_context(request, app_user)
    errors = FormErrors()
    bounded, too_big = await _bounded_form(request, AVATAR_BODY_LIMIT)
    data = b""
    if not too_big:
        try:
            form = await checked_form(bounded, app_user.csrf)
            upload = form.get("avatar")
            if upload is None or isinstance(upload, str) or not upload.filename:
                errors.add("avatar", ctx._(N_("Choose a picture to upload")))
            else:
                data = await upload.read(avatars.MAX_UPLOAD_BYTES + 1)
                await upload.close()
        except _TooBig:
            too_big = True
    if too_big:
        errors.add("avatar", ctx._(avatars.TOO_LARGE))
    elif not errors:
        base_url = get_settings(request).base_url
        _, errors = await attempt(
            session, lambda: avatars.set_avatar(session, app_user.user, data, base_url)
        )
        if errors:
            errors = FormErrors(fields={"avatar": ctx._(errors.general[0])})
    if errors:
        response = render_settings(
            request, app_user, "profile", "app/settings/profile.html",
            status_code=413 if too_big else 400, errors=errors, values=_profile_values(app_user),
        )  # fmt: skip
        if too_big:
            response.headers["Connection"] = "close"
        return response
    return saved("/app/settings/profile", "avatar-saved")


@router.post(AVATAR_PATH + "/remove")
async def delete_avatar(request: Request, app_user: AppSession, session: DbSession) -> Response:
    """Remove the user's avatar."""
    await checked_form(request, app_user.csrf)
    await avatars.remove_avatar(session, app_user.user)
    return saved("/app/settings/profile", "avatar-removed")


@router.get(avatars.ROUTE + "{name}")
async def avatar_image(name: str) -> Response:
    """A stored avatar (public: profile pictures are shown to bookers); 404 for anything else."""
    path = avatars.avatar_file(name)
    if path is None:
        return Response("Not found", status_code=404, media_type="text/plain")
    return FileResponse(
        path,
        media_type="image/png",
        headers={
            "Cache-Control": "public, max-age=31536000, immutable",
            "X-Content-Type-Options": "nosniff",
        },
    )


# --- general ---------------------------------------------------------------------------------


def _general_values(app_user: AppUser) -> dict[str, Any]:
    user = app_user.user
    return {
        "timeZone": user.time_zone,
        "weekStart": user.week_start,
        "timeFormat": str(user.time_format),
        "locale": user.locale or "en",
    }


def _general_page(
    request: Request, app_user: AppUser, values: dict[str, Any], **extra: Any
) -> HTMLResponse:
    return render_settings(
        request, app_user, "general", "app/settings/general.html",
        values=values, time_zones=[(z, z) for z in sorted(all_time_zones())], week_days=WEEK_DAYS,
        languages=LANGUAGES, **extra,
    )  # fmt: skip


@router.get("/app/settings/general")
async def general_page(request: Request, app_user: AppSession) -> Response:
    """Time zone, week start, time format and language."""
    return _general_page(request, app_user, _general_values(app_user))


@router.post("/app/settings/general")
async def save_general(request: Request, app_user: AppSession, session: DbSession) -> Response:
    """Save the general settings through PATCH /v2/me's rules."""
    form = await checked_form(request, app_user.csrf)
    ctx = app_context(request, app_user)
    errors = FormErrors()
    locale = text(form, "locale")
    if locale not in {code for code, _ in LANGUAGES}:
        errors.add("locale", ctx._(BAD_CHOICE))
    fields: dict[str, Any] = {
        "timeZone": text(form, "timeZone"),
        "weekStart": text(form, "weekStart"),
        "timeFormat": int(fmt) if (fmt := text(form, "timeFormat")).isdigit() else fmt,
        "locale": locale,
    }
    user = app_user.user

    async def save() -> None:
        body = UpdateMeInput.model_validate(fields)
        await update_profile(session, user, body.model_dump(exclude_unset=True))

    if not errors:
        _, errors = await attempt(session, save)
    if errors:
        await session.refresh(user)
        return _general_page(request, app_user, as_dict(form), status_code=400, errors=errors)
    return saved("/app/settings/general")


# --- appearance ------------------------------------------------------------------------------

BRANDING_KEYS = ("theme", "brandColor", "darkBrandColor")


def _appearance_values(app_user: AppUser) -> dict[str, Any]:
    own = app_user.user.metadata_ or {}
    return {
        "theme": own.get("theme") if own.get("theme") in ("light", "dark") else "system",
        "brandColor": own.get("brandColor") or "#292929",
        "darkBrandColor": own.get("darkBrandColor") or "#fafafa",
    }


@router.get("/app/settings/appearance")
async def appearance_page(request: Request, app_user: AppSession) -> Response:
    """Theme and brand colours of the user's public pages."""
    return render_settings(
        request, app_user, "appearance", "app/settings/appearance.html",
        values=_appearance_values(app_user), themes=THEMES,
    )  # fmt: skip


@router.post("/app/settings/appearance")
async def save_appearance(request: Request, app_user: AppSession, session: DbSession) -> Response:
    """Save theme and colours into the user's metadata (PATCH /v2/me's ``metadata`` rules)."""
    form = await checked_form(request, app_user.csrf)
    ctx = app_context(request, app_user)
    errors = FormErrors()
    theme = text(form, "theme")
    if theme not in {value for value, _ in THEMES}:
        errors.add("theme", ctx._(BAD_CHOICE))
    colours: dict[str, str] = {}
    for key in ("brandColor", "darkBrandColor"):
        raw = text(form, key)
        colour = hex_colour(raw) if raw.startswith("#") else None
        if colour is None:
            errors.add(key, ctx._(BAD_COLOUR))
        else:
            colours[key] = colour
    user = app_user.user
    if not errors:
        metadata = {k: v for k, v in (user.metadata_ or {}).items() if k not in BRANDING_KEYS}
        if theme != "system":
            metadata["theme"] = theme
        metadata.update(colours)

        async def save() -> None:
            body = UpdateMeInput.model_validate({"metadata": metadata})
            await update_profile(session, user, body.model_dump(exclude_unset=True))

        _, errors = await attempt(session, save)
    if errors:
        await session.refresh(user)
        return render_settings(
            request, app_user, "appearance", "app/settings/appearance.html", status_code=400,
            errors=errors, values=as_dict(form), themes=THEMES,
        )  # fmt: skip
    return saved("/app/settings/appearance")
