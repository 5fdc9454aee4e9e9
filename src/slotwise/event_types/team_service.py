"""Team event types: create, read, list, update, delete (Cal.com API v2, 2024-06-14 shapes).

Services take ``(session, actor, team_id, …)`` and never read the URL, so the organization
routes (``/v2/organizations/{orgId}/teams/{teamId}/event-types``) can call them as they are.

Who may (Cal.com's ``RolesGuard`` on ``TeamsEventTypesController``): create, read one, update
and delete need TEAM_ADMIN (403 otherwise, see :mod:`slotwise.policy.teams`); the listing is
public (hidden event types only for accepted members).

Storage (docs/architecture.md, "Teams"): a team event type has ``team_id`` set and ``user_id``
NULL; the personal fields are stored and checked exactly as for personal event types
(:func:`slotwise.event_types.service.apply_fields`); ``schedulingType`` is the column
``scheduling_type``; ``assignAllTeamMembers``, ``rescheduleWithSameRoundRobinHost``,
``isRRWeightsEnabled`` and ``includeNoShowInRRCalculation`` live in ``config``; the hosts are
``hosts`` rows (collective: every host mandatory, medium priority). A managed event type has no
host rows: its assigned members get child event types (:mod:`slotwise.event_types.managed`).

Rules, with Cal.com's answers:

- slugs are unique per team → 400 "Team event type with this slug already exists";
- every host must be an accepted member → 404 "Invalid hosts: 5, 6 are not members of team
  with id 3." (Cal.com's e2e tests assert 404);
- a host's ``scheduleId`` must be one of that host's schedules, the event type's ``scheduleId``
  one of a member's → 404;
- an update cannot make an event type managed or unmanage it (the body's enum refuses it);
  changing ``schedulingType`` without ``hosts`` or ``assignAllTeamMembers`` leaves the event
  type without hosts, as Cal.com documents.

Services flush, never commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.event_types import managed
from slotwise.event_types.service import apply_fields, flush_slug
from slotwise.event_types.team_output import team_event_type_output
from slotwise.event_types.team_schemas import (
    COLLECTIVE,
    MANAGED,
    TEAM_FIELDS,
    TEAM_FLAGS,
    CreateTeamEventTypeInput,
    HostInput,
    UpdateTeamEventTypeInput,
)
from slotwise.kit.errors import BadRequest, NotFound
from slotwise.kit.principal import Actor
from slotwise.models import EventType, Host, Membership, Schedule, Team, User
from slotwise.models.scheduling import DEFAULT_PRIORITY
from slotwise.policy.teams import require_team_role, team_membership

TEAM_SLUG_TAKEN = "Team event type with this slug already exists"


@dataclass
class TeamEventTypes:
    """What a create or update answers: the event type, and for a managed one its children
    (Cal.com then answers the array ``[parent, *children]``)."""

    event_type: EventType
    children: Sequence[EventType] | None = None

    @property
    def answer(self) -> list[EventType] | EventType:
        """The parent alone, or ``[parent, *children]`` for a managed event type."""
        if self.children is None:
            return self.event_type
        return [self.event_type, *self.children]


async def accepted_member_ids(session: AsyncSession, team_id: int) -> list[int]:
    """The user ids of the team's accepted members, in membership order."""
    rows = await session.scalars(
        select(Membership.user_id)
        .where(Membership.team_id == team_id, Membership.accepted.is_(True))
        .order_by(Membership.id)
    )
    return list(rows)


async def find_team_event_type(
    session: AsyncSession, team_id: int, event_type_id: int
) -> EventType | None:
    """The event type ``event_type_id`` of team ``team_id``, or None."""
    return await session.scalar(
        select(EventType).where(EventType.id == event_type_id, EventType.team_id == team_id)
    )


async def _check_hosts(session: AsyncSession, team_id: int, hosts: Sequence[HostInput]) -> None:
    members = set(await accepted_member_ids(session, team_id))
    invalid = [str(h.userId) for h in hosts if h.userId not in members]
    if invalid:
        raise NotFound(
            f"Invalid hosts: {', '.join(invalid)} are not members of team with id {team_id}."
        )
    wanted = [(h.userId, h.scheduleId) for h in hosts if h.scheduleId is not None]
    if not wanted:
        return
    owners = dict(
        (
            await session.execute(
                select(Schedule.id, Schedule.user_id).where(Schedule.id.in_([s for _, s in wanted]))
            )
        ).all()
    )
    for user_id, schedule_id in wanted:
        if owners.get(schedule_id) != user_id:
            raise NotFound(f"User with ID={user_id} does not own schedule with ID={schedule_id}")


async def _replace_hosts(
    session: AsyncSession, event_type: EventType, hosts: Sequence[HostInput]
) -> None:
    """Make ``hosts`` the event type's hosts, replacing its host rows (Cal.com replaces the
    hosts on update). Collective: every host mandatory with the default priority."""
    collective = event_type.scheduling_type == COLLECTIVE
    await session.execute(delete(Host).where(Host.event_type_id == event_type.id))
    for host in hosts:
        session.add(
            Host(
                event_type_id=event_type.id,
                user_id=host.userId,
                mandatory=True if collective else bool(host.mandatory),
                priority=DEFAULT_PRIORITY if collective else host.priority_index(),
                weight=host.weight_or_default(),
                schedule_id=host.scheduleId,
            )
        )
    await session.flush()


