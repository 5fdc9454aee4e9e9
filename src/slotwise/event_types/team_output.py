"""The ``TeamEventTypeOutput_2024_06_14`` shape of a team event type (or of a managed child).

Built on the personal ``EventTypeOutput_2024_06_14`` (:func:`event_type_output`: the same
defaults for every event-type field) without ``users`` and ``bookingUrl``, plus, as Cal.com's
``OutputOrganizationsEventTypesService`` answers them:

- ``teamId`` (None for a managed child), ``ownerId`` (None for a team event type, the member
  for a managed child), ``parentEventTypeId`` (the managed parent of a child, else None),
  ``schedulingType`` (``collective`` | ``roundRobin`` | ``managed``; None for a managed child,
  as Cal.com stores none on it), ``assignAllTeamMembers`` (team event types only),
  ``rescheduleWithSameRoundRobinHost`` and ``team`` (id, name, slug and the presentation
  fields of the team profile, null when unset; all null for a managed child);
- ``hosts``: ``{userId, name, username, avatarUrl}``; round-robin hosts add ``mandatory`` and
  ``priority`` (``lowest`` … ``highest``) and, as Slotwise extensions, ``weight``; every host of
  a collective or round-robin event type carries the extension ``scheduleId``. A managed parent
  lists one host per child (the assigned members); a managed child lists none.

Extensions (docs/extensions.md): ``isRRWeightsEnabled`` and ``includeNoShowInRRCalculation``
(team event types), ``hosts[].weight`` and ``hosts[].scheduleId``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slotwise.event_types.output import event_type_output
from slotwise.event_types.team_schemas import MANAGED, ROUND_ROBIN
from slotwise.models import EventType, Host, Team, User
from slotwise.models.scheduling import DEFAULT_PRIORITY, PRIORITIES

_TEAM_PROFILE = ("bannerUrl", "logoUrl", "brandColor", "darkBrandColor", "theme")


def team_summary(team: Team | None, team_id: int | None) -> dict[str, Any]:
    """Cal.com's ``EventTypeTeam``: id, name, slug and the team's presentation fields (null
    when unset; ``weekStart`` defaults to Sunday)."""
    profile = (team.profile or {}) if team is not None else {}
    out: dict[str, Any] = {
        "id": team_id,
        "name": team.name if team is not None else None,
        "slug": team.slug if team is not None else None,
        "weekStart": profile.get("weekStart") or "Sunday",
    }
    for key in _TEAM_PROFILE:
        out[key] = profile.get(key)
    return out


def priority_name(priority: int | None) -> str:
    """A stored priority (0 … 4) as the API names it; out of range → ``medium``."""
    if priority is None or not 0 <= priority < len(PRIORITIES):
        return PRIORITIES[DEFAULT_PRIORITY]
    return PRIORITIES[priority]


def host_output(host: Host | None, user: User, scheduling_type: str | None) -> dict[str, Any]:
    """One entry of ``hosts`` (see the module docstring); ``host`` None for a managed child's
    owner."""
    out: dict[str, Any] = {
        "userId": user.id,
        "name": user.name or "",
        "username": user.username or "",
        "avatarUrl": user.avatar_url,
    }
    if host is None:
        return out
    if scheduling_type == ROUND_ROBIN:
        out["mandatory"] = bool(host.mandatory)
        out["priority"] = priority_name(host.priority)
        out["weight"] = host.weight
    out["scheduleId"] = host.schedule_id
    return out


def team_event_type_output(
    event_type: EventType,
    hosts: Sequence[tuple[Host | None, User]],
    team: Team | None,
    base_url: str,
    *,
    hide_hidden_fields: bool = False,
) -> dict[str, Any]:
    """``TeamEventTypeOutput_2024_06_14`` of ``event_type``. ``hosts``: (host row, user) in
    order — for a managed parent, (None, member) per child; ``team``: the owning team (for a
    managed child: its parent's team)."""
    out = event_type_output(event_type, [], base_url, hide_hidden_fields=hide_hidden_fields)
    out.pop("users", None)
    out.pop("bookingUrl", None)
    config = event_type.config or {}
    scheduling_type = event_type.scheduling_type
    team_id = event_type.team_id
    out.update(
        {
            "hosts": [host_output(h, u, scheduling_type) for h, u in hosts],
            "teamId": team_id,
            "ownerId": event_type.user_id,
            "parentEventTypeId": event_type.parent_id,
            "schedulingType": scheduling_type,
            "team": team_summary(team, team_id),
            "rescheduleWithSameRoundRobinHost": bool(
                config.get("rescheduleWithSameRoundRobinHost", False)
            ),
        }
    )
    if team_id is not None:
        out["assignAllTeamMembers"] = bool(config.get("assignAllTeamMembers", False))
        out["isRRWeightsEnabled"] = bool(config.get("isRRWeightsEnabled", False))
        out["includeNoShowInRRCalculation"] = bool(
            config.get("includeNoShowInRRCalculation", False)
        )
    if team_id is not None and event_type.scheduling_type == MANAGED:
        stored = config.get("managedEventConfig")
        out["managedEventConfig"] = dict(stored) if isinstance(stored, dict) else {}
    return out
