"""The onboarding after sign-up: ``/app/onboarding?step=…``, one small form per step, each
through the service the API uses; every step can be skipped.

1. ``username``: keep or change it (:func:`~slotwise.users.service.change_username`);
2. ``time-zone`` (PATCH /v2/me's :func:`~slotwise.me.service.update_profile`);
3. ``schedule``: the first weekly hours, Monday–Friday 09:00–17:00 prefilled
   (:func:`~slotwise.schedules.service.create_schedule`, the default schedule; an existing
   default schedule gets the hours through ``update_schedule``);
4. ``event-type``: a first event type (:func:`~slotwise.event_types.service.
   create_event_type`);
5. ``done``: the link to the public page ``/{username}``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from slotwise.event_types import service as event_types
from slotwise.event_types.schemas import CreateEventTypeInput
from slotwise.kit.session import DbSession, get_settings
from slotwise.kit.timezones import all_time_zones
from slotwise.me.schemas import UpdateMeInput
from slotwise.me.service import update_profile
from slotwise.pages.i18n import N_
from slotwise.schedules import service as schedules
from slotwise.schedules.schemas import CreateScheduleInput, UpdateScheduleInput
from slotwise.users.service import UserError, change_username
from slotwise.webapp.context import AppSession, AppUser, app_context, render_app
from slotwise.webapp.forms import FormErrors, as_dict, attempt, checkbox, checked_form, text

router = APIRouter(include_in_schema=False)

STEPS: tuple[tuple[str, str], ...] = (
    ("username", N_("Your username")),
    ("time-zone", N_("Your time zone")),
    ("schedule", N_("Your working hours")),
    ("event-type", N_("Your first event type")),
    ("done", N_("You are ready")),
)
"""The steps in order: (key, heading)."""
STEP_KEYS = [key for key, _ in STEPS]
WEEK_DAYS: tuple[tuple[str, str], ...] = (
    ("Monday", N_("Monday")),
    ("Tuesday", N_("Tuesday")),
    ("Wednesday", N_("Wednesday")),
    ("Thursday", N_("Thursday")),
    ("Friday", N_("Friday")),
    ("Saturday", N_("Saturday")),
    ("Sunday", N_("Sunday")),
)
WORK_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def _url(step: str) -> str:
    return f"/app/onboarding?step={step}"


def _next(step: str) -> str:
    index = STEP_KEYS.index(step)
    return STEP_KEYS[min(index + 1, len(STEP_KEYS) - 1)]


def _defaults(step: str, user: Any) -> dict[str, Any]:
    if step == "username":
        return {"username": user.username}
    if step == "time-zone":
        return {"timeZone": user.time_zone}
    if step == "schedule":
        return {"days": list(WORK_DAYS), "startTime": "09:00", "endTime": "17:00"}
    if step == "event-type":
        return {"title": "30 Minute Meeting", "slug": "30min", "lengthInMinutes": "30"}
    return {}


def _render(
    request: Request,
    app_user: AppUser,
    step: str,
    values: dict[str, Any] | None = None,
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> Response:
    ctx = app_context(request, app_user)
    return render_app(
        request,
        ctx,
        "app/onboarding.html",
        status_code=status_code,
        step=step,
        steps=STEPS,
        number=STEP_KEYS.index(step) + 1,
        heading=dict(STEPS)[step],
        next_step=_next(step),
        values=values if values is not None else _defaults(step, app_user.user),
        errors=errors,
        week_days=WEEK_DAYS,
        public_url=f"{get_settings(request).base_url}/{app_user.user.username}",
        time_zones=[(z, z) for z in sorted(all_time_zones())] if step == "time-zone" else [],
    )


@router.get("/app/onboarding")
async def onboarding_page(request: Request, app_user: AppSession) -> Response:
    """The step named by ``?step=`` (the first by default)."""
    step = request.query_params.get("step", STEP_KEYS[0])
    if step not in STEP_KEYS:
        step = STEP_KEYS[0]
    return _render(request, app_user, step)


async def _save(session: DbSession, app_user: AppUser, step: str, form: Any) -> FormErrors:
    """Apply ``step``'s form through its service; the errors, if any."""
    user = app_user.user
    errors = FormErrors()
    if step == "username":
        savepoint = await session.begin_nested()
        try:
            await change_username(session, user, text(form, "username"))
        except UserError as exc:
            await savepoint.rollback()
            errors.add("username", str(exc))
        else:
            await savepoint.commit()
        return errors
    if step == "time-zone":
        zone = text(form, "timeZone")
        _, errors = await attempt(
            session,
            lambda: update_profile(
                session, user, UpdateMeInput(timeZone=zone).model_dump(exclude_unset=True)
            ),
        )
        return errors
    if step == "schedule":
        days = [day for day, _ in WEEK_DAYS if checkbox(form, f"day-{day}")]
        hours = {"startTime": text(form, "startTime"), "endTime": text(form, "endTime")}
        availability = [{"days": days, **hours}] if days else []
        default = await schedules.default_schedule(session, user)

        async def save_schedule() -> object:
            if default is not None:
                body = UpdateScheduleInput.model_validate({"availability": availability})
                return await schedules.update_schedule(session, user, default.id, body)
            created = CreateScheduleInput.model_validate(
                {
                    "name": "Working hours",
                    "timeZone": user.time_zone,
                    "isDefault": True,
                    "availability": availability,
                }
            )
            return await schedules.create_schedule(session, user, created)

        _, errors = await attempt(session, save_schedule, aliases={"availability": "startTime"})
        return errors
    if step == "event-type":
        raw: dict[str, Any] = {
            "title": text(form, "title"),
            "slug": text(form, "slug"),
        }
        length = text(form, "lengthInMinutes")
        raw["lengthInMinutes"] = int(length) if length.isdigit() and len(length) < 7 else length
        _, errors = await attempt(
            session,
            lambda: event_types.create_event_type(
                session, user, CreateEventTypeInput.model_validate(raw)
            ),
        )
        return errors
    return errors


@router.post("/app/onboarding")
async def onboarding_step(request: Request, session: DbSession, app_user: AppSession) -> Response:
    """Save the posted step, then on to the next one (the form again, 400, on errors)."""
    form = await checked_form(request, app_user.csrf)
    step = text(form, "step")
    if step not in STEP_KEYS or step == "done":
        return RedirectResponse(_url(STEP_KEYS[0]), status_code=303)
    errors = await _save(session, app_user, step, form)
    if errors:
        values = as_dict(form)
        if step == "schedule":
            values["days"] = [day for day, _ in WEEK_DAYS if checkbox(form, f"day-{day}")]
        return _render(request, app_user, step, values, errors, status_code=400)
    return RedirectResponse(_url(_next(step)), status_code=303)
