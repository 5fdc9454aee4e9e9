"""What the Booker shows: the month grid with its bookable days, the slots of the chosen day and
the state read from the URL (Cal.com's Booker deep links).

URL state (all optional): ``month=YYYY-MM``, ``date=YYYY-MM-DD``, ``slot=<ISO start>``,
``duration=N`` (minutes, one of ``lengthInMinutesOptions``), ``timeZone`` (IANA; the booker's
zone, default the host's until the script supplies the browser's), ``clock=12h|24h`` (default
the host's ``timeFormat``) and ``rescheduleUid`` (the booking being moved: its own time counts
as free, as ``bookingUidToReschedule`` does in GET /v2/slots).

Slots are computed for the visible month only (one call of
:func:`slotwise.slots.service.available_slots` from the first to the last day of the month in
the booker's zone).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.bookings.schemas import parse_instant
from slotwise.event_types.settings import settings_of
from slotwise.kit.timezones import is_valid_time_zone
from slotwise.models import EventType, User
from slotwise.pages.i18n import Formatter
from slotwise.pages.zones import canonical_zone
from slotwise.slots.service import (
    SlotQuery,
    available_slots,
    length_options,
)

WEEK_STARTS = {
    "Monday": 0, "Tuesday": 1, "Wednesday": 2, "Thursday": 3, "Friday": 4, "Saturday": 5,
    "Sunday": 6,
}  # fmt: skip


@dataclass(frozen=True)
class BookerState:
    """The Booker's state after reading and checking the URL (bad values are ignored).

    ``month``: first day of the visible month; ``day``: the chosen date (in ``tz``);
    ``slot``: the chosen start (UTC); ``duration``: minutes; ``hour12``: clock format.
    """

    tz: str
    month: date
    day: date | None
    slot: datetime | None
    duration: int
    hour12: bool
    reschedule_uid: str | None
    tz_from_url: bool
    tz_locked: bool = False
    layout: str = "month"


def _month(value: str | None) -> date | None:
    if not value:
        return None
    try:
        parsed = datetime.strptime(value.strip(), "%Y-%m")
    except ValueError:
        return None
    return parsed.date() if 1970 <= parsed.year <= 2200 else None


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        parsed = date.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if 1970 <= parsed.year <= 2200 else None


def read_state(
    params: dict[str, str], event_type: EventType, host: User, now: datetime
) -> BookerState:
    """The Booker state from query ``params``; invalid values fall back to defaults.

    The time zone is ``timeZone`` when valid (by its canonical name: the browser's
    ``Asia/Calcutta`` is ``Asia/Kolkata``), else the host's (always the host's when the event
    type sets ``lockTimeZoneToggleOnBookingPage``). The month comes from ``month``,
    else from ``date``, else from ``slot``, else today in that zone.
    """
    raw_tz = params.get("timeZone") or ""
    settings = settings_of(event_type)
    locked = settings.page.lock_time_zone_toggle
    tz_ok = not locked and bool(raw_tz) and is_valid_time_zone(raw_tz)
    tz = canonical_zone(raw_tz) if tz_ok else (host.time_zone or "UTC")
    zone = ZoneInfo(tz)
    slot: datetime | None = None
    if params.get("slot"):
        try:
            slot = parse_instant(params["slot"])
        except ValueError:
            slot = None
    day = _day(params.get("date"))
    if day is None and slot is not None:
        day = slot.astimezone(zone).date()
    month = _month(params.get("month"))
    if month is None:
        month = (day or now.astimezone(zone).date()).replace(day=1)
    options = length_options(event_type) or []
    duration = event_type.length
    wanted = params.get("duration", "")
    if wanted.isdigit() and int(wanted) in options:
        duration = int(wanted)
    elif options and settings.raw.get("lengthInMinutes") in options:
        # never written (lengthInMinutes is a column); kept for configs stored by hand
        duration = int(settings.raw["lengthInMinutes"])
    clock = params.get("clock")
    hour12 = clock == "12h" if clock in ("12h", "24h") else (host.time_format or 12) != 24
    reschedule = (params.get("rescheduleUid") or "").strip()[:64] or None
    enabled_layouts, default_layout = layouts(event_type)
    wanted_layout = params.get("layout") or ""
    layout = wanted_layout if wanted_layout in enabled_layouts else default_layout
    return BookerState(
        tz, month, day, slot, duration, hour12, reschedule, tz_ok, locked, layout
    )  # fmt: skip


LAYOUTS = ("month", "week", "column")
COLUMN_DAYS = 5


def layouts(event_type: EventType) -> tuple[list[str], str]:
    """The layouts the Booker offers (``bookerLayouts.enabledLayouts``, in the order month,
    week, column) and the default one (``bookerLayouts.defaultLayout``, or the first enabled);
    without a valid ``bookerLayouts``: month only, as Cal.com's default."""
    stored = settings_of(event_type).layouts
    if not stored.stored:
        return ["month"], "month"
    given = stored.enabled_layouts
    enabled = [v for v in LAYOUTS if given is not None and v in given] or ["month"]
    default = stored.default_layout
    return enabled, default if default in enabled else enabled[0]


