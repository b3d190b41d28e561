from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.task_definition_kubernetes_affinity_node_affinity_preferred_during_scheduling_ignored_during_execution_item_preference_match_expressions_item_operator import (
    TaskDefinitionKubernetesAffinityNodeAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPreferenceMatchExpressionsItemOperator,
)
from ..types import UNSET, Unset

T = TypeVar(
    "T",
    bound="TaskDefinitionKubernetesAffinityNodeAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPreferenceMatchExpressionsItem",
)


@_attrs_define
class TaskDefinitionKubernetesAffinityNodeAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPreferenceMatchExpressionsItem:
    """
    Attributes:
        key (str):
        operator (TaskDefinitionKubernetesAffinityNodeAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPrefere
            nceMatchExpressionsItemOperator):
        values (list[str] | Unset):
    """

    key: str
    operator: TaskDefinitionKubernetesAffinityNodeAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPreferenceMatchExpressionsItemOperator
    values: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        key = self.key

        operator = self.operator.value

        values: list[str] | Unset = UNSET
        if not isinstance(self.values, Unset):
            values = self.values

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "key": key,
                "operator": operator,
            }
        )
        if values is not UNSET:
            field_dict["values"] = values

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        key = d.pop("key")

        operator = TaskDefinitionKubernetesAffinityNodeAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPreferenceMatchExpressionsItemOperator(
            d.pop("operator")
        )

        values = cast(list[str], d.pop("values", UNSET))

        task_definition_kubernetes_affinity_node_affinity_preferred_during_scheduling_ignored_during_execution_item_preference_match_expressions_item = cls(
            key=key,
            operator=operator,
            values=values,
        )

        return task_definition_kubernetes_affinity_node_affinity_preferred_during_scheduling_ignored_during_execution_item_preference_match_expressions_item
