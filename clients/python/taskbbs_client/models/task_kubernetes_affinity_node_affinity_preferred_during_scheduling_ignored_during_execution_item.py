from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.task_kubernetes_affinity_node_affinity_preferred_during_scheduling_ignored_during_execution_item_preference import (
        TaskKubernetesAffinityNodeAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPreference,
    )


T = TypeVar(
    "T",
    bound="TaskKubernetesAffinityNodeAffinityPreferredDuringSchedulingIgnoredDuringExecutionItem",
)


@_attrs_define
class TaskKubernetesAffinityNodeAffinityPreferredDuringSchedulingIgnoredDuringExecutionItem:
    """
    Attributes:
        weight (int):
        preference (TaskKubernetesAffinityNodeAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPreference):
    """

    weight: int
    preference: TaskKubernetesAffinityNodeAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPreference

    def to_dict(self) -> dict[str, Any]:
        weight = self.weight

        preference = self.preference.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "weight": weight,
                "preference": preference,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.task_kubernetes_affinity_node_affinity_preferred_during_scheduling_ignored_during_execution_item_preference import (
            TaskKubernetesAffinityNodeAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPreference,
        )

        d = dict(src_dict)
        weight = d.pop("weight")

        preference = TaskKubernetesAffinityNodeAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPreference.from_dict(
            d.pop("preference")
        )

        task_kubernetes_affinity_node_affinity_preferred_during_scheduling_ignored_during_execution_item = cls(
            weight=weight,
            preference=preference,
        )

        return task_kubernetes_affinity_node_affinity_preferred_during_scheduling_ignored_during_execution_item
