from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.task_network_properties import TaskNetworkProperties


T = TypeVar("T", bound="TaskNetwork")


@_attrs_define
class TaskNetwork:
    """Diego network properties (key/value pairs handed to the network layer); stored and returned.

    Attributes:
        properties (TaskNetworkProperties):
    """

    properties: TaskNetworkProperties

    def to_dict(self) -> dict[str, Any]:
        properties = self.properties.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "properties": properties,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.task_network_properties import TaskNetworkProperties

        d = dict(src_dict)
        properties = TaskNetworkProperties.from_dict(d.pop("properties"))

        task_network = cls(
            properties=properties,
        )

        return task_network
