"""Booking windows: calendar/business days, rolling windows and date ranges (cal-semantics
§2.9.5, §7.21–7.22; decisions: real zone rules, rolling windows enforced at booking time)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from slotwise.scheduling import (
    BookingRejected,
    BookingWindow,
    EventRules,
    ExistingBooking,
    HostInput,
    Schedule,
    WeeklyHours,
    check_booking,
    compute_slots,
)
from slotwise.scheduling.window import add_business_days, window_bounds

MONDAY = date(2024, 5, 20)
NOW = datetime(2024, 5, 20, 10, tzinfo=UTC)  # Monday 10:00Z


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def hours_host(days: frozenset[int] = frozenset(range(7)), *bookings: ExistingBooking) -> HostInput:
    return HostInput(Schedule("UTC", (WeeklyHours(days, 540, 1020),)), bookings)


WEEKDAY_HOST = hours_host(frozenset(range(5)))
EVERY_DAY_HOST = hours_host()


def rules(window: BookingWindow, time_zone: str | None = None) -> EventRules:
    return EventRules(
        length=60, minimum_booking_notice=0, booking_window=window, time_zone=time_zone
    )


def listed(
    h: HostInput, r: EventRules, now: datetime = NOW, booker_tz: str = "UTC", days: int = 40
) -> list[datetime]:
    return compute_slots(
        [h],
        r,
        window_start=now - timedelta(days=1),
        window_end=now + timedelta(days=days),
        booker_tz=booker_tz,
        now=now,
    )


def listed_dates(h: HostInput, r: EventRules, now: datetime = NOW) -> set[date]:
    return {s.date() for s in listed(h, r, now)}


def verdict(
    h: HostInput, r: EventRules, start: datetime, now: datetime = NOW, booker_tz: str | None = None
) -> str:
    try:
        check_booking(
            [h], r, start=start, end=start + timedelta(hours=1), now=now, booker_tz=booker_tz
        )
    except BookingRejected as exc:
        return exc.reason
    return "ok"


# --- the BookingWindow value ------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"kind": "range", "start_date": date(2024, 6, 1)},
        {"kind": "range", "start_date": date(2024, 6, 2), "end_date": date(2024, 6, 1)},
        {"kind": "calendarDays"},
        {"kind": "businessDays", "days": -1},
        {"kind": "weeks", "days": 3},
    ],
)
def test_invalid_windows_raise(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        BookingWindow(**kwargs)  # type: ignore[arg-type]


def test_add_business_days() -> None:
    friday, saturday = date(2024, 5, 24), date(2024, 5, 25)
    assert add_business_days(MONDAY, 0) == MONDAY
    assert add_business_days(MONDAY, 5) == date(2024, 5, 27)
    assert add_business_days(friday, 1) == date(2024, 5, 27)
    assert add_business_days(saturday, 1) == date(2024, 5, 27)


# --- bounds ------------------------------------------------------------------------------------


def test_calendar_days_end_at_the_end_of_the_booker_day() -> None:
    w = BookingWindow("calendarDays", days=5)
    assert window_bounds(w, now=NOW, booker_tz="UTC", event_tz="UTC") == (None, utc(2024, 5, 26))
    # Tokyo: now is Monday 19:00 JST → end of Saturday JST = Saturday 15:00Z
    got = window_bounds(w, now=NOW, booker_tz="Asia/Tokyo", event_tz="UTC")
    assert got == (None, utc(2024, 5, 25, 15))
    # Los Angeles: now is Monday 03:00 PDT → end of Saturday PDT = Sunday 07:00Z
    got = window_bounds(w, now=NOW, booker_tz="America/Los_Angeles", event_tz="UTC")
    assert got == (None, utc(2024, 5, 26, 7))


def test_business_days_skip_weekends() -> None:
    w = BookingWindow("businessDays", days=1)
    friday = utc(2024, 5, 24, 12)
    assert window_bounds(w, now=friday, booker_tz="UTC", event_tz="UTC")[1] == utc(2024, 5, 28)


def test_day_windows_use_real_dst_rules() -> None:
    # now 2024-03-28 (Berlin on CET, +1); 5 days → Tue 2024-04-02, after the switch to CEST (+2):
    # the window ends at 2024-04-03 00:00 CEST = 04-02 22:00Z (today's offset would say 23:00Z)
    w = BookingWindow("calendarDays", days=5)
    got = window_bounds(w, now=utc(2024, 3, 28, 12), booker_tz="Europe/Berlin", event_tz="UTC")
    assert got == (None, utc(2024, 4, 2, 22))


def test_range_is_whole_days_in_the_event_zone() -> None:
    w = BookingWindow("range", start_date=date(2024, 6, 3), end_date=date(2024, 6, 4))
    got = window_bounds(w, now=NOW, booker_tz="Asia/Tokyo", event_tz="Europe/Berlin")
    assert got == (utc(2024, 6, 2, 22), utc(2024, 6, 4, 22))


def test_rolling_walk_counts_dates_with_slots() -> None:
    have = {MONDAY, date(2024, 5, 22), date(2024, 5, 25), date(2024, 5, 26), date(2024, 5, 27)}
    asked: list[tuple[date, date]] = []

    def dates_with_slots(first: date, last: date) -> set[date]:
        asked.append((first, last))
        return {d for d in have if first <= d <= last}

    def end(kind: str, days: int) -> datetime | None:
        w = BookingWindow(kind, days=days, rolling=True)  # type: ignore[arg-type]
        return window_bounds(
            w, now=NOW, booker_tz="UTC", event_tz="UTC", dates_with_slots=dates_with_slots
        )[1]

    assert end("calendarDays", 3) == utc(2024, 5, 26)  # 20, 22, 25
    assert asked[0] == (MONDAY, date(2024, 5, 22))  # a first short chunk …
    assert asked[1] == (date(2024, 5, 23), MONDAY + timedelta(days=60))  # … then the rest
    assert end("businessDays", 3) == utc(2024, 5, 28)  # 20, 22, (Sat, Sun not counted) 27
    assert end("calendarDays", 10) == utc(2024, 7, 20)  # not enough: the 61st day, 07-19
    assert end("calendarDays", 0) == utc(2024, 5, 21)  # today only
    with pytest.raises(ValueError):
        window_bounds(
            BookingWindow("calendarDays", days=3, rolling=True),
            now=NOW,
            booker_tz="UTC",
            event_tz="UTC",
        )


# --- listing and booking -----------------------------------------------------------------------


def test_calendar_days_listing_and_booking() -> None:
    r = rules(BookingWindow("calendarDays", days=5))
    got = listed(EVERY_DAY_HOST, r)
    assert max(got) == utc(2024, 5, 25, 16)
    assert verdict(EVERY_DAY_HOST, r, utc(2024, 5, 25, 16)) == "ok"
    assert verdict(EVERY_DAY_HOST, r, utc(2024, 5, 26, 9)) == "out_of_bounds"


def test_business_days_listing_and_booking() -> None:
    r = rules(BookingWindow("businessDays", days=5))
    assert max(listed(EVERY_DAY_HOST, r)) == utc(2024, 5, 27, 16)
    assert verdict(EVERY_DAY_HOST, r, utc(2024, 5, 28, 9)) == "out_of_bounds"


def test_day_window_follows_the_booker_zone_at_booking_time() -> None:
    h = HostInput(Schedule("UTC", (WeeklyHours(frozenset(range(7)), 0, 1440),)))
    r = rules(BookingWindow("calendarDays", days=5))
    tokyo = listed(h, r, booker_tz="Asia/Tokyo")
    assert max(tokyo) == utc(2024, 5, 25, 14)  # 23:00 JST on Saturday
    assert verdict(h, r, utc(2024, 5, 25, 14), booker_tz="Asia/Tokyo") == "ok"
    assert verdict(h, r, utc(2024, 5, 25, 15), booker_tz="Asia/Tokyo") == "out_of_bounds"
    assert verdict(h, r, utc(2024, 5, 25, 15)) == "ok"  # default: the event zone (UTC)


def test_range_listing_and_booking() -> None:
    r = rules(BookingWindow("range", start_date=date(2024, 6, 3), end_date=date(2024, 6, 4)))
    assert listed_dates(EVERY_DAY_HOST, r) == {date(2024, 6, 3), date(2024, 6, 4)}
    assert verdict(EVERY_DAY_HOST, r, utc(2024, 6, 2, 9)) == "out_of_bounds"
    assert verdict(EVERY_DAY_HOST, r, utc(2024, 6, 5, 9)) == "out_of_bounds"
    assert verdict(EVERY_DAY_HOST, r, utc(2024, 6, 4, 16)) == "ok"
    # in the event zone: Berlin's 3 June starts at 06-02 22:00Z
    always = HostInput(Schedule("UTC", (WeeklyHours(frozenset(range(7)), 0, 1440),)))
    berlin = rules(r.booking_window, time_zone="Europe/Berlin")  # type: ignore[arg-type]
    got = listed(always, berlin)
    assert min(got) == utc(2024, 6, 2, 22) and max(got) == utc(2024, 6, 4, 21)
    assert verdict(always, berlin, utc(2024, 6, 2, 21)) == "out_of_bounds"


def test_rolling_calendar_days_count_days_with_slots() -> None:
    r = rules(BookingWindow("calendarDays", days=3, rolling=True))
    assert listed_dates(WEEKDAY_HOST, r) == {MONDAY, date(2024, 5, 21), date(2024, 5, 22)}
    assert verdict(WEEKDAY_HOST, r, utc(2024, 5, 22, 16)) == "ok"
    assert verdict(WEEKDAY_HOST, r, utc(2024, 5, 23, 9)) == "out_of_bounds"  # Cal.com: allowed


def test_rolling_business_days_skip_weekends_but_keep_their_slots() -> None:
    friday = utc(2024, 5, 24, 10)
    r = rules(BookingWindow("businessDays", days=3, rolling=True))
    assert listed_dates(EVERY_DAY_HOST, r, friday) == {date(2024, 5, d) for d in range(24, 29)}
    assert verdict(EVERY_DAY_HOST, r, utc(2024, 5, 29, 9), friday) == "out_of_bounds"


def test_rolling_window_skips_full_days_and_counts_from_today() -> None:
    full_tuesday = ExistingBooking(utc(2024, 5, 21, 9), utc(2024, 5, 21, 17))
    h = hours_host(frozenset(range(5)), full_tuesday)
    r = rules(BookingWindow("calendarDays", days=2, rolling=True))
    assert listed_dates(h, r) == {MONDAY, date(2024, 5, 22)}
    assert verdict(h, r, utc(2024, 5, 22, 9)) == "ok"
    assert verdict(h, r, utc(2024, 5, 23, 9)) == "out_of_bounds"
    # no slots left today (after hours): tomorrow is the first counted day
    evening = utc(2024, 5, 20, 18)
    one = rules(BookingWindow("calendarDays", days=1, rolling=True))
    assert listed_dates(WEEKDAY_HOST, one, evening) == {date(2024, 5, 21)}
    # a query starting later still counts from today (cal.com#25405)
    later = compute_slots(
        [WEEKDAY_HOST],
        r,
        window_start=utc(2024, 5, 21),
        window_end=utc(2024, 5, 30),
        booker_tz="UTC",
        now=NOW,
    )
    assert {s.date() for s in later} == {date(2024, 5, 21)}


def test_rolling_window_uses_the_booker_zone_dates() -> None:
    # 09:00-17:00Z is 18:00-02:00 in Tokyo: Monday's slots touch two Tokyo dates
    r = rules(BookingWindow("calendarDays", days=2, rolling=True))
    got = listed(WEEKDAY_HOST, r, booker_tz="Asia/Tokyo")
    tokyo_dates = {s.astimezone(ZoneInfo("Asia/Tokyo")).date() for s in got}
    assert tokyo_dates == {MONDAY, date(2024, 5, 21)}
    assert verdict(WEEKDAY_HOST, r, max(got), booker_tz="Asia/Tokyo") == "ok"
    assert verdict(WEEKDAY_HOST, r, max(got) + timedelta(hours=1), booker_tz="Asia/Tokyo") == (
        "out_of_bounds"
    )
