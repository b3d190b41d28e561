from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="TaskDefinitionCertificateProperties")


@_attrs_define
class TaskDefinitionCertificateProperties:
    """Extra organizational units for the instance identity certificate; stored and returned.

    Attributes:
        organizational_unit (list[str]):
    """

    organizational_unit: list[str]

    def to_dict(self) -> dict[str, Any]:
        organizational_unit = self.organizational_unit

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "organizational_unit": organizational_unit,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        organizational_unit = cast(list[str], d.pop("organizational_unit"))

        task_definition_certificate_properties = cls(
            organizational_unit=organizational_unit,
        )

        return task_definition_certificate_properties
