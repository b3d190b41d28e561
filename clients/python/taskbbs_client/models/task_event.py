from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.task_event_type import TaskEventType
from ..models.task_state import TaskState
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.task import Task


T = TypeVar("T", bound="TaskEvent")


@_attrs_define
class TaskEvent:
    """
    Attributes:
        id (str): Position in the stream: an opaque cursor that orders events. Send the last one back as Last-Event-ID
            to resume without gaps or repeats.
        type_ (TaskEventType): task_created on desire, task_changed on any visible change, task_removed on deletion.
        guid (str):
        domain (str):
        state (TaskState): PENDING → RUNNING → COMPLETED → RESOLVING → deleted.
        at (datetime.datetime): When the change was made (database clock).
        task (Task | Unset):
    """

    id: str
    type_: TaskEventType
    guid: str
    domain: str
    state: TaskState
    at: datetime.datetime
    task: Task | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_ = self.type_.value

        guid = self.guid

        domain = self.domain

        state = self.state.value

        at = self.at.isoformat()

        task: dict[str, Any] | Unset = UNSET
        if not isinstance(self.task, Unset):
            task = self.task.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "type": type_,
                "guid": guid,
                "domain": domain,
                "state": state,
                "at": at,
            }
        )
        if task is not UNSET:
            field_dict["task"] = task

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.task import Task

        d = dict(src_dict)
        id = d.pop("id")

        type_ = TaskEventType(d.pop("type"))

        guid = d.pop("guid")

        domain = d.pop("domain")

        state = TaskState(d.pop("state"))

        at = datetime.datetime.fromisoformat(d.pop("at"))

        _task = d.pop("task", UNSET)
        task: Task | Unset
        if isinstance(_task, Unset):
            task = UNSET
        else:
            task = Task.from_dict(_task)

        task_event = cls(
            id=id,
            type_=type_,
            guid=guid,
            domain=domain,
            state=state,
            at=at,
            task=task,
        )

        return task_event
