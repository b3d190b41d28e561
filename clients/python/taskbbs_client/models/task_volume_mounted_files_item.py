from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="TaskVolumeMountedFilesItem")


@_attrs_define
class TaskVolumeMountedFilesItem:
    """
    Attributes:
        path (str): Where the file is written, relative to the container's volume-mounted-files directory.
        content (str): The file's content.
    """

    path: str
    content: str

    def to_dict(self) -> dict[str, Any]:
        path = self.path

        content = self.content

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "path": path,
                "content": content,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        path = d.pop("path")

        content = d.pop("content")

        task_volume_mounted_files_item = cls(
            path=path,
            content=content,
        )

        return task_volume_mounted_files_item
