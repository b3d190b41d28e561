from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.task_kubernetes_affinity_node_affinity import (
        TaskKubernetesAffinityNodeAffinity,
    )
    from ..models.task_kubernetes_affinity_pod_affinity import (
        TaskKubernetesAffinityPodAffinity,
    )
    from ..models.task_kubernetes_affinity_pod_anti_affinity import (
        TaskKubernetesAffinityPodAntiAffinity,
    )


T = TypeVar("T", bound="TaskKubernetesAffinity")


@_attrs_define
class TaskKubernetesAffinity:
    """A Kubernetes core/v1 Affinity (camelCase, as Kubernetes spells it). Node affinity keys are limited to the node
    labels the operator allows; pod affinity and anti-affinity only where the operator allows them, and only over pods
    of the task namespace.

        Attributes:
            node_affinity (TaskKubernetesAffinityNodeAffinity | Unset):
            pod_affinity (TaskKubernetesAffinityPodAffinity | Unset):
            pod_anti_affinity (TaskKubernetesAffinityPodAntiAffinity | Unset):
    """

    node_affinity: TaskKubernetesAffinityNodeAffinity | Unset = UNSET
    pod_affinity: TaskKubernetesAffinityPodAffinity | Unset = UNSET
    pod_anti_affinity: TaskKubernetesAffinityPodAntiAffinity | Unset = UNSET

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
        from ..models.task_kubernetes_affinity_node_affinity import (
            TaskKubernetesAffinityNodeAffinity,
        )
        from ..models.task_kubernetes_affinity_pod_affinity import (
            TaskKubernetesAffinityPodAffinity,
        )
        from ..models.task_kubernetes_affinity_pod_anti_affinity import (
            TaskKubernetesAffinityPodAntiAffinity,
        )

        d = dict(src_dict)
        _node_affinity = d.pop("nodeAffinity", UNSET)
        node_affinity: TaskKubernetesAffinityNodeAffinity | Unset
        if isinstance(_node_affinity, Unset):
            node_affinity = UNSET
        else:
            node_affinity = TaskKubernetesAffinityNodeAffinity.from_dict(_node_affinity)

        _pod_affinity = d.pop("podAffinity", UNSET)
        pod_affinity: TaskKubernetesAffinityPodAffinity | Unset
        if isinstance(_pod_affinity, Unset):
            pod_affinity = UNSET
        else:
            pod_affinity = TaskKubernetesAffinityPodAffinity.from_dict(_pod_affinity)

        _pod_anti_affinity = d.pop("podAntiAffinity", UNSET)
        pod_anti_affinity: TaskKubernetesAffinityPodAntiAffinity | Unset
        if isinstance(_pod_anti_affinity, Unset):
            pod_anti_affinity = UNSET
        else:
            pod_anti_affinity = TaskKubernetesAffinityPodAntiAffinity.from_dict(
                _pod_anti_affinity
            )

        task_kubernetes_affinity = cls(
            node_affinity=node_affinity,
            pod_affinity=pod_affinity,
            pod_anti_affinity=pod_anti_affinity,
        )

        return task_kubernetes_affinity
