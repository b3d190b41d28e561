from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.task_definition_kubernetes_affinity import (
        TaskDefinitionKubernetesAffinity,
    )
    from ..models.task_definition_kubernetes_node_selector_item import (
        TaskDefinitionKubernetesNodeSelectorItem,
    )
    from ..models.task_definition_kubernetes_resources import (
        TaskDefinitionKubernetesResources,
    )
    from ..models.task_definition_kubernetes_tolerations_item import (
        TaskDefinitionKubernetesTolerationsItem,
    )


T = TypeVar("T", bound="TaskDefinitionKubernetes")


@_attrs_define
class TaskDefinitionKubernetes:
    """
    Attributes:
        node_selector (list[TaskDefinitionKubernetesNodeSelectorItem] | Unset): Node labels the pod must match.
        tolerations (list[TaskDefinitionKubernetesTolerationsItem] | Unset):
        affinity (TaskDefinitionKubernetesAffinity | Unset): A Kubernetes core/v1 Affinity (camelCase, as Kubernetes
            spells it). Node affinity keys are limited to the node labels the operator allows; pod affinity and anti-
            affinity only where the operator allows them, and only over pods of the task namespace.
        resources (TaskDefinitionKubernetesResources | Unset):
        secrets (list[str] | Unset): Names of Secrets in the task namespace whose keys become environment variables.
        run_as_user (int | Unset):
        run_as_group (int | Unset):
        fs_group (int | Unset):
    """

    node_selector: list[TaskDefinitionKubernetesNodeSelectorItem] | Unset = UNSET
    tolerations: list[TaskDefinitionKubernetesTolerationsItem] | Unset = UNSET
    affinity: TaskDefinitionKubernetesAffinity | Unset = UNSET
    resources: TaskDefinitionKubernetesResources | Unset = UNSET
    secrets: list[str] | Unset = UNSET
    run_as_user: int | Unset = UNSET
    run_as_group: int | Unset = UNSET
    fs_group: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        node_selector: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.node_selector, Unset):
            node_selector = []
            for node_selector_item_data in self.node_selector:
                node_selector_item = node_selector_item_data.to_dict()
                node_selector.append(node_selector_item)

        tolerations: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.tolerations, Unset):
            tolerations = []
            for tolerations_item_data in self.tolerations:
                tolerations_item = tolerations_item_data.to_dict()
                tolerations.append(tolerations_item)

        affinity: dict[str, Any] | Unset = UNSET
        if not isinstance(self.affinity, Unset):
            affinity = self.affinity.to_dict()

        resources: dict[str, Any] | Unset = UNSET
        if not isinstance(self.resources, Unset):
            resources = self.resources.to_dict()

        secrets: list[str] | Unset = UNSET
        if not isinstance(self.secrets, Unset):
            secrets = self.secrets

        run_as_user = self.run_as_user

        run_as_group = self.run_as_group

        fs_group = self.fs_group

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if node_selector is not UNSET:
            field_dict["node_selector"] = node_selector
        if tolerations is not UNSET:
            field_dict["tolerations"] = tolerations
        if affinity is not UNSET:
            field_dict["affinity"] = affinity
        if resources is not UNSET:
            field_dict["resources"] = resources
        if secrets is not UNSET:
            field_dict["secrets"] = secrets
        if run_as_user is not UNSET:
            field_dict["run_as_user"] = run_as_user
        if run_as_group is not UNSET:
            field_dict["run_as_group"] = run_as_group
        if fs_group is not UNSET:
            field_dict["fs_group"] = fs_group

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.task_definition_kubernetes_affinity import (
            TaskDefinitionKubernetesAffinity,
        )
        from ..models.task_definition_kubernetes_node_selector_item import (
            TaskDefinitionKubernetesNodeSelectorItem,
        )
        from ..models.task_definition_kubernetes_resources import (
            TaskDefinitionKubernetesResources,
        )
        from ..models.task_definition_kubernetes_tolerations_item import (
            TaskDefinitionKubernetesTolerationsItem,
        )

        d = dict(src_dict)
        _node_selector = d.pop("node_selector", UNSET)
        node_selector: list[TaskDefinitionKubernetesNodeSelectorItem] | Unset = UNSET
        if _node_selector is not UNSET:
            node_selector = []
            for node_selector_item_data in _node_selector:
                node_selector_item = TaskDefinitionKubernetesNodeSelectorItem.from_dict(
                    node_selector_item_data
                )

                node_selector.append(node_selector_item)

        _tolerations = d.pop("tolerations", UNSET)
        tolerations: list[TaskDefinitionKubernetesTolerationsItem] | Unset = UNSET
        if _tolerations is not UNSET:
            tolerations = []
            for tolerations_item_data in _tolerations:
                tolerations_item = TaskDefinitionKubernetesTolerationsItem.from_dict(
                    tolerations_item_data
                )

                tolerations.append(tolerations_item)

        _affinity = d.pop("affinity", UNSET)
        affinity: TaskDefinitionKubernetesAffinity | Unset
        if isinstance(_affinity, Unset):
            affinity = UNSET
        else:
            affinity = TaskDefinitionKubernetesAffinity.from_dict(_affinity)

        _resources = d.pop("resources", UNSET)
        resources: TaskDefinitionKubernetesResources | Unset
        if isinstance(_resources, Unset):
            resources = UNSET
        else:
            resources = TaskDefinitionKubernetesResources.from_dict(_resources)

        secrets = cast(list[str], d.pop("secrets", UNSET))

        run_as_user = d.pop("run_as_user", UNSET)

        run_as_group = d.pop("run_as_group", UNSET)

        fs_group = d.pop("fs_group", UNSET)

        task_definition_kubernetes = cls(
            node_selector=node_selector,
            tolerations=tolerations,
            affinity=affinity,
            resources=resources,
            secrets=secrets,
            run_as_user=run_as_user,
            run_as_group=run_as_group,
            fs_group=fs_group,
        )

        return task_definition_kubernetes
