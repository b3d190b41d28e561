from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.list_tasks_state import ListTasksState
from ...models.list_tasks_view import ListTasksView
from ...models.problem import Problem
from ...models.tes_list_tasks_response import TesListTasksResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    name_prefix: str | Unset = UNSET,
    state: ListTasksState | Unset = UNSET,
    tag_key: list[str] | Unset = UNSET,
    tag_value: list[str] | Unset = UNSET,
    page_size: int | Unset = 256,
    page_token: str | Unset = UNSET,
    view: ListTasksView | Unset = ListTasksView.MINIMAL,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["name_prefix"] = name_prefix

    json_state: str | Unset = UNSET
    if not isinstance(state, Unset):
        json_state = state.value

    params["state"] = json_state

    json_tag_key: list[str] | Unset = UNSET
    if not isinstance(tag_key, Unset):
        json_tag_key = tag_key

    params["tag_key"] = json_tag_key

    json_tag_value: list[str] | Unset = UNSET
    if not isinstance(tag_value, Unset):
        json_tag_value = tag_value

    params["tag_value"] = json_tag_value

    params["page_size"] = page_size

    params["page_token"] = page_token

    json_view: str | Unset = UNSET
    if not isinstance(view, Unset):
        json_view = view.value

    params["view"] = json_view

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/ga4gh/tes/v1/tasks",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | TesListTasksResponse | None:
    if response.status_code == 200:
        response_200 = TesListTasksResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

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
) -> Response[Problem | TesListTasksResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    name_prefix: str | Unset = UNSET,
    state: ListTasksState | Unset = UNSET,
    tag_key: list[str] | Unset = UNSET,
    tag_value: list[str] | Unset = UNSET,
    page_size: int | Unset = 256,
    page_token: str | Unset = UNSET,
    view: ListTasksView | Unset = ListTasksView.MINIMAL,
) -> Response[Problem | TesListTasksResponse]:
    """TES: list tasks

     Newest first. Filters combine with AND.

    Args:
        name_prefix (str | Unset):
        state (ListTasksState | Unset):
        tag_key (list[str] | Unset):
        tag_value (list[str] | Unset):
        page_size (int | Unset):  Default: 256.
        page_token (str | Unset):
        view (ListTasksView | Unset):  Default: ListTasksView.MINIMAL.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TesListTasksResponse]
    """

    kwargs = _get_kwargs(
        name_prefix=name_prefix,
        state=state,
        tag_key=tag_key,
        tag_value=tag_value,
        page_size=page_size,
        page_token=page_token,
        view=view,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    name_prefix: str | Unset = UNSET,
    state: ListTasksState | Unset = UNSET,
    tag_key: list[str] | Unset = UNSET,
    tag_value: list[str] | Unset = UNSET,
    page_size: int | Unset = 256,
    page_token: str | Unset = UNSET,
    view: ListTasksView | Unset = ListTasksView.MINIMAL,
) -> Problem | TesListTasksResponse | None:
    """TES: list tasks

     Newest first. Filters combine with AND.

    Args:
        name_prefix (str | Unset):
        state (ListTasksState | Unset):
        tag_key (list[str] | Unset):
        tag_value (list[str] | Unset):
        page_size (int | Unset):  Default: 256.
        page_token (str | Unset):
        view (ListTasksView | Unset):  Default: ListTasksView.MINIMAL.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TesListTasksResponse
    """

    return sync_detailed(
        client=client,
        name_prefix=name_prefix,
        state=state,
        tag_key=tag_key,
        tag_value=tag_value,
        page_size=page_size,
        page_token=page_token,
        view=view,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    name_prefix: str | Unset = UNSET,
    state: ListTasksState | Unset = UNSET,
    tag_key: list[str] | Unset = UNSET,
    tag_value: list[str] | Unset = UNSET,
    page_size: int | Unset = 256,
    page_token: str | Unset = UNSET,
    view: ListTasksView | Unset = ListTasksView.MINIMAL,
) -> Response[Problem | TesListTasksResponse]:
    """TES: list tasks

     Newest first. Filters combine with AND.

    Args:
        name_prefix (str | Unset):
        state (ListTasksState | Unset):
        tag_key (list[str] | Unset):
        tag_value (list[str] | Unset):
        page_size (int | Unset):  Default: 256.
        page_token (str | Unset):
        view (ListTasksView | Unset):  Default: ListTasksView.MINIMAL.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TesListTasksResponse]
    """

    kwargs = _get_kwargs(
        name_prefix=name_prefix,
        state=state,
        tag_key=tag_key,
        tag_value=tag_value,
        page_size=page_size,
        page_token=page_token,
        view=view,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    name_prefix: str | Unset = UNSET,
    state: ListTasksState | Unset = UNSET,
    tag_key: list[str] | Unset = UNSET,
    tag_value: list[str] | Unset = UNSET,
    page_size: int | Unset = 256,
    page_token: str | Unset = UNSET,
    view: ListTasksView | Unset = ListTasksView.MINIMAL,
) -> Problem | TesListTasksResponse | None:
    """TES: list tasks

     Newest first. Filters combine with AND.

    Args:
        name_prefix (str | Unset):
        state (ListTasksState | Unset):
        tag_key (list[str] | Unset):
        tag_value (list[str] | Unset):
        page_size (int | Unset):  Default: 256.
        page_token (str | Unset):
        view (ListTasksView | Unset):  Default: ListTasksView.MINIMAL.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TesListTasksResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            name_prefix=name_prefix,
            state=state,
            tag_key=tag_key,
            tag_value=tag_value,
            page_size=page_size,
            page_token=page_token,
            view=view,
        )
    ).parsed
