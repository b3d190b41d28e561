from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.tes_state import TesState
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.tes_task_executors_item import TesTaskExecutorsItem
    from ..models.tes_task_inputs_item import TesTaskInputsItem
    from ..models.tes_task_logs_item import TesTaskLogsItem
    from ..models.tes_task_outputs_item import TesTaskOutputsItem
    from ..models.tes_task_resources import TesTaskResources
    from ..models.tes_task_tags import TesTaskTags


T = TypeVar("T", bound="TesTask")


@_attrs_define
class TesTask:
    """
    Attributes:
        id (str): Task identifier assigned by the server (the taskbbs guid).
        state (TesState): Task state as TES defines it; see the README for how taskbbs states map to it.
        name (str | Unset): User-provided name; filterable with name_prefix.
        description (str | Unset):
        inputs (list[TesTaskInputsItem] | Unset):
        outputs (list[TesTaskOutputsItem] | Unset):
        resources (TesTaskResources | Unset):
        volumes (list[str] | Unset):
        tags (TesTaskTags | Unset): Free key/value pairs; `taskbbs.domain` chooses the domain.
        executors (list[TesTaskExecutorsItem] | Unset):
        logs (list[TesTaskLogsItem] | Unset):
        creation_time (datetime.datetime | Unset): When the task was created.
    """

    id: str
    state: TesState
    name: str | Unset = UNSET
    description: str | Unset = UNSET
    inputs: list[TesTaskInputsItem] | Unset = UNSET
    outputs: list[TesTaskOutputsItem] | Unset = UNSET
    resources: TesTaskResources | Unset = UNSET
    volumes: list[str] | Unset = UNSET
    tags: TesTaskTags | Unset = UNSET
    executors: list[TesTaskExecutorsItem] | Unset = UNSET
    logs: list[TesTaskLogsItem] | Unset = UNSET
    creation_time: datetime.datetime | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        state = self.state.value

        name = self.name

        description = self.description

        inputs: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.inputs, Unset):
            inputs = []
            for inputs_item_data in self.inputs:
                inputs_item = inputs_item_data.to_dict()
                inputs.append(inputs_item)

        outputs: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.outputs, Unset):
            outputs = []
            for outputs_item_data in self.outputs:
                outputs_item = outputs_item_data.to_dict()
                outputs.append(outputs_item)

        resources: dict[str, Any] | Unset = UNSET
        if not isinstance(self.resources, Unset):
            resources = self.resources.to_dict()

        volumes: list[str] | Unset = UNSET
        if not isinstance(self.volumes, Unset):
            volumes = self.volumes

        tags: dict[str, Any] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags.to_dict()

        executors: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.executors, Unset):
            executors = []
            for executors_item_data in self.executors:
                executors_item = executors_item_data.to_dict()
                executors.append(executors_item)

        logs: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.logs, Unset):
            logs = []
            for logs_item_data in self.logs:
                logs_item = logs_item_data.to_dict()
                logs.append(logs_item)

        creation_time: str | Unset = UNSET
        if not isinstance(self.creation_time, Unset):
            creation_time = self.creation_time.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "state": state,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if description is not UNSET:
            field_dict["description"] = description
        if inputs is not UNSET:
            field_dict["inputs"] = inputs
        if outputs is not UNSET:
            field_dict["outputs"] = outputs
        if resources is not UNSET:
            field_dict["resources"] = resources
        if volumes is not UNSET:
            field_dict["volumes"] = volumes
        if tags is not UNSET:
            field_dict["tags"] = tags
        if executors is not UNSET:
            field_dict["executors"] = executors
        if logs is not UNSET:
            field_dict["logs"] = logs
        if creation_time is not UNSET:
            field_dict["creation_time"] = creation_time

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.tes_task_executors_item import TesTaskExecutorsItem
        from ..models.tes_task_inputs_item import TesTaskInputsItem
        from ..models.tes_task_logs_item import TesTaskLogsItem
        from ..models.tes_task_outputs_item import TesTaskOutputsItem
        from ..models.tes_task_resources import TesTaskResources
        from ..models.tes_task_tags import TesTaskTags

        d = dict(src_dict)
        id = d.pop("id")

        state = TesState(d.pop("state"))

        name = d.pop("name", UNSET)

        description = d.pop("description", UNSET)

        _inputs = d.pop("inputs", UNSET)
        inputs: list[TesTaskInputsItem] | Unset = UNSET
        if _inputs is not UNSET:
            inputs = []
            for inputs_item_data in _inputs:
                inputs_item = TesTaskInputsItem.from_dict(inputs_item_data)

                inputs.append(inputs_item)

        _outputs = d.pop("outputs", UNSET)
        outputs: list[TesTaskOutputsItem] | Unset = UNSET
        if _outputs is not UNSET:
            outputs = []
            for outputs_item_data in _outputs:
                outputs_item = TesTaskOutputsItem.from_dict(outputs_item_data)

                outputs.append(outputs_item)

        _resources = d.pop("resources", UNSET)
        resources: TesTaskResources | Unset
        if isinstance(_resources, Unset):
            resources = UNSET
        else:
            resources = TesTaskResources.from_dict(_resources)

        volumes = cast(list[str], d.pop("volumes", UNSET))

        _tags = d.pop("tags", UNSET)
        tags: TesTaskTags | Unset
        if isinstance(_tags, Unset):
            tags = UNSET
        else:
            tags = TesTaskTags.from_dict(_tags)

        _executors = d.pop("executors", UNSET)
        executors: list[TesTaskExecutorsItem] | Unset = UNSET
        if _executors is not UNSET:
            executors = []
            for executors_item_data in _executors:
                executors_item = TesTaskExecutorsItem.from_dict(executors_item_data)

                executors.append(executors_item)

        _logs = d.pop("logs", UNSET)
        logs: list[TesTaskLogsItem] | Unset = UNSET
        if _logs is not UNSET:
            logs = []
            for logs_item_data in _logs:
                logs_item = TesTaskLogsItem.from_dict(logs_item_data)

                logs.append(logs_item)

        _creation_time = d.pop("creation_time", UNSET)
        creation_time: datetime.datetime | Unset
        if isinstance(_creation_time, Unset):
            creation_time = UNSET
        else:
            creation_time = datetime.datetime.fromisoformat(_creation_time)

        tes_task = cls(
            id=id,
            state=state,
            name=name,
            description=description,
            inputs=inputs,
            outputs=outputs,
            resources=resources,
            volumes=volumes,
            tags=tags,
            executors=executors,
            logs=logs,
            creation_time=creation_time,
        )

        return tes_task
