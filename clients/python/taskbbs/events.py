"""GET /v1/events, the server-sent stream of task changes, as typed events.

The generated package leaves this operation out: a generated call would read
the never-ending stream to its end."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass

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


def follow_events(
    client: Client | AuthenticatedClient,
    *,
    domain: str | None = None,
    last_event_id: str | None = None,
    timeout: float | None = None,
    idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
) -> Iterator[TaskEvent | Reset]:
    """Yields each task change (a ``TaskEvent``, whose ``id`` is the position to
    resume from with ``last_event_id``) and ``Reset`` when a resumed stream may
    have missed events.

    ``timeout`` bounds the whole stream: past it (give or take one heartbeat
    interval) ``TimeoutError`` is raised. ``idle_timeout`` bounds the wait for
    any line, heartbeats included (``httpx.ReadTimeout``). Closing the
    generator closes the connection."""
    deadline = None if timeout is None else time.monotonic() + timeout
    read = idle_timeout if timeout is None else min(idle_timeout, timeout)
    headers = {"accept": "text/event-stream"}
    if last_event_id is not None:
        headers["last-event-id"] = last_event_id
    params = {"domain": domain} if domain is not None else {}
    http = client.get_httpx_client()
    request_timeout = httpx.Timeout(http.timeout.connect, read=read, write=read, pool=read)
    with http.stream("GET", "/v1/events", params=params, headers=headers, timeout=request_timeout) as response:
        if response.status_code != 200:
            response.read()
            raise httpx.HTTPStatusError(
                f"GET /v1/events answered {response.status_code}: {response.text}",
                request=response.request,
                response=response,
            )
        event, data = "message", []
        for line in response.iter_lines():
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
                value = value[1:] if value.startswith(" ") else value
                if name == "event":
                    event = value
                elif name == "data":
                    data.append(value)
