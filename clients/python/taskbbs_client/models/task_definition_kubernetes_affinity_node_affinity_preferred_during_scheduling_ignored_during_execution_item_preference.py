from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.task_definition_kubernetes_affinity_node_affinity_preferred_during_scheduling_ignored_during_execution_item_preference_match_expressions_item import (
        TaskDefinitionKubernetesAffinityNodeAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPreferenceMatchExpressionsItem,
    )
    from ..models.task_definition_kubernetes_affinity_node_affinity_preferred_during_scheduling_ignored_during_execution_item_preference_match_fields_item import (
        TaskDefinitionKubernetesAffinityNodeAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPreferenceMatchFieldsItem,
    )


T = TypeVar(
    "T",
    bound="TaskDefinitionKubernetesAffinityNodeAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPreference",
)


@_attrs_define
class TaskDefinitionKubernetesAffinityNodeAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPreference:
    """
    Attributes:
        match_expressions (list[TaskDefinitionKubernetesAffinityNodeAffinityPreferredDuringSchedulingIgnoredDuringExecut
            ionItemPreferenceMatchExpressionsItem] | Unset):
        match_fields (list[TaskDefinitionKubernetesAffinityNodeAffinityPreferredDuringSchedulingIgnoredDuringExecutionIt
            emPreferenceMatchFieldsItem] | Unset):
    """

    match_expressions: (
        list[
            TaskDefinitionKubernetesAffinityNodeAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPreferenceMatchExpressionsItem
        ]
        | Unset
    ) = UNSET
    match_fields: (
        list[
            TaskDefinitionKubernetesAffinityNodeAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPreferenceMatchFieldsItem
        ]
        | Unset
    ) = UNSET

    def to_dict(self) -> dict[str, Any]:
        match_expressions: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.match_expressions, Unset):
            match_expressions = []
            for match_expressions_item_data in self.match_expressions:
                match_expressions_item = match_expressions_item_data.to_dict()
                match_expressions.append(match_expressions_item)

        match_fields: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.match_fields, Unset):
            match_fields = []
            for match_fields_item_data in self.match_fields:
                match_fields_item = match_fields_item_data.to_dict()
                match_fields.append(match_fields_item)

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if match_expressions is not UNSET:
            field_dict["matchExpressions"] = match_expressions
        if match_fields is not UNSET:
            field_dict["matchFields"] = match_fields

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.task_definition_kubernetes_affinity_node_affinity_preferred_during_scheduling_ignored_during_execution_item_preference_match_expressions_item import (
            TaskDefinitionKubernetesAffinityNodeAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPreferenceMatchExpressionsItem,
        )
        from ..models.task_definition_kubernetes_affinity_node_affinity_preferred_during_scheduling_ignored_during_execution_item_preference_match_fields_item import (
            TaskDefinitionKubernetesAffinityNodeAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPreferenceMatchFieldsItem,
        )

        d = dict(src_dict)
        _match_expressions = d.pop("matchExpressions", UNSET)
        match_expressions: (
            list[
                TaskDefinitionKubernetesAffinityNodeAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPreferenceMatchExpressionsItem
            ]
            | Unset
        ) = UNSET
        if _match_expressions is not UNSET:
            match_expressions = []
            for match_expressions_item_data in _match_expressions:
                match_expressions_item = TaskDefinitionKubernetesAffinityNodeAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPreferenceMatchExpressionsItem.from_dict(
                    match_expressions_item_data
                )

                match_expressions.append(match_expressions_item)

        _match_fields = d.pop("matchFields", UNSET)
        match_fields: (
            list[
                TaskDefinitionKubernetesAffinityNodeAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPreferenceMatchFieldsItem
            ]
            | Unset
        ) = UNSET
        if _match_fields is not UNSET:
            match_fields = []
            for match_fields_item_data in _match_fields:
                match_fields_item = TaskDefinitionKubernetesAffinityNodeAffinityPreferredDuringSchedulingIgnoredDuringExecutionItemPreferenceMatchFieldsItem.from_dict(
                    match_fields_item_data
                )

                match_fields.append(match_fields_item)

        task_definition_kubernetes_affinity_node_affinity_preferred_during_scheduling_ignored_during_execution_item_preference = cls(
            match_expressions=match_expressions,
            match_fields=match_fields,
        )

        return task_definition_kubernetes_affinity_node_affinity_preferred_during_scheduling_ignored_during_execution_item_preference
