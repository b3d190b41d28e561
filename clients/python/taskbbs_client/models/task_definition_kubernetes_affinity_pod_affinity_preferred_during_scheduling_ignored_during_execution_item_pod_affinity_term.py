from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.task_definition_kubernetes_affinity_pod_affinity_preferred_during_scheduling_ignored_during_execution_item_pod_affinity_term_label_selector import (
        TaskDefinitionKubernetesAffinityPodAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPodAffinityTermLabelSelector,
    )


T = TypeVar(
    "T",
    bound="TaskDefinitionKubernetesAffinityPodAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPodAffinityTerm",
)


@_attrs_define
class TaskDefinitionKubernetesAffinityPodAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPodAffinityTerm:
    """
    Attributes:
        topology_key (str):
        label_selector (TaskDefinitionKubernetesAffinityPodAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPo
            dAffinityTermLabelSelector | Unset):
        match_label_keys (list[str] | Unset):
        mismatch_label_keys (list[str] | Unset):
    """

    topology_key: str
    label_selector: (
        TaskDefinitionKubernetesAffinityPodAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPodAffinityTermLabelSelector
        | Unset
    ) = UNSET
    match_label_keys: list[str] | Unset = UNSET
    mismatch_label_keys: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        topology_key = self.topology_key

        label_selector: dict[str, Any] | Unset = UNSET
        if not isinstance(self.label_selector, Unset):
            label_selector = self.label_selector.to_dict()

        match_label_keys: list[str] | Unset = UNSET
        if not isinstance(self.match_label_keys, Unset):
            match_label_keys = self.match_label_keys

        mismatch_label_keys: list[str] | Unset = UNSET
        if not isinstance(self.mismatch_label_keys, Unset):
            mismatch_label_keys = self.mismatch_label_keys

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "topologyKey": topology_key,
            }
        )
        if label_selector is not UNSET:
            field_dict["labelSelector"] = label_selector
        if match_label_keys is not UNSET:
            field_dict["matchLabelKeys"] = match_label_keys
        if mismatch_label_keys is not UNSET:
            field_dict["mismatchLabelKeys"] = mismatch_label_keys

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.task_definition_kubernetes_affinity_pod_affinity_preferred_during_scheduling_ignored_during_execution_item_pod_affinity_term_label_selector import (
            TaskDefinitionKubernetesAffinityPodAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPodAffinityTermLabelSelector,
        )

        d = dict(src_dict)
        topology_key = d.pop("topologyKey")

        _label_selector = d.pop("labelSelector", UNSET)
        label_selector: (
            TaskDefinitionKubernetesAffinityPodAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPodAffinityTermLabelSelector
            | Unset
        )
        if isinstance(_label_selector, Unset):
            label_selector = UNSET
        else:
            label_selector = TaskDefinitionKubernetesAffinityPodAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPodAffinityTermLabelSelector.from_dict(
                _label_selector
            )

        match_label_keys = cast(list[str], d.pop("matchLabelKeys", UNSET))

        mismatch_label_keys = cast(list[str], d.pop("mismatchLabelKeys", UNSET))

        task_definition_kubernetes_affinity_pod_affinity_preferred_during_scheduling_ignored_during_execution_item_pod_affinity_term = cls(
            topology_key=topology_key,
            label_selector=label_selector,
            match_label_keys=match_label_keys,
            mismatch_label_keys=mismatch_label_keys,
        )

        return task_definition_kubernetes_affinity_pod_affinity_preferred_during_scheduling_ignored_during_execution_item_pod_affinity_term
