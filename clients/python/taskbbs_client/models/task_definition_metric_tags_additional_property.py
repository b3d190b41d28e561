from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.task_definition_metric_tags_additional_property_dynamic import (
    TaskDefinitionMetricTagsAdditionalPropertyDynamic,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="TaskDefinitionMetricTagsAdditionalProperty")


@_attrs_define
class TaskDefinitionMetricTagsAdditionalProperty:
    """Exactly one of static or dynamic.

    Attributes:
        static (str | Unset): A fixed value; exclusive with dynamic.
        dynamic (TaskDefinitionMetricTagsAdditionalPropertyDynamic | Unset): A value the platform fills in; exclusive
            with static.
    """

    static: str | Unset = UNSET
    dynamic: TaskDefinitionMetricTagsAdditionalPropertyDynamic | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        static = self.static

        dynamic: str | Unset = UNSET
        if not isinstance(self.dynamic, Unset):
            dynamic = self.dynamic.value

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if static is not UNSET:
            field_dict["static"] = static
        if dynamic is not UNSET:
            field_dict["dynamic"] = dynamic

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        static = d.pop("static", UNSET)

        _dynamic = d.pop("dynamic", UNSET)
        dynamic: TaskDefinitionMetricTagsAdditionalPropertyDynamic | Unset
        if isinstance(_dynamic, Unset):
            dynamic = UNSET
        else:
            dynamic = TaskDefinitionMetricTagsAdditionalPropertyDynamic(_dynamic)

        task_definition_metric_tags_additional_property = cls(
            static=static,
            dynamic=dynamic,
        )

        return task_definition_metric_tags_additional_property
