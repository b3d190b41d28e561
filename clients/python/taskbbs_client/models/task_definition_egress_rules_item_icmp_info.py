from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="TaskDefinitionEgressRulesItemIcmpInfo")


@_attrs_define
class TaskDefinitionEgressRulesItemIcmpInfo:
    """Required for icmp/icmpv6, refused otherwise.

    Attributes:
        type_ (int): -1 for any type.
        code (int): -1 for any code.
    """

    type_: int
    code: int

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        code = self.code

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "code": code,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        type_ = d.pop("type")

        code = d.pop("code")

        task_definition_egress_rules_item_icmp_info = cls(
            type_=type_,
            code=code,
        )

        return task_definition_egress_rules_item_icmp_info
