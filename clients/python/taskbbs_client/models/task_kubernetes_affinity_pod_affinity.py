from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.task_kubernetes_affinity_pod_affinity_preferred_during_scheduling_ignored_during_execution_item import (
        TaskKubernetesAffinityPodAffinityPreferredDuringSchedulingIgnoredDuringExecutionItem,
    )
    from ..models.task_kubernetes_affinity_pod_affinity_required_during_scheduling_ignored_during_execution_item import (
        TaskKubernetesAffinityPodAffinityRequiredDuringSchedulingIgnoredDuringExecutionItem,
    )


T = TypeVar("T", bound="TaskKubernetesAffinityPodAffinity")


@_attrs_define
class TaskKubernetesAffinityPodAffinity:
    """
    Attributes:
        required_during_scheduling_ignored_during_execution
            (list[TaskKubernetesAffinityPodAffinityRequiredDuringSchedulingIgnoredDuringExecutionItem] | Unset):
        preferred_during_scheduling_ignored_during_execution
            (list[TaskKubernetesAffinityPodAffinityPreferredDuringSchedulingIgnoredDuringExecutionItem] | Unset):
    """

    required_during_scheduling_ignored_during_execution: (
        list[
            TaskKubernetesAffinityPodAffinityRequiredDuringSchedulingIgnoredDuringExecutionItem
        ]
        | Unset
    ) = UNSET
    preferred_during_scheduling_ignored_during_execution: (
        list[
            TaskKubernetesAffinityPodAffinityPreferredDuringSchedulingIgnoredDuringExecutionItem
        ]
        | Unset
    ) = UNSET

    def to_dict(self) -> dict[str, Any]:
        required_during_scheduling_ignored_during_execution: (
            list[dict[str, Any]] | Unset
        ) = UNSET
        if not isinstance(
            self.required_during_scheduling_ignored_during_execution, Unset
        ):
            required_during_scheduling_ignored_during_execution = []
            for (
                required_during_scheduling_ignored_during_execution_item_data
            ) in self.required_during_scheduling_ignored_during_execution:
                required_during_scheduling_ignored_during_execution_item = required_during_scheduling_ignored_during_execution_item_data.to_dict()
                required_during_scheduling_ignored_during_execution.append(
                    required_during_scheduling_ignored_during_execution_item
                )

        preferred_during_scheduling_ignored_during_execution: (
            list[dict[str, Any]] | Unset
        ) = UNSET
        if not isinstance(
            self.preferred_during_scheduling_ignored_during_execution, Unset
        ):
            preferred_during_scheduling_ignored_during_execution = []
            for (
                preferred_during_scheduling_ignored_during_execution_item_data
            ) in self.preferred_during_scheduling_ignored_during_execution:
                preferred_during_scheduling_ignored_during_execution_item = preferred_during_scheduling_ignored_during_execution_item_data.to_dict()
                preferred_during_scheduling_ignored_during_execution.append(
                    preferred_during_scheduling_ignored_during_execution_item
                )

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if required_during_scheduling_ignored_during_execution is not UNSET:
            field_dict["requiredDuringSchedulingIgnoredDuringExecution"] = (
                required_during_scheduling_ignored_during_execution
            )
        if preferred_during_scheduling_ignored_during_execution is not UNSET:
            field_dict["preferredDuringSchedulingIgnoredDuringExecution"] = (
                preferred_during_scheduling_ignored_during_execution
            )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.task_kubernetes_affinity_pod_affinity_preferred_during_scheduling_ignored_during_execution_item import (
            TaskKubernetesAffinityPodAffinityPreferredDuringSchedulingIgnoredDuringExecutionItem,
        )
        from ..models.task_kubernetes_affinity_pod_affinity_required_during_scheduling_ignored_during_execution_item import (
            TaskKubernetesAffinityPodAffinityRequiredDuringSchedulingIgnoredDuringExecutionItem,
        )

        d = dict(src_dict)
        _required_during_scheduling_ignored_during_execution = d.pop(
            "requiredDuringSchedulingIgnoredDuringExecution", UNSET
        )
        required_during_scheduling_ignored_during_execution: (
            list[
                TaskKubernetesAffinityPodAffinityRequiredDuringSchedulingIgnoredDuringExecutionItem
            ]
            | Unset
        ) = UNSET
        if _required_during_scheduling_ignored_during_execution is not UNSET:
            required_during_scheduling_ignored_during_execution = []
            for (
                required_during_scheduling_ignored_during_execution_item_data
            ) in _required_during_scheduling_ignored_during_execution:
                required_during_scheduling_ignored_during_execution_item = TaskKubernetesAffinityPodAffinityRequiredDuringSchedulingIgnoredDuringExecutionItem.from_dict(
                    required_during_scheduling_ignored_during_execution_item_data
                )

                required_during_scheduling_ignored_during_execution.append(
                    required_during_scheduling_ignored_during_execution_item
                )

        _preferred_during_scheduling_ignored_during_execution = d.pop(
            "preferredDuringSchedulingIgnoredDuringExecution", UNSET
        )
        preferred_during_scheduling_ignored_during_execution: (
            list[
                TaskKubernetesAffinityPodAffinityPreferredDuringSchedulingIgnoredDuringExecutionItem
            ]
            | Unset
        ) = UNSET
        if _preferred_during_scheduling_ignored_during_execution is not UNSET:
            preferred_during_scheduling_ignored_during_execution = []
            for (
                preferred_during_scheduling_ignored_during_execution_item_data
            ) in _preferred_during_scheduling_ignored_during_execution:
                preferred_during_scheduling_ignored_during_execution_item = TaskKubernetesAffinityPodAffinityPreferredDuringSchedulingIgnoredDuringExecutionItem.from_dict(
                    preferred_during_scheduling_ignored_during_execution_item_data
                )

                preferred_during_scheduling_ignored_during_execution.append(
                    preferred_during_scheduling_ignored_during_execution_item
                )

        task_kubernetes_affinity_pod_affinity = cls(
            required_during_scheduling_ignored_during_execution=required_during_scheduling_ignored_during_execution,
            preferred_during_scheduling_ignored_during_execution=preferred_during_scheduling_ignored_during_execution,
        )

        return task_kubernetes_affinity_pod_affinity
