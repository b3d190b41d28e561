from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.task_kubernetes_affinity_pod_affinity_required_during_scheduling_ignored_during_execution_item_label_selector import (
        TaskKubernetesAffinityPodAffinityRequiredDuringSchedulingIgnoredDuringExecutionItemLabelSelector,
    )


T = TypeVar(
    "T",
    bound="TaskKubernetesAffinityPodAffinityRequiredDuringSchedulingIgnoredDuringExecutionItem",
)


@_attrs_define
class TaskKubernetesAffinityPodAffinityRequiredDuringSchedulingIgnoredDuringExecutionItem:
    """
    Attributes:
        topology_key (str):
        label_selector (TaskKubernetesAffinityPodAffinityRequiredDuringSchedulingIgnoredDuringExecutionItemLabelSelector
            | Unset):
        match_label_keys (list[str] | Unset):
        mismatch_label_keys (list[str] | Unset):
    """

    topology_key: str
    label_selector: (
        TaskKubernetesAffinityPodAffinityRequiredDuringSchedulingIgnoredDuringExecutionItemLabelSelector
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
        from ..models.task_kubernetes_affinity_pod_affinity_required_during_scheduling_ignored_during_execution_item_label_selector import (
            TaskKubernetesAffinityPodAffinityRequiredDuringSchedulingIgnoredDuringExecutionItemLabelSelector,
        )

        d = dict(src_dict)
        topology_key = d.pop("topologyKey")

        _label_selector = d.pop("labelSelector", UNSET)
        label_selector: (
            TaskKubernetesAffinityPodAffinityRequiredDuringSchedulingIgnoredDuringExecutionItemLabelSelector
            | Unset
        )
        if isinstance(_label_selector, Unset):
            label_selector = UNSET
        else:
            label_selector = TaskKubernetesAffinityPodAffinityRequiredDuringSchedulingIgnoredDuringExecutionItemLabelSelector.from_dict(
                _label_selector
            )

        match_label_keys = cast(list[str], d.pop("matchLabelKeys", UNSET))

        mismatch_label_keys = cast(list[str], d.pop("mismatchLabelKeys", UNSET))

        task_kubernetes_affinity_pod_affinity_required_during_scheduling_ignored_during_execution_item = cls(
            topology_key=topology_key,
            label_selector=label_selector,
            match_label_keys=match_label_keys,
            mismatch_label_keys=mismatch_label_keys,
        )

        return task_kubernetes_affinity_pod_affinity_required_during_scheduling_ignored_during_execution_item
