"""The Booker's time-zone picker: canonical IANA names, their UTC offsets and local times.

Browsers report CLDR's zone ids, which keep IANA's old names (``Asia/Calcutta``,
``America/Cordoba``, ``Europe/Kiev``). :func:`canonical_zone` maps such a legacy link to the
zone it names today (``Asia/Kolkata``, ``America/Argentina/Cordoba``, ``Europe/Kyiv``) with the
link lines (``L target link``) of the installed tzdata's ``tzdata.zi``. A link that
``zone.tab`` still lists as a country's location (``Europe/Amsterdam``, a link to
``Europe/Brussels`` since tzdata 2022b) stays as it is: people choose it by its own name.

:func:`zone_options` is the picker's list: every location of ``zone.tab`` and ``UTC``, the
booker's zone first, then by UTC offset and name, each with its offset and the current local
time (the script adds a search over the same list).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path
from zoneinfo import TZPATH, ZoneInfo, ZoneInfoNotFoundError

_UTC_LINKS = frozenset({"Etc/UTC", "Etc/UCT", "Etc/Universal", "Etc/Zulu"})


def _data_file(name: str) -> str:
    """The text of tzdata file ``name`` (``tzdata.zi``, ``zone.tab``): from the ``tzdata``
    package (a dependency, the same data ``zoneinfo`` falls back to), else the system's."""
    try:
        return resources.files("tzdata.zoneinfo").joinpath(name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        pass
    for folder in TZPATH:
        path = Path(folder) / name
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return ""


@lru_cache(maxsize=1)
def _links() -> dict[str, str]:
    """Link name → target zone, from ``tzdata.zi``'s ``L`` lines."""
    out: dict[str, str] = {}
    for line in _data_file("tzdata.zi").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "L":
            out[parts[2]] = parts[1]
    return out


@lru_cache(maxsize=1)
def _listed() -> frozenset[str]:
    return frozenset(locations())


@lru_cache(maxsize=1)
def locations() -> tuple[str, ...]:
    """The zones of ``zone.tab`` (one or more per country) that this Python can load, sorted."""
    names: set[str] = set()
    for line in _data_file("zone.tab").splitlines():
        parts = line.split("\t")
        if line.startswith("#") or len(parts) < 3:
            continue
        try:
            ZoneInfo(parts[2])
        except (ZoneInfoNotFoundError, ValueError):
            continue
        names.add(parts[2])
    return tuple(sorted(names))


def canonical_zone(name: str) -> str:
    """The canonical IANA name of zone ``name``: a legacy link's target (``Asia/Calcutta`` →
    ``Asia/Kolkata``; ``Etc/UTC`` → ``UTC``), else ``name`` itself (also for a link that
    ``zone.tab`` lists, and for names it does not know)."""
    if name == "UTC":
        return name
    listed = _listed()
    seen = 0
    current = name
    while current not in listed and current in _links() and seen < 4:
        current = _links()[current]
        seen += 1
    if current in _UTC_LINKS:
        return "UTC"
    return current


def offset_text(offset: timedelta | None) -> str:
    """``UTC+05:30``, ``UTC−03:00`` (a true minus sign), ``UTC±00:00`` for zero."""
    minutes = int((offset or timedelta()).total_seconds() // 60)
    if minutes == 0:
        return "UTC±00:00"
    sign = "+" if minutes > 0 else "\u2212"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


@dataclass(frozen=True)
class ZoneOption:
    """One entry of the picker: ``name`` (the IANA name, the submitted value), ``label``
    (the name with spaces, its offset and current local time), ``offset`` (``UTC+05:30``)
    and ``time`` (the local clock time now)."""

    name: str
    label: str
    offset: str
    time: str


def _clock(moment: datetime, hour12: bool) -> str:
    if not hour12:
        return f"{moment.hour:02d}:{moment.minute:02d}"
    hour = moment.hour % 12 or 12
    return f"{hour}:{moment.minute:02d} {'AM' if moment.hour < 12 else 'PM'}"


def _option(name: str, now: datetime, hour12: bool) -> tuple[int, ZoneOption] | None:
    try:
        local = now.astimezone(ZoneInfo(name))
    except (ZoneInfoNotFoundError, ValueError):
        return None
    offset = local.utcoffset() or timedelta()
    off, clock = offset_text(offset), _clock(local, hour12)
    label = f"{name.replace('_', ' ')} ({off}, {clock})"
    return int(offset.total_seconds()), ZoneOption(name, label, off, clock)


@lru_cache(maxsize=4)
def _all_options(minute: int, hour12: bool) -> tuple[ZoneOption, ...]:
    """Every location and UTC at the start of Unix minute ``minute``, by offset and name."""
    now = datetime.fromtimestamp(minute * 60, UTC)
    rows = [row for name in (*locations(), "UTC") if (row := _option(name, now, hour12))]
    rows.sort(key=lambda row: (row[0], row[1].name))
    return tuple(row[1] for row in rows)


def zone_options(current: str, now: datetime, hour12: bool) -> list[ZoneOption]:
    """The picker's list at instant ``now``: ``current`` (the booker's zone) first, then every
    location of ``zone.tab`` and ``UTC`` by UTC offset and name, with offsets and local clock
    times (12- or 24-hour). Computed once a minute."""
    rest = _all_options(int(now.timestamp() // 60), hour12)
    first = _option(current, now.replace(second=0, microsecond=0), hour12)
    head = [first[1]] if first else []
    return head + [option for option in rest if option.name != current]
