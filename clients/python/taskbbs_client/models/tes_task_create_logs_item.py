from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.tes_task_create_logs_item_logs_item import (
        TesTaskCreateLogsItemLogsItem,
    )
    from ..models.tes_task_create_logs_item_metadata import (
        TesTaskCreateLogsItemMetadata,
    )
    from ..models.tes_task_create_logs_item_outputs_item import (
        TesTaskCreateLogsItemOutputsItem,
    )


T = TypeVar("T", bound="TesTaskCreateLogsItem")


@_attrs_define
class TesTaskCreateLogsItem:
    """
    Attributes:
        logs (list[TesTaskCreateLogsItemLogsItem]):
        outputs (list[TesTaskCreateLogsItemOutputsItem]):
        metadata (TesTaskCreateLogsItemMetadata | Unset):
        start_time (datetime.datetime | Unset): When the task started running.
        end_time (datetime.datetime | Unset): When it ended.
        system_logs (list[str] | Unset): System log lines and the failure reason (FULL view).
    """

    logs: list[TesTaskCreateLogsItemLogsItem]
    outputs: list[TesTaskCreateLogsItemOutputsItem]
    metadata: TesTaskCreateLogsItemMetadata | Unset = UNSET
    start_time: datetime.datetime | Unset = UNSET
    end_time: datetime.datetime | Unset = UNSET
    system_logs: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        logs = []
        for logs_item_data in self.logs:
            logs_item = logs_item_data.to_dict()
            logs.append(logs_item)

        outputs = []
        for outputs_item_data in self.outputs:
            outputs_item = outputs_item_data.to_dict()
            outputs.append(outputs_item)

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        start_time: str | Unset = UNSET
        if not isinstance(self.start_time, Unset):
            start_time = self.start_time.isoformat()

        end_time: str | Unset = UNSET
        if not isinstance(self.end_time, Unset):
            end_time = self.end_time.isoformat()

        system_logs: list[str] | Unset = UNSET
        if not isinstance(self.system_logs, Unset):
            system_logs = self.system_logs

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "logs": logs,
                "outputs": outputs,
            }
        )
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if start_time is not UNSET:
            field_dict["start_time"] = start_time
        if end_time is not UNSET:
            field_dict["end_time"] = end_time
        if system_logs is not UNSET:
            field_dict["system_logs"] = system_logs

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.tes_task_create_logs_item_logs_item import (
            TesTaskCreateLogsItemLogsItem,
        )
        from ..models.tes_task_create_logs_item_metadata import (
            TesTaskCreateLogsItemMetadata,
        )
        from ..models.tes_task_create_logs_item_outputs_item import (
            TesTaskCreateLogsItemOutputsItem,
        )

        d = dict(src_dict)
        logs = []
        _logs = d.pop("logs")
        for logs_item_data in _logs:
            logs_item = TesTaskCreateLogsItemLogsItem.from_dict(logs_item_data)

            logs.append(logs_item)

        outputs = []
        _outputs = d.pop("outputs")
        for outputs_item_data in _outputs:
            outputs_item = TesTaskCreateLogsItemOutputsItem.from_dict(outputs_item_data)

            outputs.append(outputs_item)

        _metadata = d.pop("metadata", UNSET)
        metadata: TesTaskCreateLogsItemMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = TesTaskCreateLogsItemMetadata.from_dict(_metadata)

        _start_time = d.pop("start_time", UNSET)
        start_time: datetime.datetime | Unset
        if isinstance(_start_time, Unset):
            start_time = UNSET
        else:
            start_time = datetime.datetime.fromisoformat(_start_time)

        _end_time = d.pop("end_time", UNSET)
        end_time: datetime.datetime | Unset
        if isinstance(_end_time, Unset):
            end_time = UNSET
        else:
            end_time = datetime.datetime.fromisoformat(_end_time)

        system_logs = cast(list[str], d.pop("system_logs", UNSET))

        tes_task_create_logs_item = cls(
            logs=logs,
            outputs=outputs,
            metadata=metadata,
            start_time=start_time,
            end_time=end_time,
            system_logs=system_logs,
        )

        return tes_task_create_logs_item
