from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.task_definition_kubernetes_affinity_node_affinity import (
        TaskDefinitionKubernetesAffinityNodeAffinity,
    )
    from ..models.task_definition_kubernetes_affinity_pod_affinity import (
        TaskDefinitionKubernetesAffinityPodAffinity,
    )
    from ..models.task_definition_kubernetes_affinity_pod_anti_affinity import (
        TaskDefinitionKubernetesAffinityPodAntiAffinity,
    )


T = TypeVar("T", bound="TaskDefinitionKubernetesAffinity")


@_attrs_define
class TaskDefinitionKubernetesAffinity:
    """A Kubernetes core/v1 Affinity (camelCase, as Kubernetes spells it). Node affinity keys are limited to the node
    labels the operator allows; pod affinity and anti-affinity only where the operator allows them, and only over pods
    of the task namespace.

        Attributes:
            node_affinity (TaskDefinitionKubernetesAffinityNodeAffinity | Unset):
            pod_affinity (TaskDefinitionKubernetesAffinityPodAffinity | Unset):
            pod_anti_affinity (TaskDefinitionKubernetesAffinityPodAntiAffinity | Unset):
    """

    node_affinity: TaskDefinitionKubernetesAffinityNodeAffinity | Unset = UNSET
    pod_affinity: TaskDefinitionKubernetesAffinityPodAffinity | Unset = UNSET
    pod_anti_affinity: TaskDefinitionKubernetesAffinityPodAntiAffinity | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        node_affinity: dict[str, Any] | Unset = UNSET
        if not isinstance(self.node_affinity, Unset):
            node_affinity = self.node_affinity.to_dict()

        pod_affinity: dict[str, Any] | Unset = UNSET
        if not isinstance(self.pod_affinity, Unset):
            pod_affinity = self.pod_affinity.to_dict()

        pod_anti_affinity: dict[str, Any] | Unset = UNSET
        if not isinstance(self.pod_anti_affinity, Unset):
            pod_anti_affinity = self.pod_anti_affinity.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if node_affinity is not UNSET:
            field_dict["nodeAffinity"] = node_affinity
        if pod_affinity is not UNSET:
            field_dict["podAffinity"] = pod_affinity
        if pod_anti_affinity is not UNSET:
            field_dict["podAntiAffinity"] = pod_anti_affinity

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.task_definition_kubernetes_affinity_node_affinity import (
            TaskDefinitionKubernetesAffinityNodeAffinity,
        )
        from ..models.task_definition_kubernetes_affinity_pod_affinity import (
            TaskDefinitionKubernetesAffinityPodAffinity,
        )
        from ..models.task_definition_kubernetes_affinity_pod_anti_affinity import (
            TaskDefinitionKubernetesAffinityPodAntiAffinity,
        )

        d = dict(src_dict)
        _node_affinity = d.pop("nodeAffinity", UNSET)
        node_affinity: TaskDefinitionKubernetesAffinityNodeAffinity | Unset
        if isinstance(_node_affinity, Unset):
            node_affinity = UNSET
        else:
            node_affinity = TaskDefinitionKubernetesAffinityNodeAffinity.from_dict(
                _node_affinity
            )

        _pod_affinity = d.pop("podAffinity", UNSET)
        pod_affinity: TaskDefinitionKubernetesAffinityPodAffinity | Unset
        if isinstance(_pod_affinity, Unset):
            pod_affinity = UNSET
        else:
            pod_affinity = TaskDefinitionKubernetesAffinityPodAffinity.from_dict(
                _pod_affinity
            )

        _pod_anti_affinity = d.pop("podAntiAffinity", UNSET)
        pod_anti_affinity: TaskDefinitionKubernetesAffinityPodAntiAffinity | Unset
        if isinstance(_pod_anti_affinity, Unset):
            pod_anti_affinity = UNSET
        else:
            pod_anti_affinity = (
                TaskDefinitionKubernetesAffinityPodAntiAffinity.from_dict(
                    _pod_anti_affinity
                )
            )

        task_definition_kubernetes_affinity = cls(
            node_affinity=node_affinity,
            pod_affinity=pod_affinity,
            pod_anti_affinity=pod_anti_affinity,
        )

        return task_definition_kubernetes_affinity
