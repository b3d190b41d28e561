"""Waiting for a task to complete: follow the events stream, and read the task
again whenever the stream has been quiet for ``poll`` seconds, since a change
made while the stream was being opened is not in it."""

from __future__ import annotations

import time

import httpx

from taskbbs_client import AuthenticatedClient, Client
from taskbbs_client.api.tasks import get_task
from taskbbs_client.models import Problem, Task, TaskEvent, TaskEventType, TaskState

from .events import follow_events


class TaskRemoved(Exception):
    """The task was deleted (or is not visible to the token) before it was seen COMPLETED."""


def _read(client: Client | AuthenticatedClient, guid: str) -> Task:
    got = get_task.sync_detailed(client=client, guid=guid)
    if isinstance(got.parsed, Task):
        return got.parsed
    if isinstance(got.parsed, Problem) and got.status_code == 404:
        raise TaskRemoved(guid)
    raise httpx.HTTPStatusError(
        f"GET /v1/tasks/{guid} answered {got.status_code}: {got.content!r}",
        request=httpx.Request("GET", f"/v1/tasks/{guid}"),
        response=httpx.Response(got.status_code),
    )


def wait_for_completion(
    client: Client | AuthenticatedClient,
    guid: str,
    *,
    timeout: float = 300.0,
    poll: float = 5.0,
) -> Task:
    """The task once it is COMPLETED (or RESOLVING: completed, and its callback
    under way). Raises ``TimeoutError`` after ``timeout`` seconds and
    ``TaskRemoved`` when it is deleted first."""
    deadline = time.monotonic() + timeout
    last_event_id = None
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(f"task {guid} did not complete within {timeout} s")
        try:
            events = follow_events(
                client, last_event_id=last_event_id, timeout=remaining, idle_timeout=min(poll, remaining)
            )
            with events:
                task = _read(client, guid)
                if task.state in (TaskState.COMPLETED, TaskState.RESOLVING):
                    return task
                for event in events:
                    if not isinstance(event, TaskEvent):
                        break  # a reset: read the task again
                    last_event_id = event.id
                    if event.guid != guid:
                        continue
                    if event.type_ == TaskEventType.TASK_REMOVED:
                        raise TaskRemoved(guid)
                    if event.state in (TaskState.COMPLETED, TaskState.RESOLVING):
                        return event.task if isinstance(event.task, Task) else _read(client, guid)
        except httpx.ReadTimeout:
            pass  # quiet for `poll` seconds: read the task again
        except TimeoutError:
            raise TimeoutError(f"task {guid} did not complete within {timeout} s") from None
