"""Client commands ``webhooks``, ``event-type-webhooks``, ``private-links``, ``ooo`` and
``api-keys``. Write commands print one line saying what was done; ``--json`` prints the
response's ``data`` exactly."""

from __future__ import annotations

from collections.abc import Mapping
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
    load_credentials,
    local,
    record,
    save_credentials,
    show,
    span,
    table,
)

webhooks_app = typer.Typer(help="Your webhooks (/v2/webhooks).", no_args_is_help=True)
et_webhooks_app = typer.Typer(
    help="Webhooks of one event type (/v2/event-types/{id}/webhooks).", no_args_is_help=True
)
private_links_app = typer.Typer(
    help="Private links of an event type (/v2/event-types/{id}/private-links).",
    no_args_is_help=True,
)
ooo_app = typer.Typer(help="Your out-of-office entries (/v2/me/ooo).", no_args_is_help=True)
api_keys_app = typer.Typer(help="API keys (/v2/api-keys).", no_args_is_help=True)

WEBHOOK_COLUMNS: list[Column] = [
    Column("id", "id"),
    Column("url", "subscriberUrl", flex=True),
    Column("active", "active"),
    Column("triggers", lambda w: ", ".join(w.get("triggers") or []), flex=True),
]


def webhook_line(verb: str, data: Any, event_type_id: int | None = None) -> str:
    """``Created webhook 3 -> https://… on BOOKING_CREATED, BOOKING_CANCELLED (active)``."""
    owner = f" of event type {event_type_id}" if event_type_id is not None else ""
    if not isinstance(data, Mapping):
        return f"{verb} webhook{owner}."
    triggers = ", ".join(data.get("triggers") or []) or "no trigger"
    state = "active" if data.get("active") else "inactive"
    return (
        f"{verb} webhook {data.get('id')}{owner} -> {data.get('subscriberUrl')} "
        f"on {triggers} ({state})"
    )


TriggerOption = Annotated[
    list[str] | None, typer.Option("--trigger", help="e.g. BOOKING_CREATED (repeatable)")
]
UrlOption = Annotated[str | None, typer.Option("--url", help="Subscriber URL")]
ActiveOption = Annotated[bool | None, typer.Option("--active/--inactive")]
SecretOption = Annotated[str | None, typer.Option("--secret", help="Signing secret")]


def _webhook_body(
    data: str | None,
    url: str | None,
    triggers: list[str] | None,
    active: bool | None,
    secret: str | None,
) -> Any:
    return body(data, subscriberUrl=url, triggers=triggers, active=active, secret=secret)


@webhooks_app.command("list")
def webhooks_list(as_json: JsonOption = False) -> None:
    """List your webhooks (every page)."""
    data = call(lambda c: list(c.webhooks.iter()))
    show(data, as_json, lambda d: table(d, WEBHOOK_COLUMNS, "webhooks"))


@webhooks_app.command("get")
def webhooks_get(webhook_id: str, as_json: JsonOption = False) -> None:
    """Show one webhook."""
    show(call(lambda c: c.webhooks.get(webhook_id)), as_json, record)


@webhooks_app.command("create")
def webhooks_create(
    url: UrlOption = None,
    triggers: TriggerOption = None,
    active: ActiveOption = True,
    secret: SecretOption = None,
    data: DataOption = None,
    as_json: JsonOption = False,
) -> None:
    """Create a webhook."""
    payload = _webhook_body(data, url, triggers, active, secret)
    done(call(lambda c: c.webhooks.create(payload)), as_json, lambda d: webhook_line("Created", d))


@webhooks_app.command("update")
def webhooks_update(
    webhook_id: str,
    url: UrlOption = None,
    triggers: TriggerOption = None,
    active: ActiveOption = None,
    secret: SecretOption = None,
    data: DataOption = None,
    as_json: JsonOption = False,
) -> None:
    """Update a webhook."""
    payload = _webhook_body(data, url, triggers, active, secret)
    data_out = call(lambda c: c.webhooks.update(webhook_id, payload))
    done(data_out, as_json, lambda d: webhook_line("Updated", d))


@webhooks_app.command("delete")
def webhooks_delete(webhook_id: str, as_json: JsonOption = False) -> None:
    """Delete a webhook."""
    data = call(lambda c: c.webhooks.delete(webhook_id))
    done(data, as_json, lambda _d: f"Deleted webhook {webhook_id}.")


@et_webhooks_app.command("list")
def et_webhooks_list(event_type_id: int, as_json: JsonOption = False) -> None:
    """List an event type's webhooks."""
    data = call(lambda c: c.event_type_webhooks.list(event_type_id))
    show(data, as_json, lambda d: table(d, WEBHOOK_COLUMNS, "webhooks"))


