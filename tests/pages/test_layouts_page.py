"""The Booker's month, week and column layouts (``bookerLayouts``) over HTTP (both
databases): the switcher, the default, ``?layout=`` deep links and booking from a day column."""

from __future__ import annotations

import re
from typing import Any

import httpx2

from tests.conftest import Host
from tests.pages.page_fixtures import MONDAY, SLOT, available_days, booker_url, intro, submit
from tests.pages.test_booking_flow import FORM, booking_uid

ALL = {"defaultLayout": "week", "enabledLayouts": ["month", "week", "column"]}


def columns(html: str) -> list[str]:
    """The dates of the day columns, in order."""
    return re.findall(r'data-column="([0-9-]+)"', html)


def column_slots(html: str, day: str) -> list[str]:
    """The slot values offered in the column of ``day``."""
    part = html.split(f'data-column="{day}"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'name="slot" value="([^"]+)"', part)


def switcher(html: str) -> list[tuple[str, bool]]:
    """(label, current) of every layout link."""
    nav = re.search(r'<nav class="layouts" aria-label="Layout">(.*?)</nav>', html, re.S)
    assert nav, html
    return [
        (label, current == ' aria-current="true"')
        for current, label in re.findall(
            r'class="chip" href="[^"]*"( aria-current="true")?>(\w+)</a>', nav.group(1)
        )
    ]


async def test_default_week_layout_shows_seven_day_columns(
    app: Any, client: httpx2.AsyncClient, host: Host
) -> None:
    await intro(app, host, bookerLayouts=ALL)
    r = await client.get(booker_url(date="2050-09-07"))
    assert r.status_code == 200
    assert switcher(r.text) == [("Month", False), ("Week", True), ("Column", False)]
    # the host's week starts on Sunday: Sunday 4 to Saturday 10 September
    assert columns(r.text) == [f"2050-09-{d:02d}" for d in range(4, 11)]
    assert column_slots(r.text, "2050-09-04") == []  # Sunday: no hours
    monday = column_slots(r.text, MONDAY)
    assert monday[0] == "2050-09-05T09:00:00.000Z" and len(monday) == 16
    assert 'aria-labelledby="col-2050-09-05"' in r.text
    assert '<span class="sr-only">Monday, September 5, 2050</span>' in r.text
    assert 'aria-label="10:00 AM, Monday, September 5, 2050"' in r.text
    assert 'class="month"' not in r.text  # no month grid in this layout
    # next week keeps the layout (the default needs no parameter)
    assert (
        "date=2050-09-11" in r.text
        and "layout=" not in r.text.split("Next days")[0].split('rel="next"')[1]
    )


async def test_layout_deep_links_and_disabled_layouts(
    app: Any, client: httpx2.AsyncClient, host: Host
) -> None:
    await intro(
        app, host, bookerLayouts={"defaultLayout": "month", "enabledLayouts": ["month", "column"]}
    )
    month = await client.get(booker_url())
    assert 'class="month"' in month.text and available_days(month.text)[0] == "2050-09-01"
    assert switcher(month.text) == [("Month", True), ("Column", False)]
    column = await client.get(booker_url(date=MONDAY, layout="column"))
    assert columns(column.text) == [f"2050-09-{d:02d}" for d in range(5, 10)]
    assert switcher(column.text) == [("Month", False), ("Column", True)]
    assert "layout=column" in column.text  # links keep the chosen layout
    week = await client.get(booker_url(date=MONDAY, layout="week"))  # not enabled: the default
    assert 'class="month"' in week.text and not columns(week.text)


async def test_month_only_without_booker_layouts(
    app: Any, client: httpx2.AsyncClient, host: Host
) -> None:
    await intro(app, host)
    r = await client.get(booker_url(date=MONDAY, layout="week"))
    assert 'class="month"' in r.text and 'class="layouts"' not in r.text


async def test_book_from_a_week_column(app: Any, client: httpx2.AsyncClient, host: Host) -> None:
    await intro(app, host, bookerLayouts=ALL)
    form = await client.get(booker_url(date=MONDAY, slot=SLOT))
    assert form.status_code == 200 and "data-booking-form" in form.text
    assert 'class="slots wide"' in form.text
    r = await submit(client, FORM)
    booking_uid(r)
    again = await client.get(booker_url(date=MONDAY))
    assert SLOT not in column_slots(again.text, MONDAY)
    assert "2050-09-05T09:30:00.000Z" in column_slots(again.text, MONDAY)
