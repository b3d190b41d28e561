"""GET /v1/events, the server-sent stream of task changes, as typed events.

The generated package leaves this operation out: a generated call would read
the never-ending stream to its end."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Self

import httpx

from taskbbs_client import AuthenticatedClient, Client
from taskbbs_client.models import TaskEvent

# The server sends a comment every TASKBBS_EVENTS_HEARTBEAT_INTERVAL (15 s by
# default), so a stream silent for this long is taken as dead.
DEFAULT_IDLE_TIMEOUT = 60.0


@dataclass(frozen=True)
class Reset:
    """Events after the Last-Event-ID sent were pruned: list tasks again, then read on."""

    reason: str


class EventStream:
    """An open events stream: iterate it for events; close it (or use ``with``) when done."""

    def __init__(self, response: httpx.Response, deadline: float | None, timeout: float | None):
        self._response = response
        self._events = self._read(deadline, timeout)

    def __iter__(self) -> Iterator[TaskEvent | Reset]:
        return self._events

    def __next__(self) -> TaskEvent | Reset:
        return next(self._events)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *args: object) -> None:
        self.close()

    def close(self) -> None:
        self._events.close()
        self._response.close()

    def _read(self, deadline: float | None, timeout: float | None) -> Iterator[TaskEvent | Reset]:
        event, data = "message", []
        try:
            for line in self._response.iter_lines():
                if deadline is not None and time.monotonic() > deadline:
                    raise TimeoutError(f"the events stream was followed for {timeout} s")
                if line == "":
                    if data:
                        payload = json.loads("\n".join(data))
                        yield Reset(payload.get("reason", "")) if event == "reset" else TaskEvent.from_dict(payload)
                    event, data = "message", []
                elif line.startswith(":"):
                    continue
                else:
                    name, _, value = line.partition(":")
                    value = value.removeprefix(" ")
                    if name == "event":
                        event = value
                    elif name == "data":
                        data.append(value)
        finally:
            self._response.close()


def follow_events(
    client: Client | AuthenticatedClient,
    *,
    domain: str | None = None,
    last_event_id: str | None = None,
    timeout: float | None = None,
    idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
) -> EventStream:
    """Opens the stream (before returning, so that nothing after this call is
    missed on the client's side) and yields each task change (a ``TaskEvent``,
    whose ``id`` is the position to resume from with ``last_event_id``) and
    ``Reset`` when a resumed stream may have missed events.

    ``timeout`` bounds the whole stream: past it (give or take one heartbeat
    interval) ``TimeoutError`` is raised. ``idle_timeout`` bounds the wait for
    any line, heartbeats included (``httpx.ReadTimeout``). Close the stream, or
    use it in a ``with`` block, to close the connection."""
    deadline = None if timeout is None else time.monotonic() + timeout
    read = idle_timeout if timeout is None else min(idle_timeout, timeout)
    headers = {"accept": "text/event-stream"}
    if last_event_id is not None:
        headers["last-event-id"] = last_event_id
    params = {"domain": domain} if domain is not None else {}
    http = client.get_httpx_client()
    request = http.build_request(
        "GET",
        "/v1/events",
        params=params,
        headers=headers,
        timeout=httpx.Timeout(http.timeout.connect, read=read, write=read, pool=read),
    )
    response = http.send(request, stream=True)
    if response.status_code != 200:
        response.read()
        response.close()
        raise httpx.HTTPStatusError(
            f"GET /v1/events answered {response.status_code}: {response.text}",
            request=request,
            response=response,
        )
    return EventStream(response, deadline, timeout)
