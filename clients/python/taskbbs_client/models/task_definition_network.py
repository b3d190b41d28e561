from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.task_definition_network_properties import (
        TaskDefinitionNetworkProperties,
    )


T = TypeVar("T", bound="TaskDefinitionNetwork")


@_attrs_define
class TaskDefinitionNetwork:
    """Diego network properties (key/value pairs handed to the network layer); stored and returned.

    Attributes:
        properties (TaskDefinitionNetworkProperties):
    """

    properties: TaskDefinitionNetworkProperties

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
        from ..models.task_definition_network_properties import (
            TaskDefinitionNetworkProperties,
        )

        d = dict(src_dict)
        properties = TaskDefinitionNetworkProperties.from_dict(d.pop("properties"))

        task_definition_network = cls(
            properties=properties,
        )

        return task_definition_network
