"""Occurrence starts of recurring bookings: wall-clock time in the organizer's zone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from slotwise.bookings.recurring import occurrence_starts


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_weekly_keeps_local_time_over_spring_forward() -> None:
    # 09:00 in New York; summer time starts 2050-03-13
    starts = occurrence_starts(utc("2050-03-07T14:00"), "America/New_York", "weekly", 1, 3)
    assert starts == [utc("2050-03-07T14:00"), utc("2050-03-14T13:00"), utc("2050-03-21T13:00")]


def test_same_instant_in_utc_zone() -> None:
    starts = occurrence_starts(utc("2050-03-07T14:00"), "UTC", "weekly", 2, 3)
    assert starts == [utc("2050-03-07T14:00"), utc("2050-03-21T14:00"), utc("2050-04-04T14:00")]


def test_monthly_from_the_31st_skips_short_months() -> None:
    starts = occurrence_starts(utc("2050-01-31T10:00"), "UTC", "monthly", 1, 3)
    assert starts == [utc("2050-01-31T10:00"), utc("2050-03-31T10:00"), utc("2050-05-31T10:00")]


def test_yearly_and_interval() -> None:
    starts = occurrence_starts(utc("2050-06-01T10:00"), "Europe/Berlin", "yearly", 2, 2)
    assert starts == [utc("2050-06-01T10:00"), utc("2052-06-01T10:00")]


def test_local_time_in_a_spring_forward_gap() -> None:
    # 02:30 Berlin on 2050-03-20 becomes 02:30 on 2050-03-27, which does not exist: read with
    # the offset before the change (+01:00), i.e. 03:30 summer time
    starts = occurrence_starts(utc("2050-03-20T01:30"), "Europe/Berlin", "weekly", 1, 2)
    assert starts[1] == utc("2050-03-27T01:30")


def test_unknown_frequency() -> None:
    with pytest.raises(ValueError):
        occurrence_starts(utc("2050-03-07T14:00"), "UTC", "daily", 1, 2)
