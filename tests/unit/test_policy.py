"""The principal and the policy layer's pure rules (no database): who manages, organizes,
confirms, reserves with a duration, books a restricted event type; and the WHERE clauses each
resource's lists are scoped by."""

from __future__ import annotations

import pytest
from sqlalchemy.dialects import sqlite

from slotwise.kit.errors import Forbidden, Unauthorized
from slotwise.kit.principal import Membership, Principal, principal_of
from slotwise.models import Booking, EventType, User, Webhook
from slotwise.policy import bookings, event_types, ooo, reservations, schedules, webhooks

ALICE = User(id=1, username="alice", email="Alice@Example.com", time_zone="UTC")
BOB = User(id=2, username="bob", email="bob@example.com", time_zone="UTC")


def sql(clause: object) -> str:
    """The clause as SQLite text with its parameters inlined."""
    return str(clause.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))


def test_principal_of_a_user_is_an_unrestricted_api_key_principal() -> None:
    principal = principal_of(ALICE)
    assert principal is not None
    assert principal.kind == "api_key" and principal.user_id == 1
    assert principal.scopes is None and principal.has_scope("anything")
    assert principal.memberships == ()
    assert principal_of(principal) is principal
    assert principal_of(None) is None


def test_scopes_and_memberships_are_carried() -> None:
    principal = Principal(
        user=ALICE, scopes=frozenset({"bookings:read"}), memberships=(Membership(7, "ADMIN"),)
    )
    assert principal.has_scope("bookings:read") and not principal.has_scope("bookings:write")
    assert principal.memberships[0].team_id == 7
    assert principal.is_user(1) and not principal.is_user(2) and not principal.is_user(None)


def test_event_type_is_managed_by_its_owner_only() -> None:
    event_type = EventType(id=5, user_id=1, slug="intro", title="Intro", length=30)
    assert event_types.manages_event_type(ALICE, event_type)
    assert event_types.manages_event_type(Principal(user=ALICE), event_type)
    assert not event_types.manages_event_type(BOB, event_type)
    assert not event_types.manages_event_type(None, event_type)
    assert event_types.sees_hidden_event_types_of(ALICE, 1)
    assert not event_types.sees_hidden_event_types_of(BOB, 1)
    assert not event_types.sees_hidden_event_types_of(None, 1)
    assert sql(event_types.manageable_event_types(BOB)) == "event_types.user_id = 2"


def test_restricted_event_type_booking() -> None:
    event_type = EventType(id=5, user_id=1, slug="intro", title="Intro", length=30)
    event_types.check_may_book_restricted(event_type, ALICE, "m")
    with pytest.raises(Unauthorized):
        event_types.check_may_book_restricted(event_type, None, "m")
    with pytest.raises(Forbidden):
        event_types.check_may_book_restricted(event_type, BOB, "m")


def test_booking_organizer_and_confirmation() -> None:
    booking = Booking(id=9, uid="b", user_id=1)
    assert bookings.is_organizer(ALICE, booking) and not bookings.is_organizer(BOB, booking)
    assert not bookings.is_organizer(None, booking)
    assert bookings.acts_as_organizer(ALICE, 1) and not bookings.acts_as_organizer(None, 1)
    bookings.check_may_confirm(ALICE, booking, "confirm")
    with pytest.raises(Forbidden, match="User is not authorized to decline this booking"):
        bookings.check_may_confirm(BOB, booking, "decline")


def test_booking_list_scope_is_organized_or_attended_case_insensitively() -> None:
    text = sql(bookings.readable_bookings(ALICE))
    assert "bookings.user_id = 1" in text
    assert "lower(attendees.email) = 'alice@example.com'" in text


def test_reservation_duration_is_the_owners() -> None:
    reservations.check_may_choose_duration(ALICE, 1)
    reservations.check_may_choose_duration(BOB, None)
    with pytest.raises(Unauthorized):
        reservations.check_may_choose_duration(None, 1)
    with pytest.raises(Forbidden):
        reservations.check_may_choose_duration(BOB, 1)


def test_other_resources_scope_by_the_principals_user() -> None:
    assert sql(schedules.manageable_schedules(ALICE)) == "schedules.user_id = 1"
    assert sql(ooo.manageable_ooo(BOB)) == "out_of_office.user_id = 2"
    assert "webhooks.event_type_id IS NULL" in sql(webhooks.manageable_user_webhooks(ALICE))
    hook = Webhook(id=3, user_id=1, subscriber_url="https://x.example")
    assert webhooks.manages_webhook(ALICE, hook) and not webhooks.manages_webhook(BOB, hook)


def test_listing_hides_hidden_event_types_from_everyone_but_the_owner() -> None:
    hidden = EventType(id=6, user_id=1, slug="secret", title="S", length=30, hidden=True)
    shown = EventType(id=7, user_id=1, slug="open", title="O", length=30, hidden=False)
    assert event_types.listed_for(ALICE, hidden) and event_types.listed_for(None, shown)
    assert not event_types.listed_for(BOB, hidden) and not event_types.listed_for(None, hidden)
    assert sql(event_types.listable_event_types(ALICE, 1)) == "event_types.user_id = 1"
    assert sql(event_types.listable_event_types(None, 1)) == (
        "event_types.user_id = 1 AND event_types.hidden IS 0"
    )
