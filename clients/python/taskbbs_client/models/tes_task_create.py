from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.tes_task_create_state import TesTaskCreateState
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.tes_task_create_executors_item import TesTaskCreateExecutorsItem
    from ..models.tes_task_create_inputs_item import TesTaskCreateInputsItem
    from ..models.tes_task_create_logs_item import TesTaskCreateLogsItem
    from ..models.tes_task_create_outputs_item import TesTaskCreateOutputsItem
    from ..models.tes_task_create_resources import TesTaskCreateResources
    from ..models.tes_task_create_tags import TesTaskCreateTags


T = TypeVar("T", bound="TesTaskCreate")


@_attrs_define
class TesTaskCreate:
    """
    Attributes:
        executors (list[TesTaskCreateExecutorsItem]):
        name (str | Unset): User-provided name; filterable with name_prefix.
        description (str | Unset):
        inputs (list[TesTaskCreateInputsItem] | Unset):
        outputs (list[TesTaskCreateOutputsItem] | Unset):
        resources (TesTaskCreateResources | Unset):
        volumes (list[str] | Unset):
        tags (TesTaskCreateTags | Unset): Free key/value pairs; `taskbbs.domain` chooses the domain.
        id (str | Unset): Set by the server; ignored when sent.
        state (TesTaskCreateState | Unset): Set by the server; ignored when sent.
        logs (list[TesTaskCreateLogsItem] | Unset): Set by the server; ignored when sent.
        creation_time (str | Unset): Set by the server; ignored when sent.
    """

    executors: list[TesTaskCreateExecutorsItem]
    name: str | Unset = UNSET
    description: str | Unset = UNSET
    inputs: list[TesTaskCreateInputsItem] | Unset = UNSET
    outputs: list[TesTaskCreateOutputsItem] | Unset = UNSET
    resources: TesTaskCreateResources | Unset = UNSET
    volumes: list[str] | Unset = UNSET
    tags: TesTaskCreateTags | Unset = UNSET
    id: str | Unset = UNSET
    state: TesTaskCreateState | Unset = UNSET
    logs: list[TesTaskCreateLogsItem] | Unset = UNSET
    creation_time: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        executors = []
        for executors_item_data in self.executors:
            executors_item = executors_item_data.to_dict()
            executors.append(executors_item)

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

        id = self.id

        state: str | Unset = UNSET
        if not isinstance(self.state, Unset):
            state = self.state.value

        logs: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.logs, Unset):
            logs = []
            for logs_item_data in self.logs:
                logs_item = logs_item_data.to_dict()
                logs.append(logs_item)

        creation_time = self.creation_time

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "executors": executors,
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
        if id is not UNSET:
            field_dict["id"] = id
        if state is not UNSET:
            field_dict["state"] = state
        if logs is not UNSET:
            field_dict["logs"] = logs
        if creation_time is not UNSET:
            field_dict["creation_time"] = creation_time

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.tes_task_create_executors_item import TesTaskCreateExecutorsItem
        from ..models.tes_task_create_inputs_item import TesTaskCreateInputsItem
        from ..models.tes_task_create_logs_item import TesTaskCreateLogsItem
        from ..models.tes_task_create_outputs_item import TesTaskCreateOutputsItem
        from ..models.tes_task_create_resources import TesTaskCreateResources
        from ..models.tes_task_create_tags import TesTaskCreateTags

        d = dict(src_dict)
        executors = []
        _executors = d.pop("executors")
        for executors_item_data in _executors:
            executors_item = TesTaskCreateExecutorsItem.from_dict(executors_item_data)

            executors.append(executors_item)

        name = d.pop("name", UNSET)

        description = d.pop("description", UNSET)

        _inputs = d.pop("inputs", UNSET)
        inputs: list[TesTaskCreateInputsItem] | Unset = UNSET
        if _inputs is not UNSET:
            inputs = []
            for inputs_item_data in _inputs:
                inputs_item = TesTaskCreateInputsItem.from_dict(inputs_item_data)

                inputs.append(inputs_item)

        _outputs = d.pop("outputs", UNSET)
        outputs: list[TesTaskCreateOutputsItem] | Unset = UNSET
        if _outputs is not UNSET:
            outputs = []
            for outputs_item_data in _outputs:
                outputs_item = TesTaskCreateOutputsItem.from_dict(outputs_item_data)

                outputs.append(outputs_item)

        _resources = d.pop("resources", UNSET)
        resources: TesTaskCreateResources | Unset
        if isinstance(_resources, Unset):
            resources = UNSET
        else:
            resources = TesTaskCreateResources.from_dict(_resources)

        volumes = cast(list[str], d.pop("volumes", UNSET))

        _tags = d.pop("tags", UNSET)
        tags: TesTaskCreateTags | Unset
        if isinstance(_tags, Unset):
            tags = UNSET
        else:
            tags = TesTaskCreateTags.from_dict(_tags)

        id = d.pop("id", UNSET)

        _state = d.pop("state", UNSET)
        state: TesTaskCreateState | Unset
        if isinstance(_state, Unset):
            state = UNSET
        else:
            state = TesTaskCreateState(_state)

        _logs = d.pop("logs", UNSET)
        logs: list[TesTaskCreateLogsItem] | Unset = UNSET
        if _logs is not UNSET:
            logs = []
            for logs_item_data in _logs:
                logs_item = TesTaskCreateLogsItem.from_dict(logs_item_data)

                logs.append(logs_item)

        creation_time = d.pop("creation_time", UNSET)

        tes_task_create = cls(
            executors=executors,
            name=name,
            description=description,
            inputs=inputs,
            outputs=outputs,
            resources=resources,
            volumes=volumes,
            tags=tags,
            id=id,
            state=state,
            logs=logs,
            creation_time=creation_time,
        )

        return tes_task_create
