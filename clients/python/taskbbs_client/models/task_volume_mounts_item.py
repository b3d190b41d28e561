from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.task_volume_mounts_item_mode import TaskVolumeMountsItemMode

if TYPE_CHECKING:
    from ..models.task_volume_mounts_item_shared import TaskVolumeMountsItemShared


T = TypeVar("T", bound="TaskVolumeMountsItem")


@_attrs_define
class TaskVolumeMountsItem:
    """
    Attributes:
        driver (str): Volume driver; the Kubernetes executor maps it to a PersistentVolumeClaim.
        container_dir (str): Mount point in the container.
        mode (TaskVolumeMountsItemMode):
        shared (TaskVolumeMountsItemShared):
    """

    driver: str
    container_dir: str
    mode: TaskVolumeMountsItemMode
    shared: TaskVolumeMountsItemShared

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
        from ..models.task_volume_mounts_item_shared import TaskVolumeMountsItemShared

        d = dict(src_dict)
        driver = d.pop("driver")

        container_dir = d.pop("container_dir")

        mode = TaskVolumeMountsItemMode(d.pop("mode"))

        shared = TaskVolumeMountsItemShared.from_dict(d.pop("shared"))

        task_volume_mounts_item = cls(
            driver=driver,
            container_dir=container_dir,
            mode=mode,
            shared=shared,
        )

        return task_volume_mounts_item