def _all_members(member_ids: Sequence[int]) -> list[HostInput]:
    return [HostInput(userId=user_id) for user_id in member_ids]


async def _apply_team_fields(
    session: AsyncSession,
    team_id: int,
    event_type: EventType,
    body: CreateTeamEventTypeInput | UpdateTeamEventTypeInput,
    *,
    creating: bool,
) -> None:
    async def slug_taken(slug: str, creating: bool) -> bool:
        query = select(EventType.id).where(EventType.team_id == team_id, EventType.slug == slug)
        if not creating:
            query = query.where(EventType.id != event_type.id)
        return (await session.scalar(query.limit(1))) is not None

    async def check_schedule(schedule_id: int) -> None:
        owner = await session.scalar(select(Schedule.user_id).where(Schedule.id == schedule_id))
        if owner is None or owner not in await accepted_member_ids(session, team_id):
            raise NotFound(
                f"Schedule with ID={schedule_id} is not a schedule of a member of team with "
                f"id {team_id}."
            )

    await apply_fields(
        session,
        event_type,
        body,
        creating=creating,
        slug_taken=slug_taken,
        slug_message=TEAM_SLUG_TAKEN,
        check_schedule=check_schedule,
        skip=TEAM_FIELDS,
    )
    given = body.model_fields_set
    config = dict(event_type.config or {})
    for flag in TEAM_FLAGS:
        if flag in given:
            value = getattr(body, flag)
            if value is None:
                config.pop(flag, None)
            else:
                config[flag] = value
    if "managedEventConfig" in given:
        if event_type.scheduling_type != MANAGED:
            raise BadRequest("managedEventConfig is only for managed event types")
        if body.managedEventConfig is None:
            config.pop("managedEventConfig", None)
        else:
            config["managedEventConfig"] = body.managedEventConfig.model_dump()
    elif creating and event_type.scheduling_type == MANAGED:
        config["managedEventConfig"] = {}
    event_type.config = config


async def create_team_event_type(
    session: AsyncSession, actor: Actor, team_id: int, body: CreateTeamEventTypeInput
) -> TeamEventTypes:
    """Create a team event type (TEAM_ADMIN). Its hosts are ``body.hosts``, or every accepted
    member with ``assignAllTeamMembers``; a managed event type gets one child per assigned
    member instead. Raises Forbidden/NotFound/BadRequest per the module rules."""
    await require_team_role(session, actor, team_id, "TEAM_ADMIN")
    if body.hosts:
        await _check_hosts(session, team_id, body.hosts)
    event_type = EventType(
        user_id=None,
        team_id=team_id,
        scheduling_type=body.schedulingType,
        title=body.title,
        slug="",
        length=body.lengthInMinutes,
        hidden=False,
        schedule_id=None,
        position=0,
        config={},
    )
    await _apply_team_fields(session, team_id, event_type, body, creating=True)
    session.add(event_type)
    await flush_slug(session, TEAM_SLUG_TAKEN)
    member_ids = await accepted_member_ids(session, team_id)
    if body.schedulingType == MANAGED:
        assigned = member_ids if body.assignAllTeamMembers else [h.userId for h in body.hosts or []]
        children = await managed.sync_children(session, event_type, assigned)
        return TeamEventTypes(event_type, children)
    hosts = _all_members(member_ids) if body.assignAllTeamMembers else list(body.hosts or [])
    await _replace_hosts(session, event_type, hosts)
    return TeamEventTypes(event_type)


async def get_team_event_type(
    session: AsyncSession, actor: Actor, team_id: int, event_type_id: int
) -> EventType:
    """One event type of the team (TEAM_ADMIN, as Cal.com's controller); 404 "Event type with
    id N not found" when the team has no such event type."""
    await require_team_role(session, actor, team_id, "TEAM_ADMIN")
    event_type = await find_team_event_type(session, team_id, event_type_id)
    if event_type is None:
        raise NotFound(f"Event type with id {event_type_id} not found")
    return event_type


async def list_team_event_types(
    session: AsyncSession,
    actor: Actor | None,
    team_id: int,
    *,
    event_slug: str | None = None,
    newest_first: bool | None = None,
) -> list[EventType]:
    """The team's event types (public; hidden ones only for the team's accepted members),
    ordered by creation (id); with ``event_slug`` the one with that slug, or none. An unknown
    team has none."""
    query = select(EventType).where(EventType.team_id == team_id)
    if event_slug is not None:
        query = query.where(EventType.slug == event_slug)
    if await team_membership(session, actor, team_id) is None:
        query = query.where(EventType.hidden.is_(False))
    order = EventType.id.desc() if newest_first else EventType.id.asc()
    return list(await session.scalars(query.order_by(order)))


