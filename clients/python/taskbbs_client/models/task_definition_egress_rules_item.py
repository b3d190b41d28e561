from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.task_definition_egress_rules_item_protocol import (
    TaskDefinitionEgressRulesItemProtocol,
)
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.task_definition_egress_rules_item_icmp_info import (
        TaskDefinitionEgressRulesItemIcmpInfo,
    )
    from ..models.task_definition_egress_rules_item_port_range import (
        TaskDefinitionEgressRulesItemPortRange,
    )


T = TypeVar("T", bound="TaskDefinitionEgressRulesItem")


@_attrs_define
class TaskDefinitionEgressRulesItem:
    """
    Attributes:
        protocol (TaskDefinitionEgressRulesItemProtocol):
        destinations (list[str]): Each an IP address, a CIDR (10.0.0.0/8) or a range (10.0.0.1-10.0.0.9).
        ports (list[int] | Unset): tcp/udp only; exclusive with port_range.
        port_range (TaskDefinitionEgressRulesItemPortRange | Unset): tcp/udp only; start ≤ end; exclusive with ports.
        icmp_info (TaskDefinitionEgressRulesItemIcmpInfo | Unset): Required for icmp/icmpv6, refused otherwise.
        log (bool | Unset):
        annotations (list[str] | Unset):
    """

    protocol: TaskDefinitionEgressRulesItemProtocol
    destinations: list[str]
    ports: list[int] | Unset = UNSET
    port_range: TaskDefinitionEgressRulesItemPortRange | Unset = UNSET
    icmp_info: TaskDefinitionEgressRulesItemIcmpInfo | Unset = UNSET
    log: bool | Unset = UNSET
    annotations: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        protocol = self.protocol.value

        destinations = self.destinations

        ports: list[int] | Unset = UNSET
        if not isinstance(self.ports, Unset):
            ports = self.ports

        port_range: dict[str, Any] | Unset = UNSET
        if not isinstance(self.port_range, Unset):
            port_range = self.port_range.to_dict()

        icmp_info: dict[str, Any] | Unset = UNSET
        if not isinstance(self.icmp_info, Unset):
            icmp_info = self.icmp_info.to_dict()

        log = self.log

        annotations: list[str] | Unset = UNSET
        if not isinstance(self.annotations, Unset):
            annotations = self.annotations

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "protocol": protocol,
                "destinations": destinations,
            }
        )
        if ports is not UNSET:
            field_dict["ports"] = ports
        if port_range is not UNSET:
            field_dict["port_range"] = port_range
        if icmp_info is not UNSET:
            field_dict["icmp_info"] = icmp_info
        if log is not UNSET:
            field_dict["log"] = log
        if annotations is not UNSET:
            field_dict["annotations"] = annotations

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.task_definition_egress_rules_item_icmp_info import (
            TaskDefinitionEgressRulesItemIcmpInfo,
        )
        from ..models.task_definition_egress_rules_item_port_range import (
            TaskDefinitionEgressRulesItemPortRange,
        )

        d = dict(src_dict)
        protocol = TaskDefinitionEgressRulesItemProtocol(d.pop("protocol"))

        destinations = cast(list[str], d.pop("destinations"))

        ports = cast(list[int], d.pop("ports", UNSET))

        _port_range = d.pop("port_range", UNSET)
        port_range: TaskDefinitionEgressRulesItemPortRange | Unset
        if isinstance(_port_range, Unset):
            port_range = UNSET
        else:
            port_range = TaskDefinitionEgressRulesItemPortRange.from_dict(_port_range)

        _icmp_info = d.pop("icmp_info", UNSET)
        icmp_info: TaskDefinitionEgressRulesItemIcmpInfo | Unset
        if isinstance(_icmp_info, Unset):
            icmp_info = UNSET
        else:
            icmp_info = TaskDefinitionEgressRulesItemIcmpInfo.from_dict(_icmp_info)

        log = d.pop("log", UNSET)

        annotations = cast(list[str], d.pop("annotations", UNSET))

        task_definition_egress_rules_item = cls(
            protocol=protocol,
            destinations=destinations,
            ports=ports,
            port_range=port_range,
            icmp_info=icmp_info,
            log=log,
            annotations=annotations,
        )

        return task_definition_egress_rules_item
