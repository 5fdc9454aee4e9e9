"""Authorization: who may read or manage what, one module per resource.

Every endpoint, page and MCP tool asks these functions, never compares ids itself. Each module
states its resource's rule ("readable by", "manageable by") once, as a predicate on a loaded
object, as a WHERE clause for lists, and as a loader that answers the resource's refusal.

Rules shared by every resource (unchanged from before this layer existed):

- another user's object is reported as missing (404 with the resource's own message), never as
  forbidden, so ids cannot be probed;
- the exceptions are Cal.com's: confirming or declining someone else's booking is 403, and so
  is reserving a slot with ``reservationDuration`` on someone else's event type (401 without a
  key);
- functions take an :data:`~slotwise.kit.principal.Actor` (a principal, or the acting user while
  services still pass users); today the principal's user owns everything it may manage. Team
  memberships will widen these rules here, and only here.

Modules: ``event_types``, ``schedules``, ``bookings`` (organizer / participant), ``webhooks``,
``ooo`` (out of office), ``private_links``, ``api_keys``, ``credits``, ``reservations``,
``teams`` (Cal.com's RolesGuard: team roles).
"""
