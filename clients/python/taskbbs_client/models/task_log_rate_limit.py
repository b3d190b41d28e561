from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="TaskLogRateLimit")


@_attrs_define
class TaskLogRateLimit:
    """
    Attributes:
        bytes_per_second (int): Log bytes per second the task may emit; -1 for no limit.
    """

    bytes_per_second: int

    def to_dict(self) -> dict[str, Any]:
        bytes_per_second = self.bytes_per_second

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "bytes_per_second": bytes_per_second,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        bytes_per_second = d.pop("bytes_per_second")

        task_log_rate_limit = cls(
            bytes_per_second=bytes_per_second,
        )

        return task_log_rate_limit
