from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.task_kubernetes_affinity_pod_anti_affinity_required_during_scheduling_ignored_during_execution_item_label_selector_match_expressions_item_operator import (
    TaskKubernetesAffinityPodAntiAffinityRequiredDuringSchedulingIgnoredDuringExecutionItemLabelSelectorMatchExpressionsItemOperator,
)
from ..types import UNSET, Unset

T = TypeVar(
    "T",
    bound="TaskKubernetesAffinityPodAntiAffinityRequiredDuringSchedulingIgnoredDuringExecutionItemLabelSelectorMatchExpressionsItem",
)


@_attrs_define
class TaskKubernetesAffinityPodAntiAffinityRequiredDuringSchedulingIgnoredDuringExecutionItemLabelSelectorMatchExpressionsItem:
    """
    Attributes:
        key (str):
        operator (TaskKubernetesAffinityPodAntiAffinityRequiredDuringSchedulingIgnoredDuringExecutionItemLabelSelectorMa
            tchExpressionsItemOperator):
        values (list[str] | Unset):
    """

    key: str
    operator: TaskKubernetesAffinityPodAntiAffinityRequiredDuringSchedulingIgnoredDuringExecutionItemLabelSelectorMatchExpressionsItemOperator
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

        operator = TaskKubernetesAffinityPodAntiAffinityRequiredDuringSchedulingIgnoredDuringExecutionItemLabelSelectorMatchExpressionsItemOperator(
            d.pop("operator")
        )

        values = cast(list[str], d.pop("values", UNSET))

        task_kubernetes_affinity_pod_anti_affinity_required_during_scheduling_ignored_during_execution_item_label_selector_match_expressions_item = cls(
            key=key,
            operator=operator,
            values=values,
        )

        return task_kubernetes_affinity_pod_anti_affinity_required_during_scheduling_ignored_during_execution_item_label_selector_match_expressions_item
