from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.task_kubernetes_affinity_pod_anti_affinity_preferred_during_scheduling_ignored_during_execution_item_pod_affinity_term import (
        TaskKubernetesAffinityPodAntiAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPodAffinityTerm,
    )


T = TypeVar(
    "T",
    bound="TaskKubernetesAffinityPodAntiAffinityPreferredDuringSchedulingIgnoredDuringExecutionItem",
)


@_attrs_define
class TaskKubernetesAffinityPodAntiAffinityPreferredDuringSchedulingIgnoredDuringExecutionItem:
    """
    Attributes:
        weight (int):
        pod_affinity_term
            (TaskKubernetesAffinityPodAntiAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPodAffinityTerm):
    """

    weight: int
    pod_affinity_term: TaskKubernetesAffinityPodAntiAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPodAffinityTerm

    def to_dict(self) -> dict[str, Any]:
        weight = self.weight

        pod_affinity_term = self.pod_affinity_term.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "weight": weight,
                "podAffinityTerm": pod_affinity_term,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.task_kubernetes_affinity_pod_anti_affinity_preferred_during_scheduling_ignored_during_execution_item_pod_affinity_term import (
            TaskKubernetesAffinityPodAntiAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPodAffinityTerm,
        )

        d = dict(src_dict)
        weight = d.pop("weight")

        pod_affinity_term = TaskKubernetesAffinityPodAntiAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPodAffinityTerm.from_dict(
            d.pop("podAffinityTerm")
        )

        task_kubernetes_affinity_pod_anti_affinity_preferred_during_scheduling_ignored_during_execution_item = cls(
            weight=weight,
            pod_affinity_term=pod_affinity_term,
        )

        return task_kubernetes_affinity_pod_anti_affinity_preferred_during_scheduling_ignored_during_execution_item
