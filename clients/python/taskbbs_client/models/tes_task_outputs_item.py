from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.tes_task_outputs_item_type import TesTaskOutputsItemType
from ..types import UNSET, Unset

T = TypeVar("T", bound="TesTaskOutputsItem")


@_attrs_define
class TesTaskOutputsItem:
    """
    Attributes:
        url (str): http or https URL the file is POSTed to after the executors.
        path (str): Absolute path of the file in the container; no wildcards.
        name (str | Unset):
        description (str | Unset):
        path_prefix (str | Unset): Only meaningful with wildcards, which taskbbs does not support.
        type_ (TesTaskOutputsItemType | Unset): FILE (the default) or DIRECTORY. Default: TesTaskOutputsItemType.FILE.
    """

    url: str
    path: str
    name: str | Unset = UNSET
    description: str | Unset = UNSET
    path_prefix: str | Unset = UNSET
    type_: TesTaskOutputsItemType | Unset = TesTaskOutputsItemType.FILE

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        path = self.path

        name = self.name

        description = self.description

        path_prefix = self.path_prefix

        type_: str | Unset = UNSET
        if not isinstance(self.type_, Unset):
            type_ = self.type_.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "url": url,
                "path": path,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if description is not UNSET:
            field_dict["description"] = description
        if path_prefix is not UNSET:
            field_dict["path_prefix"] = path_prefix
        if type_ is not UNSET:
            field_dict["type"] = type_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        url = d.pop("url")

        path = d.pop("path")

        name = d.pop("name", UNSET)

        description = d.pop("description", UNSET)

        path_prefix = d.pop("path_prefix", UNSET)

        _type_ = d.pop("type", UNSET)
        type_: TesTaskOutputsItemType | Unset
        if isinstance(_type_, Unset):
            type_ = UNSET
        else:
            type_ = TesTaskOutputsItemType(_type_)

        tes_task_outputs_item = cls(
            url=url,
            path=path,
            name=name,
            description=description,
            path_prefix=path_prefix,
            type_=type_,
        )

        return tes_task_outputs_item
