"""Response shapes of GET /v2/slots: Cal.com's 2024-09-04 map and the legacy ``{slots}`` map."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from slotwise.kit.envelope import InstantFormatter, iso_utc
from slotwise.slots.service import Slot, SlotList


def instant(value: datetime, tz: str | None) -> str:
    """``value`` as ISO 8601 with milliseconds: ``…Z`` without a zone (or for ``UTC``/``GMT``,
    as Luxon prints them), else with the zone's offset (``2050-09-05T09:00:00.000+02:00``)."""
    return InstantFormatter(tz).iso(value)


def _by_date(slots: list[Slot], fmt: InstantFormatter) -> dict[str, list[Slot]]:
    out: dict[str, list[Slot]] = {}
    for slot in slots:
        out.setdefault(fmt.local_date(slot.start), []).append(slot)
    return out


def slots_output(result: SlotList, *, fmt: str, tz: str | None) -> dict[str, list[dict[str, Any]]]:
    """``{"YYYY-MM-DD": [{"start"[, "end"]}]}`` keyed by date in ``tz`` (UTC when None).

    ``fmt`` ``"range"`` adds ``end`` = start + the slot length. Seated event types add
    ``seatsBooked``, ``seatsRemaining``, ``seatsTotal`` and ``bookingUid`` (when a booking holds
    seats at that start). No slots → ``{}``.
    """
    span = timedelta(minutes=result.length)
    formatter = InstantFormatter(tz)
    out: dict[str, list[dict[str, Any]]] = {}
    for day, slots in _by_date(result.slots, formatter).items():
        items: list[dict[str, Any]] = []
        for slot in slots:
            item: dict[str, Any] = {"start": formatter.iso(slot.start)}
            if fmt == "range":
                item["end"] = formatter.iso(slot.start + span)
            if result.seats_total is not None:
                item["seatsBooked"] = slot.seats_booked
                item["seatsRemaining"] = result.seats_total - slot.seats_booked
                item["seatsTotal"] = result.seats_total
                if slot.booking_uid is not None:
                    item["bookingUid"] = slot.booking_uid
            items.append(item)
        out[day] = items
    return out


def legacy_output(result: SlotList, *, tz: str | None) -> dict[str, Any]:
    """``{"slots": {"YYYY-MM-DD": [{"time": "…Z"}]}}``: keys in ``tz`` (UTC when None), times in
    UTC; seated slots holding a booking add ``attendees`` and ``bookingUid``."""
    days: dict[str, list[dict[str, Any]]] = {}
    for day, slots in _by_date(result.slots, InstantFormatter(tz)).items():
        items: list[dict[str, Any]] = []
        for slot in slots:
            item: dict[str, Any] = {"time": iso_utc(slot.start)}
            if result.seats_total is not None and slot.booking_uid is not None:
                item["attendees"] = slot.seats_booked
                item["bookingUid"] = slot.booking_uid
            items.append(item)
        days[day] = items
    return {"slots": days}
