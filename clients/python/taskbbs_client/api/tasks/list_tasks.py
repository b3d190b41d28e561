from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.task_list import TaskList
from ...models.task_state import TaskState
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    domain: str | Unset = UNSET,
    state: TaskState | Unset = UNSET,
    cell_id: str | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["domain"] = domain

    json_state: str | Unset = UNSET
    if not isinstance(state, Unset):
        json_state = state.value

    params["state"] = json_state

    params["cell_id"] = cell_id

    params["limit"] = limit

    params["cursor"] = cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/tasks",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | TaskList | None:
    if response.status_code == 200:
        response_200 = TaskList.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | TaskList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    domain: str | Unset = UNSET,
    state: TaskState | Unset = UNSET,
    cell_id: str | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: str | Unset = UNSET,
) -> Response[Problem | TaskList]:
    """List tasks

     Filters combine with AND. Pages follow desire order; a cursor stays valid while tasks come and go.

    Args:
        domain (str | Unset):
        state (TaskState | Unset): PENDING → RUNNING → COMPLETED → RESOLVING → deleted.
        cell_id (str | Unset):
        limit (int | Unset):  Default: 100.
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TaskList]
    """

    kwargs = _get_kwargs(
        domain=domain,
        state=state,
        cell_id=cell_id,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    domain: str | Unset = UNSET,
    state: TaskState | Unset = UNSET,
    cell_id: str | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: str | Unset = UNSET,
) -> Problem | TaskList | None:
    """List tasks

     Filters combine with AND. Pages follow desire order; a cursor stays valid while tasks come and go.

    Args:
        domain (str | Unset):
        state (TaskState | Unset): PENDING → RUNNING → COMPLETED → RESOLVING → deleted.
        cell_id (str | Unset):
        limit (int | Unset):  Default: 100.
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TaskList
    """

    return sync_detailed(
        client=client,
        domain=domain,
        state=state,
        cell_id=cell_id,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    domain: str | Unset = UNSET,
    state: TaskState | Unset = UNSET,
    cell_id: str | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: str | Unset = UNSET,
) -> Response[Problem | TaskList]:
    """List tasks

     Filters combine with AND. Pages follow desire order; a cursor stays valid while tasks come and go.

    Args:
        domain (str | Unset):
        state (TaskState | Unset): PENDING → RUNNING → COMPLETED → RESOLVING → deleted.
        cell_id (str | Unset):
        limit (int | Unset):  Default: 100.
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TaskList]
    """

    kwargs = _get_kwargs(
        domain=domain,
        state=state,
        cell_id=cell_id,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    domain: str | Unset = UNSET,
    state: TaskState | Unset = UNSET,
    cell_id: str | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: str | Unset = UNSET,
) -> Problem | TaskList | None:
    """List tasks

     Filters combine with AND. Pages follow desire order; a cursor stays valid while tasks come and go.

    Args:
        domain (str | Unset):
        state (TaskState | Unset): PENDING → RUNNING → COMPLETED → RESOLVING → deleted.
        cell_id (str | Unset):
        limit (int | Unset):  Default: 100.
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TaskList
    """

    return (
        await asyncio_detailed(
            client=client,
            domain=domain,
            state=state,
            cell_id=cell_id,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
