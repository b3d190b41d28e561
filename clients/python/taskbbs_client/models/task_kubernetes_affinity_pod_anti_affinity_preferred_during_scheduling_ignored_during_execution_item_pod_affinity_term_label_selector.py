from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.task_kubernetes_affinity_pod_anti_affinity_preferred_during_scheduling_ignored_during_execution_item_pod_affinity_term_label_selector_match_expressions_item import (
        TaskKubernetesAffinityPodAntiAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPodAffinityTermLabelSelectorMatchExpressionsItem,
    )
    from ..models.task_kubernetes_affinity_pod_anti_affinity_preferred_during_scheduling_ignored_during_execution_item_pod_affinity_term_label_selector_match_labels import (
        TaskKubernetesAffinityPodAntiAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPodAffinityTermLabelSelectorMatchLabels,
    )


T = TypeVar(
    "T",
    bound="TaskKubernetesAffinityPodAntiAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPodAffinityTermLabelSelector",
)


@_attrs_define
class TaskKubernetesAffinityPodAntiAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPodAffinityTermLabelSelector:
    """
    Attributes:
        match_labels (TaskKubernetesAffinityPodAntiAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPodAffinit
            yTermLabelSelectorMatchLabels | Unset):
        match_expressions (list[TaskKubernetesAffinityPodAntiAffinityPreferredDuringSchedulingIgnoredDuringExecutionItem
            PodAffinityTermLabelSelectorMatchExpressionsItem] | Unset):
    """

    match_labels: (
        TaskKubernetesAffinityPodAntiAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPodAffinityTermLabelSelectorMatchLabels
        | Unset
    ) = UNSET
    match_expressions: (
        list[
            TaskKubernetesAffinityPodAntiAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPodAffinityTermLabelSelectorMatchExpressionsItem
        ]
        | Unset
    ) = UNSET

    def to_dict(self) -> dict[str, Any]:
        match_labels: dict[str, Any] | Unset = UNSET
        if not isinstance(self.match_labels, Unset):
            match_labels = self.match_labels.to_dict()

        match_expressions: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.match_expressions, Unset):
            match_expressions = []
            for match_expressions_item_data in self.match_expressions:
                match_expressions_item = match_expressions_item_data.to_dict()
                match_expressions.append(match_expressions_item)

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if match_labels is not UNSET:
            field_dict["matchLabels"] = match_labels
        if match_expressions is not UNSET:
            field_dict["matchExpressions"] = match_expressions

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.task_kubernetes_affinity_pod_anti_affinity_preferred_during_scheduling_ignored_during_execution_item_pod_affinity_term_label_selector_match_expressions_item import (
            TaskKubernetesAffinityPodAntiAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPodAffinityTermLabelSelectorMatchExpressionsItem,
        )
        from ..models.task_kubernetes_affinity_pod_anti_affinity_preferred_during_scheduling_ignored_during_execution_item_pod_affinity_term_label_selector_match_labels import (
            TaskKubernetesAffinityPodAntiAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPodAffinityTermLabelSelectorMatchLabels,
        )

        d = dict(src_dict)
        _match_labels = d.pop("matchLabels", UNSET)
        match_labels: (
            TaskKubernetesAffinityPodAntiAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPodAffinityTermLabelSelectorMatchLabels
            | Unset
        )
        if isinstance(_match_labels, Unset):
            match_labels = UNSET
        else:
            match_labels = TaskKubernetesAffinityPodAntiAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPodAffinityTermLabelSelectorMatchLabels.from_dict(
                _match_labels
            )

        _match_expressions = d.pop("matchExpressions", UNSET)
        match_expressions: (
            list[
                TaskKubernetesAffinityPodAntiAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPodAffinityTermLabelSelectorMatchExpressionsItem
            ]
            | Unset
        ) = UNSET
        if _match_expressions is not UNSET:
            match_expressions = []
            for match_expressions_item_data in _match_expressions:
                match_expressions_item = TaskKubernetesAffinityPodAntiAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPodAffinityTermLabelSelectorMatchExpressionsItem.from_dict(
                    match_expressions_item_data
                )

                match_expressions.append(match_expressions_item)

        task_kubernetes_affinity_pod_anti_affinity_preferred_during_scheduling_ignored_during_execution_item_pod_affinity_term_label_selector = cls(
            match_labels=match_labels,
            match_expressions=match_expressions,
        )

        return task_kubernetes_affinity_pod_anti_affinity_preferred_during_scheduling_ignored_during_execution_item_pod_affinity_term_label_selector