def layout_range(state: BookerState, today: date, week_start: str) -> tuple[date, int]:
    """The first day and the number of days the week or column layout shows: the week
    (starting on the host's ``weekStart``) around the chosen day, or :data:`COLUMN_DAYS` days
    from it; without a chosen day, around today (or the first day of a later visible month)."""
    anchor = state.day or (state.month if state.month > today else today)
    if state.layout == "column":
        return anchor, COLUMN_DAYS
    first_weekday = WEEK_STARTS.get(week_start, 6)
    return anchor - timedelta(days=(anchor.weekday() - first_weekday) % 7), 7


def next_month(first: date) -> date:
    """The first day of the month after ``first``."""
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1)


def previous_month(first: date) -> date:
    """The first day of the month before ``first``."""
    return (first - timedelta(days=1)).replace(day=1)


async def month_slots(
    session: AsyncSession, event_type: EventType, state: BookerState, now: datetime
) -> dict[date, list[datetime]]:
    """The bookable starts of the visible month, by local date in ``state.tz``; each start is a
    timezone-aware datetime in that zone. Days without slots are absent."""
    return (await month_slots_and_seats(session, event_type, state, now))[0]


async def month_slots_and_seats(
    session: AsyncSession,
    event_type: EventType,
    state: BookerState,
    now: datetime,
    *,
    usernames: Sequence[str] | None = None,
) -> tuple[dict[date, list[datetime]], dict[datetime, int]]:
    """:func:`month_slots` and, for a seated event type that shows the count
    (``seats.showAvailabilityCount``), the seats left at every start (UTC instant → seats,
    ``seatsPerTimeSlot`` minus the attendees already seated there); else an empty dict.
    ``usernames``: see :func:`range_slots`."""
    return await range_slots(
        session, event_type, state, state.month, next_month(state.month), now,
        usernames=usernames,
    )  # fmt: skip


async def range_slots(
    session: AsyncSession,
    event_type: EventType,
    state: BookerState,
    first: date,
    stop: date,
    now: datetime,
    *,
    usernames: Sequence[str] | None = None,
) -> tuple[dict[date, list[datetime]], dict[datetime, int]]:
    """The bookable starts of the local days ``first`` (included) to ``stop`` (excluded) in
    ``state.tz`` by day, and the seats left (see :func:`month_slots_and_seats`): one call of
    the slot service, for the event type (personal or team: its hosts as its scheduling type
    says) or, with ``usernames``, for that dynamic group (``usernames=`` of GET /v2/slots)."""
    zone = ZoneInfo(state.tz)
    lo = datetime.combine(first, datetime.min.time(), zone).astimezone(UTC)
    hi = datetime.combine(stop, datetime.min.time(), zone).astimezone(UTC)
    if hi <= now:
        return {}, {}
    options = length_options(event_type)
    query = SlotQuery(
        start=max(lo, now.replace(second=0, microsecond=0)),
        end=hi - timedelta(minutes=1),
        event_type_id=None if usernames is not None else event_type.id,
        usernames=list(usernames) if usernames is not None else None,
        time_zone=state.tz,
        duration=state.duration if options else None,
        reschedule_uid=state.reschedule_uid,
    )
    found = await available_slots(session, query, now=now)
    by_day: dict[date, list[datetime]] = {}
    seats_left: dict[datetime, int] = {}
    show_count = shows_seats_left(event_type)
    for minute in found.starts:
        local = datetime.fromtimestamp(minute * 60, zone)
        if first <= local.date() < stop:
            by_day.setdefault(local.date(), []).append(local)
            if show_count and found.seats_total is not None:
                taken = found.seats.get(minute, (0, ""))[0]
                seats_left[local.astimezone(UTC)] = max(found.seats_total - taken, 0)
    return by_day, seats_left


