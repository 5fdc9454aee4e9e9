"""SDK behaviour that needs a misbehaving server: retries, errors, envelopes, headers,
pagination — through ``httpx2.MockTransport`` (the live-server flows are in test_live_sdk.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import httpx2
import pytest

from slotwise.client import (
    AsyncClient,
    BadRequest,
    Client,
    Conflict,
    NotFound,
    RateLimited,
    RetryPolicy,
    ServerError,
    SlotwiseConnectionError,
    SlotwiseTimeout,
    Unauthorized,
)
from slotwise.client._common import parse_retry_after

ROOT = Path(__file__).resolve().parents[2]
Handler = Callable[[httpx2.Request], httpx2.Response]


def ok(data: object, status: int = 200, **extra: object) -> httpx2.Response:
    return httpx2.Response(status, json={"status": "success", "data": data, **extra})


def error(status: int, code: str, message: str, **headers: str) -> httpx2.Response:
    body = {
        "status": "error",
        "timestamp": "2050-01-01T00:00:00.000Z",
        "path": "/v2/x",
        "error": {"code": code, "message": message, "details": {"field": "start"}},
    }
    return httpx2.Response(status, json=body, headers=headers)


class Recorder:
    """A MockTransport handler answering from a script, recording requests and sleeps."""

    def __init__(self, *answers: httpx2.Response | Exception) -> None:
        self.answers = list(answers)
        self.requests: list[httpx2.Request] = []
        self.sleeps: list[float] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def client(self, **kwargs: object) -> Client:
        options: dict[str, object] = {
            "retry": RetryPolicy(max_retries=3, backoff_base=0.5, jitter=False),
            **kwargs,
        }
        return Client(
            "http://api.test",
            api_key="cal_live_k",
            transport=httpx2.MockTransport(self),
            sleep=self.sleeps.append,
            **options,  # type: ignore[arg-type]
        )


def test_envelope_unwrapped_and_version_and_auth_headers_sent() -> None:
    rec = Recorder(ok({"id": 7, "name": "Office"}, 201))
    with rec.client() as cal:
        created = cal.schedules.create({"name": "Office", "timeZone": "UTC", "isDefault": True})
    assert created == {"id": 7, "name": "Office"}
    sent = rec.requests[0]
    assert sent.method == "POST"
    assert sent.url.path == "/v2/schedules"
    assert sent.headers["cal-api-version"] == "2024-06-11"
    assert sent.headers["authorization"] == "Bearer cal_live_k"
    assert json.loads(sent.content) == {"name": "Office", "timeZone": "UTC", "isDefault": True}


@pytest.mark.parametrize(
    ("call", "path", "version"),
    [
        (lambda c: c.bookings.get("a/b"), "/v2/bookings/a%2Fb", "2024-08-13"),
        (lambda c: c.event_types.get(3), "/v2/event-types/3", "2024-06-14"),
        (lambda c: c.slots.get_reservation("r1"), "/v2/slots/reservations/r1", "2024-09-04"),
        (lambda c: c.bookings.attendees("u1"), "/v2/bookings/u1/attendees", "2024-08-13"),
        (lambda c: c.me.get(), "/v2/me", None),
        (lambda c: c.webhooks.get("w1"), "/v2/webhooks/w1", None),
    ],
)
def test_each_operation_sends_the_reference_version(
    call: Callable[[Client], object], path: str, version: str | None
) -> None:
    rec = Recorder(ok({}))
    with rec.client() as cal:
        call(cal)
    sent = rec.requests[0]
    assert sent.url.raw_path.decode().split("?")[0] == path
    assert sent.headers.get("cal-api-version") == version


def test_base_url_with_v2_suffix_is_the_same_root() -> None:
    rec = Recorder(ok({"username": "a"}))
    cal = Client("http://api.test/v2/", transport=httpx2.MockTransport(rec))
    cal.me.get()
    assert str(rec.requests[0].url) == "http://api.test/v2/me"
    assert "authorization" not in rec.requests[0].headers


def test_query_encoding_lists_booleans_and_instants() -> None:
    rec = Recorder(ok([]))
    with rec.client() as cal:
        cal.bookings.list(
            status=["upcoming", "past"],
            afterStart=datetime(2050, 1, 1, 9, tzinfo=UTC),
            attendeeName=None,
        )
    params = rec.requests[0].url.params
    assert params["status"] == "upcoming,past"
    assert params["afterStart"] == "2050-01-01T09:00:00.000Z"
    assert "attendeeName" not in params


@pytest.mark.parametrize(
    ("status", "code", "cls"),
    [
        (400, "BadRequestException", BadRequest),
        (401, "UnauthorizedException", Unauthorized),
        (404, "NotFoundException", NotFound),
        (409, "ConflictException", Conflict),
    ],
)
def test_errors_are_typed_with_status_code_message_details(
    status: int, code: str, cls: type[Exception]
) -> None:
    rec = Recorder(error(status, code, "No can do"))
    with rec.client() as cal, pytest.raises(cls) as caught:
        cal.bookings.get("x")
    err = caught.value
    assert (err.status, err.code, err.message) == (status, code, "No can do")  # type: ignore[attr-defined]
    assert err.details == {"field": "start"}  # type: ignore[attr-defined]
    assert len(rec.requests) == 1  # client errors are never retried


def test_non_envelope_error_body_still_gives_the_message() -> None:
    rec = Recorder(httpx2.Response(404, json={"detail": "Not Found"}))
    with rec.client() as cal, pytest.raises(NotFound) as caught:
        cal.me.get()
    assert caught.value.message == "Not Found"
    assert caught.value.code is None


def test_429_is_retried_for_post_honouring_retry_after() -> None:
    rec = Recorder(
        error(429, "TooManyRequestsException", "slow down", **{"Retry-After": "7"}),
        ok({"uid": "b1"}, 201),
    )
    with rec.client() as cal:
        booking = cal.bookings.create(
            {
                "start": "2050-01-01T09:00:00Z",
                "attendee": {"name": "A", "email": "a@x.io", "timeZone": "UTC"},
            }  # fmt: skip
        )
    assert booking == {"uid": "b1"}
    assert rec.sleeps == [7.0]
    assert len(rec.requests) == 2


def test_429_without_hint_backs_off_exponentially_then_raises() -> None:
    rec = Recorder(*[error(429, "TooManyRequestsException", "busy")] * 4)
    with rec.client() as cal, pytest.raises(RateLimited) as caught:
        cal.me.update({"name": "x"})
    assert rec.sleeps == [0.5, 1.0, 2.0]
    assert caught.value.retry_after is None
    assert len(rec.requests) == 4


def test_429_with_too_long_retry_after_is_raised_at_once() -> None:
    rec = Recorder(error(429, "TooManyRequestsException", "later", **{"Retry-After": "3600"}))
    with rec.client() as cal, pytest.raises(RateLimited) as caught:
        cal.me.get()
    assert caught.value.retry_after == 3600
    assert rec.sleeps == []


@pytest.mark.parametrize(
    ("method", "call"),
    [
        ("GET", lambda c: c.bookings.get("b")),
        ("DELETE", lambda c: c.schedules.delete(1)),
    ],
)
def test_5xx_retried_for_idempotent_methods(method: str, call: Callable[[Client], object]) -> None:
    rec = Recorder(httpx2.Response(503, text="down"), error(500, "Internal", "boom"), ok({"a": 1}))
    with rec.client() as cal:
        assert call(cal) == {"a": 1}
    assert [r.method for r in rec.requests] == [method] * 3
    assert rec.sleeps == [0.5, 1.0]


def test_put_is_idempotent_too() -> None:
    rec = Recorder(httpx2.Response(502), ok("done"))
    with rec.client() as cal:
        assert cal.send("PUT", "/v2/x").data == "done"
    assert rec.sleeps == [0.5]


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.bookings.cancel("b"),
        lambda c: c.event_types.update(1, {"title": "x"}),
    ],
)
def test_5xx_never_retried_for_post_or_patch(call: Callable[[Client], object]) -> None:
    rec = Recorder(error(500, "InternalServerErrorException", "boom"))
    with rec.client() as cal, pytest.raises(ServerError) as caught:
        call(cal)
    assert caught.value.message == "boom"
    assert len(rec.requests) == 1
    assert rec.sleeps == []


def test_timeouts_retried_for_get_not_for_post() -> None:
    rec = Recorder(httpx2.ReadTimeout("slow"), httpx2.ConnectError("refused"), ok({"id": 1}))
    with rec.client() as cal:
        assert cal.me.get() == {"id": 1}
    assert rec.sleeps == [0.5, 1.0]

    rec = Recorder(httpx2.ReadTimeout("slow"))
    with rec.client() as cal, pytest.raises(SlotwiseTimeout):
        cal.slots.reserve({"eventTypeId": 1, "slotStart": "2050-01-01T09:00:00Z"})
    assert len(rec.requests) == 1

    rec = Recorder(*[httpx2.ConnectError("refused")] * 4)
    with rec.client() as cal, pytest.raises(SlotwiseConnectionError):
        cal.timezones.list()
    assert len(rec.requests) == 4


def test_transport_errors_raised_at_once_when_the_policy_says_so() -> None:
    rec = Recorder(httpx2.ConnectError("refused"), ok({"id": 1}))
    quick = RetryPolicy(retry_transport_errors=False)
    with rec.client(retry=quick) as cal, pytest.raises(SlotwiseConnectionError):
        cal.me.get()
    assert len(rec.requests) == 1 and rec.sleeps == []

    rec = Recorder(httpx2.ReadTimeout("slow"), ok({"id": 1}), ok({"id": 1}))
    with rec.client(retry=quick) as cal, pytest.raises(SlotwiseTimeout):
        cal.me.get()
    assert len(rec.requests) == 1

    rec = Recorder(httpx2.Response(503), ok({"id": 1}))  # answers are still retried
    with rec.client(retry=RetryPolicy(retry_transport_errors=False, jitter=False)) as cal:
        assert cal.me.get() == {"id": 1}
    assert len(rec.requests) == 2


def test_retry_after_parses_seconds_and_http_dates() -> None:
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 25 <= (parse_retry_after(later) or 0) <= 30


def test_jittered_backoff_stays_within_the_exponential_bound() -> None:
    policy = RetryPolicy(backoff_base=1.0, backoff_max=5.0)
    for attempt in range(6):
        assert 0 <= policy.backoff(attempt) <= min(5.0, 2**attempt)


def test_take_skip_iterator_follows_pagination() -> None:
    pages = [
        ok([{"uid": "a"}, {"uid": "b"}], pagination={"hasNextPage": True}),
        ok([{"uid": "c"}, {"uid": "d"}], pagination={"hasNextPage": True}),
        ok([{"uid": "e"}], pagination={"hasNextPage": False}),
    ]
    rec = Recorder(*pages)
    with rec.client() as cal:
        uids = [b["uid"] for b in cal.bookings.iter(page_size=2, status="upcoming")]
    assert uids == ["a", "b", "c", "d", "e"]
    assert [(r.url.params["take"], r.url.params["skip"]) for r in rec.requests] == [
        ("2", "0"),
        ("2", "2"),
        ("2", "4"),
    ]
    assert all(r.url.params["status"] == "upcoming" for r in rec.requests)


def test_take_skip_iterator_without_metadata_stops_on_a_short_page() -> None:
    rec = Recorder(ok([{"id": 1}, {"id": 2}]), ok([{"id": 3}]))
    with rec.client() as cal:
        assert [w["id"] for w in cal.webhooks.iter(page_size=2)] == [1, 2, 3]
    assert len(rec.requests) == 2


def test_cursor_iterator_passes_next_cursor_until_has_more_is_false() -> None:
    rec = Recorder(
        ok([{"uid": "a"}], pagination={"nextCursor": "c1", "hasMore": True}),
        ok([{"uid": "b"}], pagination={"nextCursor": None, "hasMore": False}),
    )
    with rec.client() as cal:
        assert [b["uid"] for b in cal.bookings.iter_cursor(status="past")] == ["a", "b"]
    assert "cursor" not in rec.requests[0].url.params
    assert rec.requests[1].url.params["cursor"] == "c1"
    assert {r.headers["cal-api-version"] for r in rec.requests} == {"2026-05-01"}


async def test_async_client_shares_the_rules() -> None:
    answers: list[httpx2.Response] = [
        httpx2.Response(503),
        ok([{"uid": "a"}], pagination={"hasNextPage": True}),
        ok([], pagination={"hasNextPage": False}),
    ]
    sleeps: list[float] = []

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)

    def handler(request: httpx2.Request) -> httpx2.Response:
        return answers.pop(0)

    async with AsyncClient(
        "http://api.test",
        api_key="k",
        transport=httpx2.MockTransport(handler),
        retry=RetryPolicy(jitter=False),
        sleep=sleep,
    ) as cal:
        assert [b["uid"] async for b in cal.bookings.iter()] == ["a"]
    assert sleeps == [0.5]

    async def post_fails(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(
            500, json={"status": "error", "error": {"code": "X", "message": "m"}}
        )

    async with AsyncClient(transport=httpx2.MockTransport(post_fails), sleep=sleep) as cal:
        with pytest.raises(ServerError):
            await cal.bookings.confirm("b")
    assert sleeps == [0.5]


def test_generated_sync_client_is_up_to_date() -> None:
    # (models_generated.py needs Cal.com's OpenAPI file, which is not in the repository:
    # .ci/run checks it with scripts/gen_client_models.py --check where the file is present)
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_sync_client.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
