from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.task_kubernetes_affinity_node_affinity_required_during_scheduling_ignored_during_execution_node_selector_terms_item import (
        TaskKubernetesAffinityNodeAffinityRequiredDuringSchedulingIgnoredDuringExecutionNodeSelectorTermsItem,
    )


T = TypeVar(
    "T",
    bound="TaskKubernetesAffinityNodeAffinityRequiredDuringSchedulingIgnoredDuringExecution",
)


@_attrs_define
class TaskKubernetesAffinityNodeAffinityRequiredDuringSchedulingIgnoredDuringExecution:
    """
    Attributes:
        node_selector_terms
            (list[TaskKubernetesAffinityNodeAffinityRequiredDuringSchedulingIgnoredDuringExecutionNodeSelectorTermsItem]):
    """

    node_selector_terms: list[
        TaskKubernetesAffinityNodeAffinityRequiredDuringSchedulingIgnoredDuringExecutionNodeSelectorTermsItem
    ]

    def to_dict(self) -> dict[str, Any]:
        node_selector_terms = []
        for node_selector_terms_item_data in self.node_selector_terms:
            node_selector_terms_item = node_selector_terms_item_data.to_dict()
            node_selector_terms.append(node_selector_terms_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "nodeSelectorTerms": node_selector_terms,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.task_kubernetes_affinity_node_affinity_required_during_scheduling_ignored_during_execution_node_selector_terms_item import (
            TaskKubernetesAffinityNodeAffinityRequiredDuringSchedulingIgnoredDuringExecutionNodeSelectorTermsItem,
        )

        d = dict(src_dict)
        node_selector_terms = []
        _node_selector_terms = d.pop("nodeSelectorTerms")
        for node_selector_terms_item_data in _node_selector_terms:
            node_selector_terms_item = TaskKubernetesAffinityNodeAffinityRequiredDuringSchedulingIgnoredDuringExecutionNodeSelectorTermsItem.from_dict(
                node_selector_terms_item_data
            )

            node_selector_terms.append(node_selector_terms_item)

        task_kubernetes_affinity_node_affinity_required_during_scheduling_ignored_during_execution = cls(
            node_selector_terms=node_selector_terms,
        )

        return task_kubernetes_affinity_node_affinity_required_during_scheduling_ignored_during_execution
