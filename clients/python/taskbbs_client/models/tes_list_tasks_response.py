from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.tes_task import TesTask


T = TypeVar("T", bound="TesListTasksResponse")


@_attrs_define
class TesListTasksResponse:
    """
    Attributes:
        tasks (list[TesTask]):
        next_page_token (str | Unset): Pass as page_token for the next page; absent on the last page.
    """

    tasks: list[TesTask]
    next_page_token: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        tasks = []
        for tasks_item_data in self.tasks:
            tasks_item = tasks_item_data.to_dict()
            tasks.append(tasks_item)

        next_page_token = self.next_page_token

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "tasks": tasks,
            }
        )
        if next_page_token is not UNSET:
            field_dict["next_page_token"] = next_page_token

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.tes_task import TesTask

        d = dict(src_dict)
        tasks = []
        _tasks = d.pop("tasks")
        for tasks_item_data in _tasks:
            tasks_item = TesTask.from_dict(tasks_item_data)

            tasks.append(tasks_item)

        next_page_token = d.pop("next_page_token", UNSET)

        tes_list_tasks_response = cls(
            tasks=tasks,
            next_page_token=next_page_token,
        )

        return tes_list_tasks_response
