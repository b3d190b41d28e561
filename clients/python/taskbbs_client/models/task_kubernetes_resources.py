from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.task_kubernetes_resources_limits import TaskKubernetesResourcesLimits
    from ..models.task_kubernetes_resources_requests import (
        TaskKubernetesResourcesRequests,
    )


T = TypeVar("T", bound="TaskKubernetesResources")


@_attrs_define
class TaskKubernetesResources:
    """
    Attributes:
        limits (TaskKubernetesResourcesLimits | Unset): Resource name to quantity: cpu, memory, ephemeral-storage, or
            extended resources such as nvidia.com/gpu.
        requests (TaskKubernetesResourcesRequests | Unset): Resource name to quantity: cpu, memory, ephemeral-storage,
            or extended resources such as nvidia.com/gpu.
    """

    limits: TaskKubernetesResourcesLimits | Unset = UNSET
    requests: TaskKubernetesResourcesRequests | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        limits: dict[str, Any] | Unset = UNSET
        if not isinstance(self.limits, Unset):
            limits = self.limits.to_dict()

        requests: dict[str, Any] | Unset = UNSET
        if not isinstance(self.requests, Unset):
            requests = self.requests.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if limits is not UNSET:
            field_dict["limits"] = limits
        if requests is not UNSET:
            field_dict["requests"] = requests

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.task_kubernetes_resources_limits import (
            TaskKubernetesResourcesLimits,
        )
        from ..models.task_kubernetes_resources_requests import (
            TaskKubernetesResourcesRequests,
        )

        d = dict(src_dict)
        _limits = d.pop("limits", UNSET)
        limits: TaskKubernetesResourcesLimits | Unset
        if isinstance(_limits, Unset):
            limits = UNSET
        else:
            limits = TaskKubernetesResourcesLimits.from_dict(_limits)

        _requests = d.pop("requests", UNSET)
        requests: TaskKubernetesResourcesRequests | Unset
        if isinstance(_requests, Unset):
            requests = UNSET
        else:
            requests = TaskKubernetesResourcesRequests.from_dict(_requests)

        task_kubernetes_resources = cls(
            limits=limits,
            requests=requests,
        )

        return task_kubernetes_resources
