"""A generated client set up from arguments or the environment."""

from __future__ import annotations

import os

import httpx

from taskbbs_client import AuthenticatedClient, Client

DEFAULT_URL = "http://127.0.0.1:8080"
# A request that takes longer than this fails rather than waits forever; the
# events stream sets its own read timeout (see events.follow_events).
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)


def connect(
    base_url: str | None = None,
    token: str | None = None,
    timeout: httpx.Timeout | float | None = DEFAULT_TIMEOUT,
) -> Client | AuthenticatedClient:
    """A client of ``base_url`` (else ``TASKBBS_URL``, else http://127.0.0.1:8080)
    sending ``token`` (else ``TASKBBS_TOKEN``) as a bearer token, if any."""
    base_url = base_url or os.environ.get("TASKBBS_URL") or DEFAULT_URL
    token = token or os.environ.get("TASKBBS_TOKEN")
    timeout = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
    if token:
        return AuthenticatedClient(base_url=base_url, token=token, timeout=timeout)
    return Client(base_url=base_url, timeout=timeout)
