from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="TaskCallback")


@_attrs_define
class TaskCallback:
    """
    Attributes:
        task_guid (str):
        failed (bool):
        failure_reason (str):
        result (str): First 10 KB of result_file.
        annotation (str):
        created_at (datetime.datetime):
    """

    task_guid: str
    failed: bool
    failure_reason: str
    result: str
    annotation: str
    created_at: datetime.datetime

    def to_dict(self) -> dict[str, Any]:
        task_guid = self.task_guid

        failed = self.failed

        failure_reason = self.failure_reason

        result = self.result

        annotation = self.annotation

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "task_guid": task_guid,
                "failed": failed,
                "failure_reason": failure_reason,
                "result": result,
                "annotation": annotation,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        task_guid = d.pop("task_guid")

        failed = d.pop("failed")

        failure_reason = d.pop("failure_reason")

        result = d.pop("result")

        annotation = d.pop("annotation")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        task_callback = cls(
            task_guid=task_guid,
            failed=failed,
            failure_reason=failure_reason,
            result=result,
            annotation=annotation,
            created_at=created_at,
        )

        return task_callback
