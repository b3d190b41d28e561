from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="TaskVolumeMountsItemShared")


@_attrs_define
class TaskVolumeMountsItemShared:
    """
    Attributes:
        volume_id (str): Volume identifier (the claim name on Kubernetes).
        mount_config (str | Unset):
    """

    volume_id: str
    mount_config: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        volume_id = self.volume_id

        mount_config = self.mount_config

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "volume_id": volume_id,
            }
        )
        if mount_config is not UNSET:
            field_dict["mount_config"] = mount_config

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        volume_id = d.pop("volume_id")

        mount_config = d.pop("mount_config", UNSET)

        task_volume_mounts_item_shared = cls(
            volume_id=volume_id,
            mount_config=mount_config,
        )

        return task_volume_mounts_item_shared
