"""Response shapes of GET /v2/slots: Cal.com's 2024-09-04 map and the legacy ``{slots}`` map."""

from __future__ import annotations

from typing import Any

from slotwise.kit.envelope import InstantFormatter
from slotwise.slots.service import SlotList


def slots_output(result: SlotList, *, fmt: str, tz: str | None) -> dict[str, list[dict[str, Any]]]:
    """``{"YYYY-MM-DD": [{"start"[, "end"]}]}`` keyed by date in ``tz`` (UTC when None).

    ``fmt`` ``"range"`` adds ``end`` = start + the slot length. Seated event types add
    ``seatsBooked``, ``seatsRemaining``, ``seatsTotal`` and ``bookingUid`` (when a booking holds
    seats at that start). No slots → ``{}``. Works on integer seconds: a month of 15-minute
    slots is thousands of items.
    """
    span = result.length * 60
    formatter = InstantFormatter(tz)
    starts = formatter.dates_and_isos(m * 60 for m in result.starts)
    ends = formatter.dates_and_isos(m * 60 + span for m in result.starts) if fmt == "range" else []
    total = result.seats_total
    out: dict[str, list[dict[str, Any]]] = {}
    last_day = None
    items: list[dict[str, Any]] = []
    for i, (day, text) in enumerate(starts):
        item: dict[str, Any] = {"start": text}
        if ends:
            item["end"] = ends[i][1]
        if total is not None:
            booked, uid = result.seats.get(result.starts[i], (0, None))
            item["seatsBooked"] = booked
            item["seatsRemaining"] = total - booked
            item["seatsTotal"] = total
            if uid is not None:
                item["bookingUid"] = uid
        if day != last_day:
            last_day = day
            items = out.setdefault(day, [])
        items.append(item)
    return out


def legacy_output(result: SlotList, *, tz: str | None) -> dict[str, Any]:
    """``{"slots": {"YYYY-MM-DD": [{"time": "…Z"}]}}``: keys in ``tz`` (UTC when None), times in
    UTC; seated slots holding a booking add ``attendees`` and ``bookingUid``."""
    keys = InstantFormatter(tz)
    utc = InstantFormatter(None)
    days: dict[str, list[dict[str, Any]]] = {}
    for minute in result.starts:
        ts = minute * 60
        item: dict[str, Any] = {"time": utc.date_and_iso(ts)[1]}
        held = result.seats.get(minute)
        if result.seats_total is not None and held is not None:
            item["attendees"], item["bookingUid"] = held
        days.setdefault(keys.date_and_iso(ts)[0], []).append(item)
    return {"slots": days}
