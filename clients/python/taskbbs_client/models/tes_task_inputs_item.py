from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.tes_task_inputs_item_type import TesTaskInputsItemType
from ..types import UNSET, Unset

T = TypeVar("T", bound="TesTaskInputsItem")


@_attrs_define
class TesTaskInputsItem:
    """
    Attributes:
        path (str): Absolute path of the file or directory in the container.
        name (str | Unset):
        description (str | Unset):
        url (str | Unset): http or https URL to download; required unless content is set.
        type_ (TesTaskInputsItemType | Unset): FILE (the default) or DIRECTORY. Default: TesTaskInputsItemType.FILE.
        content (str | Unset): File content literal (UTF-8), at most 128 KiB; when set, url is ignored.
        streamable (bool | Unset): Accepted; taskbbs always downloads.
    """

    path: str
    name: str | Unset = UNSET
    description: str | Unset = UNSET
    url: str | Unset = UNSET
    type_: TesTaskInputsItemType | Unset = TesTaskInputsItemType.FILE
    content: str | Unset = UNSET
    streamable: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        path = self.path

        name = self.name

        description = self.description

        url = self.url

        type_: str | Unset = UNSET
        if not isinstance(self.type_, Unset):
            type_ = self.type_.value

        content = self.content

        streamable = self.streamable

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "path": path,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if description is not UNSET:
            field_dict["description"] = description
        if url is not UNSET:
            field_dict["url"] = url
        if type_ is not UNSET:
            field_dict["type"] = type_
        if content is not UNSET:
            field_dict["content"] = content
        if streamable is not UNSET:
            field_dict["streamable"] = streamable

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        path = d.pop("path")

        name = d.pop("name", UNSET)

        description = d.pop("description", UNSET)

        url = d.pop("url", UNSET)

        _type_ = d.pop("type", UNSET)
        type_: TesTaskInputsItemType | Unset
        if isinstance(_type_, Unset):
            type_ = UNSET
        else:
            type_ = TesTaskInputsItemType(_type_)

        content = d.pop("content", UNSET)

        streamable = d.pop("streamable", UNSET)

        tes_task_inputs_item = cls(
            path=path,
            name=name,
            description=description,
            url=url,
            type_=type_,
            content=content,
            streamable=streamable,
        )

        return tes_task_inputs_item
