from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ActionRunResourceLimits")


@_attrs_define
class ActionRunResourceLimits:
    """
    Attributes:
        nofile (int | Unset): Open file limit for the process.
    """

    nofile: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        nofile = self.nofile

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if nofile is not UNSET:
            field_dict["nofile"] = nofile

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        nofile = d.pop("nofile", UNSET)

        action_run_resource_limits = cls(
            nofile=nofile,
        )

        return action_run_resource_limits
