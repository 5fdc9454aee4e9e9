"""Teams (issue 13): teams, their memberships and invitation links.

Services take ``(session, principal, team_id, ...)`` and never read the URL, so the
organization routes (``/v2/organizations/{orgId}/teams/{teamId}/...``) can call them with their
own prefix. Who may do what is decided by :mod:`slotwise.policy.teams` (Cal.com's RolesGuard).
"""
