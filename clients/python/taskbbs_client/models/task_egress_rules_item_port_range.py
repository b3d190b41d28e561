from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="TaskEgressRulesItemPortRange")


@_attrs_define
class TaskEgressRulesItemPortRange:
    """tcp/udp only; start ≤ end; exclusive with ports.

    Attributes:
        start (int):
        end (int):
    """

    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        start = self.start

        end = self.end

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "start": start,
                "end": end,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        start = d.pop("start")

        end = d.pop("end")

        task_egress_rules_item_port_range = cls(
            start=start,
            end=end,
        )

        return task_egress_rules_item_port_range
