from enum import StrEnum


class TaskEgressRulesItemProtocol(StrEnum):
    ALL = "all"
    ICMP = "icmp"
    ICMPV6 = "icmpv6"
    TCP = "tcp"
    UDP = "udp"

    def __str__(self) -> str:
        return str(self.value)
