from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="TesTaskLogsItemOutputsItem")


@_attrs_define
class TesTaskLogsItemOutputsItem:
    """
    Attributes:
        url (str):
        path (str):
        size_bytes (str): Bytes, as a string (int64).
    """

    url: str
    path: str
    size_bytes: str

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        path = self.path

        size_bytes = self.size_bytes

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "url": url,
                "path": path,
                "size_bytes": size_bytes,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        url = d.pop("url")

        path = d.pop("path")

        size_bytes = d.pop("size_bytes")

        tes_task_logs_item_outputs_item = cls(
            url=url,
            path=path,
            size_bytes=size_bytes,
        )

        return tes_task_logs_item_outputs_item