@et_webhooks_app.command("get")
def et_webhooks_get(event_type_id: int, webhook_id: str, as_json: JsonOption = False) -> None:
    """Show one event-type webhook."""
    show(call(lambda c: c.event_type_webhooks.get(event_type_id, webhook_id)), as_json, record)


@et_webhooks_app.command("create")
def et_webhooks_create(
    event_type_id: int,
    url: UrlOption = None,
    triggers: TriggerOption = None,
    active: ActiveOption = True,
    secret: SecretOption = None,
    data: DataOption = None,
    as_json: JsonOption = False,
) -> None:
    """Create a webhook for an event type."""
    payload = _webhook_body(data, url, triggers, active, secret)
    data_out = call(lambda c: c.event_type_webhooks.create(event_type_id, payload))
    done(data_out, as_json, lambda d: webhook_line("Created", d, event_type_id))


@et_webhooks_app.command("update")
def et_webhooks_update(
    event_type_id: int,
    webhook_id: str,
    url: UrlOption = None,
    triggers: TriggerOption = None,
    active: ActiveOption = None,
    secret: SecretOption = None,
    data: DataOption = None,
    as_json: JsonOption = False,
) -> None:
    """Update an event-type webhook."""
    payload = _webhook_body(data, url, triggers, active, secret)
    data_out = call(lambda c: c.event_type_webhooks.update(event_type_id, webhook_id, payload))
    done(data_out, as_json, lambda d: webhook_line("Updated", d, event_type_id))


@et_webhooks_app.command("delete")
def et_webhooks_delete(event_type_id: int, webhook_id: str, as_json: JsonOption = False) -> None:
    """Delete an event-type webhook."""
    data = call(lambda c: c.event_type_webhooks.delete(event_type_id, webhook_id))
    done(data, as_json, lambda _d: f"Deleted webhook {webhook_id} of event type {event_type_id}.")


@et_webhooks_app.command("delete-all")
def et_webhooks_delete_all(event_type_id: int, as_json: JsonOption = False) -> None:
    """Delete every webhook of an event type."""
    data = call(lambda c: c.event_type_webhooks.delete_all(event_type_id))
    done(data, as_json, lambda d: f"Deleted the webhooks of event type {event_type_id}: {d}.")


def _uses(link: Mapping[str, Any]) -> str:
    limit = link.get("maxUsageCount")
    return f"{link.get('usageCount', 0)}/{limit}" if limit is not None else "-"


LINK_COLUMNS: list[Column] = [
    Column("link id", "linkId"),
    Column("expires", lambda x: local(x.get("expiresAt")) or "-"),
    Column("uses", _uses),
    Column("expired", "isExpired"),
]
LINK_WIDE_COLUMNS: list[Column] = [*LINK_COLUMNS, Column("url", "bookingUrl", flex=True)]


def link_line(verb: str, data: Any, event_type_id: int) -> str:
    """``Created private link abc of event type 1: http://… (expires …, 0/5 uses)``."""
    if not isinstance(data, Mapping):
        return f"{verb} a private link of event type {event_type_id}."
    limits = []
    if data.get("expiresAt"):
        limits.append(f"expires {local(data.get('expiresAt'))}")
    if data.get("maxUsageCount") is not None:
        limits.append(f"{_uses(data)} uses")
    extra = f" ({', '.join(limits)})" if limits else ""
    return (
        f"{verb} private link {data.get('linkId')} of event type {event_type_id}: "
        f"{data.get('bookingUrl')}{extra}"
    )


ExpiresOption = Annotated[str | None, typer.Option("--expires-at", help="UTC instant")]
MaxUsesOption = Annotated[int | None, typer.Option("--max-usage-count")]


@private_links_app.command("list")
def private_links_list(
    event_type_id: int, as_json: JsonOption = False, wide: WideOption = False
) -> None:
    """List an event type's private links."""
    data = call(lambda c: c.private_links.list(event_type_id))
    columns = LINK_WIDE_COLUMNS if wide else LINK_COLUMNS
    show(data, as_json, lambda d: table(d, columns, "private links", wide=wide))


@private_links_app.command("create")
def private_links_create(
    event_type_id: int,
    expires_at: ExpiresOption = None,
    max_usage_count: MaxUsesOption = None,
    as_json: JsonOption = False,
) -> None:
    """Create a private link (time- or usage-limited)."""
    payload = body(None, expiresAt=expires_at, maxUsageCount=max_usage_count)
    data = call(lambda c: c.private_links.create(event_type_id, payload))
    done(data, as_json, lambda d: link_line("Created", d, event_type_id))


