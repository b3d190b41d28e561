from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="TesTaskLogsItemLogsItem")


@_attrs_define
class TesTaskLogsItemLogsItem:
    """
    Attributes:
        exit_code (int): Exit status; -1 while it runs or when it could not start; 128+n when killed by signal n.
        start_time (datetime.datetime | Unset): When the executor started.
        end_time (datetime.datetime | Unset): When it ended.
        stdout (str | Unset): The last 10 KiB of its stdout (FULL view).
        stderr (str | Unset): The last 10 KiB of its stderr (FULL view).
    """

    exit_code: int
    start_time: datetime.datetime | Unset = UNSET
    end_time: datetime.datetime | Unset = UNSET
    stdout: str | Unset = UNSET
    stderr: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        exit_code = self.exit_code

        start_time: str | Unset = UNSET
        if not isinstance(self.start_time, Unset):
            start_time = self.start_time.isoformat()

        end_time: str | Unset = UNSET
        if not isinstance(self.end_time, Unset):
            end_time = self.end_time.isoformat()

        stdout = self.stdout

        stderr = self.stderr

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "exit_code": exit_code,
            }
        )
        if start_time is not UNSET:
            field_dict["start_time"] = start_time
        if end_time is not UNSET:
            field_dict["end_time"] = end_time
        if stdout is not UNSET:
            field_dict["stdout"] = stdout
        if stderr is not UNSET:
            field_dict["stderr"] = stderr

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        exit_code = d.pop("exit_code")

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

        stdout = d.pop("stdout", UNSET)

        stderr = d.pop("stderr", UNSET)

        tes_task_logs_item_logs_item = cls(
            exit_code=exit_code,
            start_time=start_time,
            end_time=end_time,
            stdout=stdout,
            stderr=stderr,
        )

        return tes_task_logs_item_logs_item