async def update_team_event_type(
    session: AsyncSession,
    actor: Actor,
    team_id: int,
    event_type_id: int,
    body: UpdateTeamEventTypeInput,
) -> TeamEventTypes:
    """Apply the fields given (TEAM_ADMIN; 400 "Event type to update not found" for an event
    type the team does not have, as Cal.com). ``hosts`` replaces the hosts (a managed event
    type's assigned members), ``assignAllTeamMembers: true`` makes every accepted member one;
    a new ``schedulingType`` without either leaves no hosts. A managed event type's children
    take the parent's locked fields (:func:`managed.sync_children`)."""
    await require_team_role(session, actor, team_id, "TEAM_ADMIN")
    event_type = await find_team_event_type(session, team_id, event_type_id)
    if event_type is None:  # Cal.com's input service answers 400 here (its e2e tests assert it)
        raise BadRequest("Event type to update not found")
    given = body.model_fields_set
    is_managed = event_type.scheduling_type == MANAGED
    if body.schedulingType is not None and is_managed:
        raise BadRequest(
            "A managed event type cannot become collective or round robin: create a new team "
            "event type and delete this one."
        )
    if body.hosts:
        await _check_hosts(session, team_id, body.hosts)
    changed_type = body.schedulingType is not None and body.schedulingType != (
        event_type.scheduling_type
    )
    if body.schedulingType is not None:
        event_type.scheduling_type = body.schedulingType
    await _apply_team_fields(session, team_id, event_type, body, creating=False)
    await flush_slug(session, TEAM_SLUG_TAKEN)
    if is_managed:
        if body.assignAllTeamMembers:
            assigned: list[int] | None = await accepted_member_ids(session, team_id)
        elif "hosts" in given and body.hosts is not None:
            assigned = [h.userId for h in body.hosts]
        else:
            assigned = None
        children = await managed.sync_children(session, event_type, assigned)
        return TeamEventTypes(event_type, children)
    if body.assignAllTeamMembers:
        await _replace_hosts(
            session, event_type, _all_members(await accepted_member_ids(session, team_id))
        )
    elif "hosts" in given and body.hosts is not None:
        await _replace_hosts(session, event_type, body.hosts)
    elif changed_type:
        await _replace_hosts(session, event_type, [])
    return TeamEventTypes(event_type)


async def delete_team_event_type(
    session: AsyncSession, actor: Actor, team_id: int, event_type_id: int
) -> EventType:
    """Delete a team event type (TEAM_ADMIN) and, for a managed one, its children; their
    bookings stay (``bookings.event_type_id`` becomes NULL). 404 "Event type with ID=N does
    not exist." when the team has no such event type."""
    await require_team_role(session, actor, team_id, "TEAM_ADMIN")
    event_type = await find_team_event_type(session, team_id, event_type_id)
    if event_type is None:
        raise NotFound(f"Event type with ID={event_type_id} does not exist.")
    await managed.delete_children(session, event_type)
    await session.delete(event_type)
    await session.flush()
    return event_type


async def render(
    session: AsyncSession,
    event_types: Sequence[EventType],
    base_url: str,
    *,
    hosts_limit: int | None = None,
    hide_hidden_fields: bool = False,
) -> list[dict[str, Any]]:
    """``TeamEventTypeOutput_2024_06_14`` of each event type (team event types and managed
    children), loading their hosts, users and teams in three statements. ``hosts_limit``
    keeps the first N hosts of each."""
    ids = [et.id for et in event_types]
    parents = [et.id for et in event_types if et.scheduling_type == MANAGED]
    host_rows = (
        await session.execute(
            select(Host, User)
            .join(User, User.id == Host.user_id)
            .where(Host.event_type_id.in_(ids))
            .order_by(Host.id)
        )
    ).all()
    child_rows = (
        await session.execute(
            select(EventType.parent_id, User)
            .join(User, User.id == EventType.user_id)
            .where(EventType.parent_id.in_(parents))
            .order_by(EventType.id)
        )
        if parents
        else None
    )
    hosts: dict[int, list[tuple[Host | None, User]]] = {i: [] for i in ids}
    for host, user in host_rows:
        hosts[host.event_type_id].append((host, user))
    for parent_id, user in child_rows.all() if child_rows is not None else []:
        if parent_id is not None:
            hosts[parent_id].append((None, user))
    team_ids = {et.team_id for et in event_types if et.team_id is not None}
    found: Sequence[Team] = (
        (await session.scalars(select(Team).where(Team.id.in_(team_ids)))).all() if team_ids else []
    )
    teams = {t.id: t for t in found}
    out = []
    for et in event_types:
        listed = hosts[et.id] if et.team_id is not None else []
        if hosts_limit is not None:
            listed = listed[:hosts_limit]
        out.append(
            team_event_type_output(
                et,
                listed,
                teams.get(et.team_id) if et.team_id is not None else None,
                base_url,
                hide_hidden_fields=hide_hidden_fields,
            )
        )
    return out
