"""booking_ics: parsed back by icalendar and recurring-ical-events, every field round-trips,
including zones whose offset changes during the booking."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from icalendar import Calendar

from slotwise.calendars.ics import booking_ics
from slotwise.models import Attendee, Booking, User

# 2050-03-27 is the last Sunday of March: Europe/Berlin goes from +01:00 to +02:00 at 01:00 UTC.
DST_START = datetime(2050, 3, 26, 23, 30, tzinfo=UTC)
DST_END = datetime(2050, 3, 27, 2, 30, tzinfo=UTC)


def make_booking(**changes: Any) -> Booking:
    values: dict[str, Any] = {
        "uid": "bk1",
        "title": "Intro; with a comma, and ümlauts",
        "description": "Line one\nLine two, with a comma",
        "status": "accepted",
        "start_time": DST_START,
        "end_time": DST_END,
        "location": "Room 4; Main St, Berlin",
        "ical_uid": "bk1@slotwise",
        "ical_sequence": 3,
        "created_at": datetime(2050, 1, 1, tzinfo=UTC),
    }
    values.update(changes)
    return Booking(**values)


def host(time_zone: str = "Europe/Berlin") -> User:
    return User(id=1, name="Alice Host", email="alice@example.com", time_zone=time_zone)


def people() -> list[Attendee]:
    return [
        Attendee(name="Bob, Booker", email="bob@example.com", time_zone="Europe/Rome"),
        Attendee(name="", email="guest@example.com", time_zone="Europe/Rome"),
    ]


def parse(data: bytes) -> Calendar:
    cal = Calendar.from_ical(data)
    assert isinstance(cal, Calendar)
    return cal


def test_fields_round_trip_across_dst() -> None:
    data = booking_ics(
        make_booking(), people(), host(), method="REQUEST", public_url="https://cal.example/"
    )
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    cal = parse(data)
    assert cal["METHOD"] == "REQUEST"
    assert cal["VERSION"] == "2.0"
    [event] = cal.events
    assert event["UID"] == "bk1@slotwise"
    assert event["SEQUENCE"] == 3
    assert event["SUMMARY"] == "Intro; with a comma, and ümlauts"
    assert event["DESCRIPTION"] == "Line one\nLine two, with a comma"
    assert event["LOCATION"] == "Room 4; Main St, Berlin"
    assert event["STATUS"] == "CONFIRMED"
    assert event["URL"] == "https://cal.example/booking/bk1"
    assert abs(event.DTSTAMP - datetime.now(UTC)) < timedelta(minutes=1)
    # local wall times in the organizer's zone, each with its own offset
    start, end = event.start, event.end
    assert start.tzinfo is not None and str(start.tzinfo) == "Europe/Berlin"
    assert (start.hour, start.minute, start.utcoffset()) == (0, 30, timedelta(hours=1))
    assert (end.hour, end.minute, end.utcoffset()) == (4, 30, timedelta(hours=2))
    assert start == DST_START and end == DST_END
    assert b"DTSTART;TZID=Europe/Berlin:20500327T003000" in data
    assert b"DTEND;TZID=Europe/Berlin:20500327T043000" in data
    organizer = event["ORGANIZER"]
    assert str(organizer) == "mailto:alice@example.com"
    assert organizer.params["CN"] == "Alice Host"
    attendees = event["ATTENDEE"]
    assert [str(a) for a in attendees] == ["mailto:bob@example.com", "mailto:guest@example.com"]
    assert [a.params["CN"] for a in attendees] == ["Bob, Booker", "guest@example.com"]
    assert {a.params["PARTSTAT"] for a in attendees} == {"ACCEPTED"}


def test_vtimezone_matches_zoneinfo() -> None:
    """The VTIMEZONE written for a date after 2038 gives the same offsets as zoneinfo, so a
    client that only reads the file places the event right."""
    data = booking_ics(make_booking(), people(), host(), method="REQUEST", public_url="x")
    cal = parse(data)
    [vtz] = cal.timezones
    assert vtz["TZID"] == "Europe/Berlin"
    tz = vtz.to_tz()
    berlin = ZoneInfo("Europe/Berlin")
    for hours in range(-24 * 200, 24 * 200, 7):
        instant = DST_START + timedelta(hours=hours)
        local = instant.astimezone(berlin).replace(tzinfo=None)
        assert tz.utcoffset(local) == berlin.utcoffset(local), local


def test_recurring_ical_events_expands_the_event() -> None:
    data = booking_ics(make_booking(), people(), host(), method="PUBLISH", public_url="x")
    found = recurring_ical_events.of(parse(data)).between(
        datetime(2050, 3, 26, tzinfo=UTC), datetime(2050, 3, 28, tzinfo=UTC)
    )
    assert len(found) == 1
    assert found[0].start == DST_START and found[0].end == DST_END
    assert found[0]["UID"] == "bk1@slotwise"


def test_fall_back_in_new_york() -> None:
    # 2050-11-06: America/New_York goes from -04:00 to -05:00 at 06:00 UTC.
    start = datetime(2050, 11, 6, 4, 30, tzinfo=UTC)  # 00:30 EDT
    end = datetime(2050, 11, 6, 7, 30, tzinfo=UTC)  # 02:30 EST
    booking = make_booking(start_time=start, end_time=end)
    cal = parse(
        booking_ics(booking, people(), host("America/New_York"), method="REQUEST", public_url="x")
    )
    [event] = cal.events
    assert event.start.timestamp() == start.timestamp()
    assert event.end.timestamp() == end.timestamp()
    assert event.start.utcoffset() == timedelta(hours=-4)
    assert event.end.utcoffset() == timedelta(hours=-5)


def test_repeated_hour_is_written_in_utc() -> None:
    """01:30 local happens twice on 2050-11-06 in New York; the second one (06:30 UTC) must not
    be read back as the first (05:30 UTC)."""
    for start in (
        datetime(2050, 11, 6, 5, 30, tzinfo=UTC),
        datetime(2050, 11, 6, 6, 30, tzinfo=UTC),
    ):
        end = start + timedelta(hours=2)
        booking = make_booking(start_time=start, end_time=end)
        data = booking_ics(
            booking, people(), host("America/New_York"), method="REQUEST", public_url="x"
        )
        [event] = parse(data).events
        assert event.start.timestamp() == start.timestamp()
        assert event.end.timestamp() == end.timestamp()
        assert f"DTSTART:{start:%Y%m%dT%H%M%S}Z".encode() in data


@pytest.mark.parametrize(
    ("status", "method", "expected", "partstat"),
    [
        ("pending", "REQUEST", "TENTATIVE", "NEEDS-ACTION"),
        ("accepted", "CANCEL", "CANCELLED", "ACCEPTED"),
        ("cancelled", "CANCEL", "CANCELLED", "ACCEPTED"),
        ("rejected", "CANCEL", "CANCELLED", "DECLINED"),
        ("cancelled", "PUBLISH", "CANCELLED", "ACCEPTED"),
    ],
)
def test_status_and_partstat(status: str, method: Any, expected: str, partstat: str) -> None:
    data = booking_ics(make_booking(status=status), people(), host(), method=method, public_url="x")
    cal = parse(data)
    assert cal["METHOD"] == method
    [event] = cal.events
    assert event["STATUS"] == expected
    assert {a.params["PARTSTAT"] for a in event["ATTENDEE"]} == {partstat}


def test_utc_and_unknown_zones_use_utc_times() -> None:
    for zone in ("UTC", "Not/AZone", ""):
        data = booking_ics(make_booking(), people(), host(zone), method="REQUEST", public_url="x")
        cal = parse(data)
        assert cal.timezones == []
        assert b"DTSTART:20500326T233000Z" in data
        assert cal.events[0].start == DST_START


def test_same_uid_across_reschedule_and_sequence_grows() -> None:
    first = parse(booking_ics(make_booking(), people(), host(), method="REQUEST", public_url="x"))
    moved = make_booking(
        uid="bk2",
        ical_sequence=4,
        start_time=DST_START + timedelta(days=1),
        end_time=DST_END + timedelta(days=1),
    )
    second = parse(booking_ics(moved, people(), host(), method="REQUEST", public_url="x"))
    assert first.events[0]["UID"] == second.events[0]["UID"]
    assert second.events[0]["SEQUENCE"] > first.events[0]["SEQUENCE"]


def test_optional_fields_absent() -> None:
    data = booking_ics(
        make_booking(description=None, location=None),
        people()[:1],
        host(),
        method="REQUEST",
        public_url="x",
    )
    [event] = parse(data).events
    assert "DESCRIPTION" not in event and "LOCATION" not in event


@pytest.mark.parametrize(
    ("stored", "location", "line"),
    [
        ("integrations:daily", "Cal Video", "Cal Video: the host will send you the meeting link."),
        ("integrations:zoom", "Zoom", "Zoom: the host will send you the meeting link."),
        ("https://meet.google.com/abc-defg-hij", "https://meet.google.com/abc-defg-hij",
         "Google Meet: https://meet.google.com/abc-defg-hij"),
        ("Main Street 1, Berlin", "Main Street 1, Berlin", None),
    ],
)  # fmt: skip
def test_location_by_its_human_name(stored: str, location: str, line: str | None) -> None:
    event = parse(
        booking_ics(
            make_booking(location=stored, description="Bring the slides"),
            people(),
            host(),
            method="REQUEST",
            public_url="https://cal.example",
        )
    ).events[0]
    assert str(event["LOCATION"]) == location
    description = str(event["DESCRIPTION"])
    assert description.startswith("Bring the slides")
    assert "integrations:" not in description
    if line:
        assert description.endswith("\n\n" + line)
    else:
        assert description == "Bring the slides"
