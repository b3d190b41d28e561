from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.task_image_layers_item_digest_algorithm import (
    TaskImageLayersItemDigestAlgorithm,
)
from ..models.task_image_layers_item_layer_type import TaskImageLayersItemLayerType
from ..models.task_image_layers_item_media_type import TaskImageLayersItemMediaType
from ..types import UNSET, Unset

T = TypeVar("T", bound="TaskImageLayersItem")


@_attrs_define
class TaskImageLayersItem:
    """
    Attributes:
        url (str): URL of the layer archive.
        destination_path (str): Where the layer is unpacked.
        layer_type (TaskImageLayersItemLayerType):
        media_type (TaskImageLayersItemMediaType):
        name (str | Unset):
        digest_algorithm (TaskImageLayersItemDigestAlgorithm | Unset):
        digest_value (str | Unset): Expected digest; set together with digest_algorithm, required for EXCLUSIVE layers.
    """

    url: str
    destination_path: str
    layer_type: TaskImageLayersItemLayerType
    media_type: TaskImageLayersItemMediaType
    name: str | Unset = UNSET
    digest_algorithm: TaskImageLayersItemDigestAlgorithm | Unset = UNSET
    digest_value: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        destination_path = self.destination_path

        layer_type = self.layer_type.value

        media_type = self.media_type.value

        name = self.name

        digest_algorithm: str | Unset = UNSET
        if not isinstance(self.digest_algorithm, Unset):
            digest_algorithm = self.digest_algorithm.value

        digest_value = self.digest_value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "url": url,
                "destination_path": destination_path,
                "layer_type": layer_type,
                "media_type": media_type,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if digest_algorithm is not UNSET:
            field_dict["digest_algorithm"] = digest_algorithm
        if digest_value is not UNSET:
            field_dict["digest_value"] = digest_value

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        url = d.pop("url")

        destination_path = d.pop("destination_path")

        layer_type = TaskImageLayersItemLayerType(d.pop("layer_type"))

        media_type = TaskImageLayersItemMediaType(d.pop("media_type"))

        name = d.pop("name", UNSET)

        _digest_algorithm = d.pop("digest_algorithm", UNSET)
        digest_algorithm: TaskImageLayersItemDigestAlgorithm | Unset
        if isinstance(_digest_algorithm, Unset):
            digest_algorithm = UNSET
        else:
            digest_algorithm = TaskImageLayersItemDigestAlgorithm(_digest_algorithm)

        digest_value = d.pop("digest_value", UNSET)

        task_image_layers_item = cls(
            url=url,
            destination_path=destination_path,
            layer_type=layer_type,
            media_type=media_type,
            name=name,
            digest_algorithm=digest_algorithm,
            digest_value=digest_value,
        )

        return task_image_layers_item
