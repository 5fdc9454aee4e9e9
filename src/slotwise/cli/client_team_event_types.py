"""Client commands ``teams event-types …`` (``/v2/teams/{teamId}/event-types``): a team's
collective, round-robin and managed event types. ``--json`` prints the answer's ``data``; write
commands otherwise print one line."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any

import typer

from slotwise.cli.client_common import (
    Column,
    DataOption,
    JsonOption,
    WideOption,
    body,
    call,
    done,
    record,
    show,
    table,
)

event_types_app = typer.Typer(
    help="A team's event types (/v2/teams/{teamId}/event-types).", no_args_is_help=True
)


def hosts_text(event_type: Mapping[str, Any]) -> str:
    """``alice, bob (mandatory)``: the hosts by username (the assigned members of a managed
    event type)."""
    hosts = event_type.get("hosts") or []
    names = []
    for host in hosts:
        if not isinstance(host, Mapping):
            continue
        name = str(host.get("username") or host.get("userId"))
        names.append(f"{name} (mandatory)" if host.get("mandatory") else name)
    return ", ".join(names) or "none"


def team_event_type_line(verb: str, data: Any) -> str:
    """``Created team event type 7 "Demo" (roundRobin, 30 min) — hosts: alice, bob``; a managed
    one adds how many member copies it has."""
    items: Sequence[Any] = data if isinstance(data, list) else [data]
    if not items or not isinstance(items[0], Mapping):
        return f"{verb} team event type."
    first = items[0]
    line = (
        f'{verb} team event type {first.get("id")} "{first.get("title")}" '
        f"({first.get('schedulingType')}, {first.get('lengthInMinutes')} min) — hosts: "
        f"{hosts_text(first)}"
    )
    if isinstance(data, list):
        line += f"; {len(items) - 1} member event type(s)"
    return line


COLUMNS: list[Column] = [
    Column("id", "id"),
    Column("slug", "slug"),
    Column("title", "title", flex=True),
    Column("type", "schedulingType"),
    Column("minutes", "lengthInMinutes"),
    Column("hosts", hosts_text, flex=True),
]
WIDE_COLUMNS: list[Column] = [
    *COLUMNS,
    Column("hidden", "hidden"),
    Column("all members", "assignAllTeamMembers"),
    Column("description", "description", flex=True),
]


@event_types_app.command("list")
def team_event_types_list(
    team_id: int,
    event_slug: Annotated[str | None, typer.Option("--event-slug")] = None,
    as_json: JsonOption = False,
    wide: WideOption = False,
) -> None:
    """List a team's event types."""
    params = {"eventSlug": event_slug} if event_slug else {}
    data = call(lambda c: c.team_event_types.list(team_id, **params))
    columns = WIDE_COLUMNS if wide else COLUMNS
    show(data, as_json, lambda d: table(d, columns, "team event types", wide=wide))


@event_types_app.command("get")
def team_event_types_get(team_id: int, event_type_id: int, as_json: JsonOption = False) -> None:
    """Show one team event type (team admins)."""
    show(call(lambda c: c.team_event_types.get(team_id, event_type_id)), as_json, record)


@event_types_app.command("create")
def team_event_types_create(
    team_id: int,
    title: Annotated[str | None, typer.Option("--title")] = None,
    slug: Annotated[str | None, typer.Option("--slug")] = None,
    length: Annotated[int | None, typer.Option("--length", help="Minutes")] = None,
    scheduling_type: Annotated[
        str | None,
        typer.Option("--scheduling-type", help="collective, roundRobin or managed"),
    ] = None,
    host: Annotated[
        list[int] | None, typer.Option("--host", metavar="USER_ID", help="A host (repeatable)")
    ] = None,
    all_members: Annotated[
        bool | None, typer.Option("--all-members", help="Every member is a host")
    ] = None,
    data: DataOption = None,
    as_json: JsonOption = False,
) -> None:
    """Create a team event type (title, slug, length and scheduling type are required)."""
    payload = body(
        data,
        title=title,
        slug=slug,
        lengthInMinutes=length,
        schedulingType=scheduling_type,
        hosts=[{"userId": user_id} for user_id in host or []],
        assignAllTeamMembers=all_members,
    )
    data_out = call(lambda c: c.team_event_types.create(team_id, payload))
    done(data_out, as_json, lambda d: team_event_type_line("Created", d))


@event_types_app.command("delete")
def team_event_types_delete(team_id: int, event_type_id: int, as_json: JsonOption = False) -> None:
    """Delete a team event type (and a managed one's member copies)."""
    data = call(lambda c: c.team_event_types.delete(team_id, event_type_id))
    title = f' "{data.get("title")}"' if isinstance(data, Mapping) and data.get("title") else ""
    done(data, as_json, lambda _d: f"Deleted team event type {event_type_id}{title}.")