@private_links_app.command("update")
def private_links_update(
    event_type_id: int,
    link_id: str,
    expires_at: ExpiresOption = None,
    max_usage_count: MaxUsesOption = None,
    as_json: JsonOption = False,
) -> None:
    """Change a private link's limits."""
    payload = body(None, expiresAt=expires_at, maxUsageCount=max_usage_count)
    data = call(lambda c: c.private_links.update(event_type_id, link_id, payload))
    done(data, as_json, lambda d: link_line("Updated", d, event_type_id))


@private_links_app.command("delete")
def private_links_delete(event_type_id: int, link_id: str, as_json: JsonOption = False) -> None:
    """Delete a private link."""
    data = call(lambda c: c.private_links.delete(event_type_id, link_id))
    done(data, as_json, lambda _d: f"Deleted private link {link_id} of event type {event_type_id}.")


OOO_COLUMNS: list[Column] = [
    Column("id", "id"),
    Column("when (your time)", lambda o: span(o.get("start"), o.get("end"))),
    Column("reason", "reason"),
    Column("notes", "notes", flex=True),
]


def ooo_line(verb: str, data: Any) -> str:
    """``Added out-of-office entry 4: 2050-09-05 00:00 CEST – 2050-09-09 23:59 CEST (vacation)``."""
    if not isinstance(data, Mapping):
        return f"{verb} out-of-office entry."
    forward = f", bookings go to user {data['toUserId']}" if data.get("toUserId") else ""
    return (
        f"{verb} out-of-office entry {data.get('id')}: "
        f"{span(data.get('start'), data.get('end'))} ({data.get('reason')}{forward})"
    )


ReasonOption = Annotated[
    str | None,
    typer.Option("--reason", help="unspecified, vacation, travel, sick, public_holiday"),
]


@ooo_app.command("list")
def ooo_list(as_json: JsonOption = False) -> None:
    """List your out-of-office entries."""
    data = call(lambda c: c.ooo.list())
    show(data, as_json, lambda d: table(d, OOO_COLUMNS, "out of office"))


@ooo_app.command("create")
def ooo_create(
    start: Annotated[str, typer.Option("--start", help="UTC instant")],
    end: Annotated[str, typer.Option("--end", help="UTC instant")],
    reason: ReasonOption = None,
    notes: Annotated[str | None, typer.Option("--notes")] = None,
    to_user_id: Annotated[int | None, typer.Option("--to-user-id", help="Covering user")] = None,
    as_json: JsonOption = False,
) -> None:
    """Add an out-of-office period."""
    payload = body(None, start=start, end=end, reason=reason, notes=notes, toUserId=to_user_id)
    done(call(lambda c: c.ooo.create(payload)), as_json, lambda d: ooo_line("Added", d))


@ooo_app.command("update")
def ooo_update(
    ooo_id: int,
    start: Annotated[str | None, typer.Option("--start")] = None,
    end: Annotated[str | None, typer.Option("--end")] = None,
    reason: ReasonOption = None,
    notes: Annotated[str | None, typer.Option("--notes")] = None,
    as_json: JsonOption = False,
) -> None:
    """Change an out-of-office period."""
    payload = body(None, start=start, end=end, reason=reason, notes=notes)
    done(call(lambda c: c.ooo.update(ooo_id, payload)), as_json, lambda d: ooo_line("Updated", d))


@ooo_app.command("delete")
def ooo_delete(ooo_id: int, as_json: JsonOption = False) -> None:
    """Delete an out-of-office period."""
    data = call(lambda c: c.ooo.delete(ooo_id))
    done(data, as_json, lambda _d: f"Deleted out-of-office entry {ooo_id}.")


@api_keys_app.command("refresh")
def api_keys_refresh(
    days: Annotated[int | None, typer.Option("--days", help="Days the new key is valid")] = None,
    never_expires: Annotated[bool, typer.Option("--never-expires")] = False,
    as_json: JsonOption = False,
) -> None:
    """Replace the API key in use with a new one (stored if it came from `slotwise login`)."""
    payload = body(None, apiKeyDaysValid=days, apiKeyNeverExpires=never_expires or None)
    creds = load_credentials()
    data = call(lambda c: c.api_keys.refresh(payload))
    new_key = data.get("apiKey") if isinstance(data, dict) else None
    if new_key and creds.key_source == "file":
        save_credentials(new_key, creds.api_url)
    stored = " (saved for the next commands)" if new_key and creds.key_source == "file" else ""
    done(data, as_json, lambda d: f"New API key{stored}: {new_key or d}")
