"""The fast instant formatter used for slot lists agrees with zoneinfo everywhere."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from slotwise.kit.envelope import InstantFormatter, iso_in_zone, iso_utc


@pytest.mark.parametrize(
    "tz",
    ["Europe/Berlin", "America/New_York", "Asia/Kathmandu", "Australia/Lord_Howe",
     "America/St_Johns", "UTC", None],
)  # fmt: skip
def test_formatter_matches_zoneinfo(tz: str | None) -> None:
    rng = random.Random(7)
    formatter = InstantFormatter(tz)
    base = datetime(2024, 1, 1, tzinfo=UTC)
    for _ in range(5000):
        value = base + timedelta(minutes=rng.randrange(0, 60 * 24 * 730))
        expected = iso_utc(value) if tz in (None, "UTC") else iso_in_zone(value, tz)
        assert formatter.iso(value) == expected
        assert formatter.local_date(value) == value.astimezone(formatter.zone).date().isoformat()


def test_formatter_across_a_dst_change() -> None:
    formatter = InstantFormatter("Europe/Berlin")
    before = datetime(2050, 3, 27, 0, 30, tzinfo=UTC)
    after = datetime(2050, 3, 27, 1, 30, tzinfo=UTC)
    assert formatter.iso(before) == "2050-03-27T01:30:00.000+01:00"
    assert formatter.iso(after) == "2050-03-27T03:30:00.000+02:00"


@pytest.mark.parametrize(
    "tz",
    ["Europe/Berlin", "America/Santiago", "Asia/Kathmandu", "Australia/Lord_Howe",
     "America/St_Johns", "UTC", None],
)  # fmt: skip
def test_batch_formatting_matches_one_by_one(tz: str | None) -> None:
    # Sorted 15-minute starts over two years (every DST change, Santiago's midnight ones too).
    formatter = InstantFormatter(tz)
    first = int(datetime(2024, 1, 1, tzinfo=UTC).timestamp())
    seconds = list(range(first, first + 730 * 86400, 15 * 60))
    got = formatter.dates_and_isos(seconds)
    assert len(got) == len(seconds)
    for ts, (day, text) in zip(seconds, got, strict=True):
        value = datetime.fromtimestamp(ts, UTC)
        expected = iso_utc(value) if tz in (None, "UTC") else iso_in_zone(value, tz)
        assert text == expected
        assert day == value.astimezone(formatter.zone).date().isoformat()
