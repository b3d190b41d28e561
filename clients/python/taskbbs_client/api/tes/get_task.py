from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.get_task_view import GetTaskView
from ...models.problem import Problem
from ...models.tes_task import TesTask
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: str,
    *,
    view: GetTaskView | Unset = GetTaskView.MINIMAL,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_view: str | Unset = UNSET
    if not isinstance(view, Unset):
        json_view = view.value

    params["view"] = json_view

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/ga4gh/tes/v1/tasks/{id}".format(
            id=quote(str(id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | TesTask | None:
    if response.status_code == 200:
        response_200 = TesTask.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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
) -> Response[Problem | TesTask]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    view: GetTaskView | Unset = GetTaskView.MINIMAL,
) -> Response[Problem | TesTask]:
    """TES: get a task

    Args:
        id (str):
        view (GetTaskView | Unset):  Default: GetTaskView.MINIMAL.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TesTask]
    """

    kwargs = _get_kwargs(
        id=id,
        view=view,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    view: GetTaskView | Unset = GetTaskView.MINIMAL,
) -> Problem | TesTask | None:
    """TES: get a task

    Args:
        id (str):
        view (GetTaskView | Unset):  Default: GetTaskView.MINIMAL.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TesTask
    """

    return sync_detailed(
        id=id,
        client=client,
        view=view,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    view: GetTaskView | Unset = GetTaskView.MINIMAL,
) -> Response[Problem | TesTask]:
    """TES: get a task

    Args:
        id (str):
        view (GetTaskView | Unset):  Default: GetTaskView.MINIMAL.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TesTask]
    """

    kwargs = _get_kwargs(
        id=id,
        view=view,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    view: GetTaskView | Unset = GetTaskView.MINIMAL,
) -> Problem | TesTask | None:
    """TES: get a task

    Args:
        id (str):
        view (GetTaskView | Unset):  Default: GetTaskView.MINIMAL.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TesTask
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            view=view,
        )
    ).parsed