def shows_seats_left(event_type: EventType) -> bool:
    """Whether the Booker shows the seats left of a slot: the event type is seated
    (``seats.seatsPerTimeSlot``) and sets ``seats.showAvailabilityCount``."""
    seats = settings_of(event_type).seats
    return seats.per_time_slot is not None and seats.availability_count_is_true


@dataclass(frozen=True)
class DayCell:
    """One cell of the month grid. ``day`` None pads the first and last weeks."""

    day: date | None
    available: bool
    selected: bool
    today: bool
    label: str


@dataclass(frozen=True)
class SlotButton:
    """A bookable start: ``value`` its UTC ISO instant, ``text`` the local clock time,
    ``label`` the accessible name (date and time, and the seats left when shown),
    ``seats_text`` the seats left ("3 seats left") or None."""

    value: str
    text: str
    label: str
    selected: bool
    seats_text: str | None = None


@dataclass(frozen=True)
class DayColumn:
    """One day of the week or column layout: the date, its short weekday, its long label
    (the column's accessible heading) and its slot buttons."""

    day: date
    weekday: str
    label: str
    slots: list[SlotButton]


def month_grid(
    state: BookerState,
    by_day: dict[date, list[datetime]],
    fmt: Formatter,
    today: date,
    week_start: str,
    available_text: str,
) -> tuple[list[str], list[list[DayCell]]]:
    """Weekday headers and weeks of :class:`DayCell` for the visible month, weeks starting on
    the host's ``weekStart``. ``available_text`` is appended to the label of bookable days."""
    first_weekday = WEEK_STARTS.get(week_start, 6)
    cal = calendar.Calendar(firstweekday=first_weekday)
    weeks: list[list[DayCell]] = []
    for week in cal.monthdatescalendar(state.month.year, state.month.month):
        row: list[DayCell] = []
        for d in week:
            if d.month != state.month.month:
                row.append(DayCell(None, False, False, False, ""))
                continue
            available = d in by_day
            label = fmt.day(d) + (f", {available_text}" if available else "")
            row.append(DayCell(d, available, d == state.day, d == today, label))
        weeks.append(row)
    headers = [fmt.weekday_short(d) for d in cal.monthdatescalendar(2050, 9)[1]]
    return headers, weeks


def slot_buttons(
    starts: Sequence[datetime],
    fmt: Formatter,
    chosen: datetime | None,
    seats_left: dict[datetime, int] | None = None,
    seats_text: Callable[[int], str] | None = None,
) -> list[SlotButton]:
    """The buttons of one day's starts (already in the booker's zone); ``seats_left`` (UTC
    start → seats) and ``seats_text`` (a count → "N seats left", translated) add the seats left
    to the buttons of seated event types."""
    out: list[SlotButton] = []
    for local in starts:
        text = fmt.clock(local)
        value = iso_z(local)
        selected = chosen is not None and local.astimezone(UTC) == chosen
        label = f"{text}, {fmt.day(local)}"
        left = (seats_left or {}).get(local.astimezone(UTC))
        seats = seats_text(left) if left is not None and seats_text is not None else None
        if seats:
            label = f"{label}, {seats}"
        out.append(SlotButton(value, text, label, selected, seats))
    return out


def iso_z(moment: datetime) -> str:
    """``moment`` as a UTC ISO 8601 instant with milliseconds: ``2050-09-05T09:00:00.000Z``."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
