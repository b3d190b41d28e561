from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.task_definition_kubernetes_affinity_node_affinity_preferred_during_scheduling_ignored_during_execution_item import (
        TaskDefinitionKubernetesAffinityNodeAffinityPreferredDuringSchedulingIgnoredDuringExecutionItem,
    )
    from ..models.task_definition_kubernetes_affinity_node_affinity_required_during_scheduling_ignored_during_execution import (
        TaskDefinitionKubernetesAffinityNodeAffinityRequiredDuringSchedulingIgnoredDuringExecution,
    )


T = TypeVar("T", bound="TaskDefinitionKubernetesAffinityNodeAffinity")


@_attrs_define
class TaskDefinitionKubernetesAffinityNodeAffinity:
    """
    Attributes:
        required_during_scheduling_ignored_during_execution
            (TaskDefinitionKubernetesAffinityNodeAffinityRequiredDuringSchedulingIgnoredDuringExecution | Unset):
        preferred_during_scheduling_ignored_during_execution
            (list[TaskDefinitionKubernetesAffinityNodeAffinityPreferredDuringSchedulingIgnoredDuringExecutionItem] | Unset):
    """

    required_during_scheduling_ignored_during_execution: (
        TaskDefinitionKubernetesAffinityNodeAffinityRequiredDuringSchedulingIgnoredDuringExecution
        | Unset
    ) = UNSET
    preferred_during_scheduling_ignored_during_execution: (
        list[
            TaskDefinitionKubernetesAffinityNodeAffinityPreferredDuringSchedulingIgnoredDuringExecutionItem
        ]
        | Unset
    ) = UNSET

    def to_dict(self) -> dict[str, Any]:
        required_during_scheduling_ignored_during_execution: dict[str, Any] | Unset = (
            UNSET
        )
        if not isinstance(
            self.required_during_scheduling_ignored_during_execution, Unset
        ):
            required_during_scheduling_ignored_during_execution = (
                self.required_during_scheduling_ignored_during_execution.to_dict()
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
        from ..models.task_definition_kubernetes_affinity_node_affinity_preferred_during_scheduling_ignored_during_execution_item import (
            TaskDefinitionKubernetesAffinityNodeAffinityPreferredDuringSchedulingIgnoredDuringExecutionItem,
        )
        from ..models.task_definition_kubernetes_affinity_node_affinity_required_during_scheduling_ignored_during_execution import (
            TaskDefinitionKubernetesAffinityNodeAffinityRequiredDuringSchedulingIgnoredDuringExecution,
        )

        d = dict(src_dict)
        _required_during_scheduling_ignored_during_execution = d.pop(
            "requiredDuringSchedulingIgnoredDuringExecution", UNSET
        )
        required_during_scheduling_ignored_during_execution: (
            TaskDefinitionKubernetesAffinityNodeAffinityRequiredDuringSchedulingIgnoredDuringExecution
            | Unset
        )
        if isinstance(_required_during_scheduling_ignored_during_execution, Unset):
            required_during_scheduling_ignored_during_execution = UNSET
        else:
            required_during_scheduling_ignored_during_execution = TaskDefinitionKubernetesAffinityNodeAffinityRequiredDuringSchedulingIgnoredDuringExecution.from_dict(
                _required_during_scheduling_ignored_during_execution
            )

        _preferred_during_scheduling_ignored_during_execution = d.pop(
            "preferredDuringSchedulingIgnoredDuringExecution", UNSET
        )
        preferred_during_scheduling_ignored_during_execution: (
            list[
                TaskDefinitionKubernetesAffinityNodeAffinityPreferredDuringSchedulingIgnoredDuringExecutionItem
            ]
            | Unset
        ) = UNSET
        if _preferred_during_scheduling_ignored_during_execution is not UNSET:
            preferred_during_scheduling_ignored_during_execution = []
            for (
                preferred_during_scheduling_ignored_during_execution_item_data
            ) in _preferred_during_scheduling_ignored_during_execution:
                preferred_during_scheduling_ignored_during_execution_item = TaskDefinitionKubernetesAffinityNodeAffinityPreferredDuringSchedulingIgnoredDuringExecutionItem.from_dict(
                    preferred_during_scheduling_ignored_during_execution_item_data
                )

                preferred_during_scheduling_ignored_during_execution.append(
                    preferred_during_scheduling_ignored_during_execution_item
                )

        task_definition_kubernetes_affinity_node_affinity = cls(
            required_during_scheduling_ignored_during_execution=required_during_scheduling_ignored_during_execution,
            preferred_during_scheduling_ignored_during_execution=preferred_during_scheduling_ignored_during_execution,
        )

        return task_definition_kubernetes_affinity_node_affinity
