from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.task_definition_volume_mounts_item_mode import (
    TaskDefinitionVolumeMountsItemMode,
)

if TYPE_CHECKING:
    from ..models.task_definition_volume_mounts_item_shared import (
        TaskDefinitionVolumeMountsItemShared,
    )


T = TypeVar("T", bound="TaskDefinitionVolumeMountsItem")


@_attrs_define
class TaskDefinitionVolumeMountsItem:
    """
    Attributes:
        driver (str): Volume driver; the Kubernetes executor maps it to a PersistentVolumeClaim.
        container_dir (str): Mount point in the container.
        mode (TaskDefinitionVolumeMountsItemMode):
        shared (TaskDefinitionVolumeMountsItemShared):
    """

    driver: str
    container_dir: str
    mode: TaskDefinitionVolumeMountsItemMode
    shared: TaskDefinitionVolumeMountsItemShared

    def to_dict(self) -> dict[str, Any]:
        driver = self.driver

        container_dir = self.container_dir

        mode = self.mode.value

        shared = self.shared.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "driver": driver,
                "container_dir": container_dir,
                "mode": mode,
                "shared": shared,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.task_definition_volume_mounts_item_shared import (
            TaskDefinitionVolumeMountsItemShared,
        )

        d = dict(src_dict)
        driver = d.pop("driver")

        container_dir = d.pop("container_dir")

        mode = TaskDefinitionVolumeMountsItemMode(d.pop("mode"))

        shared = TaskDefinitionVolumeMountsItemShared.from_dict(d.pop("shared"))

        task_definition_volume_mounts_item = cls(
            driver=driver,
            container_dir=container_dir,
            mode=mode,
            shared=shared,
        )

        return task_definition_volume_mounts_item
