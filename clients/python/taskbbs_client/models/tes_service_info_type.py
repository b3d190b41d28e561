from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="TesServiceInfoType")


@_attrs_define
class TesServiceInfoType:
    """
    Attributes:
        group (str):
        artifact (str):
        version (str):
    """

    group: str
    artifact: str
    version: str

    def to_dict(self) -> dict[str, Any]:
        group = self.group

        artifact = self.artifact

        version = self.version

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "group": group,
                "artifact": artifact,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        group = d.pop("group")

        artifact = d.pop("artifact")

        version = d.pop("version")

        tes_service_info_type = cls(
            group=group,
            artifact=artifact,
            version=version,
        )

        return tes_service_info_type
