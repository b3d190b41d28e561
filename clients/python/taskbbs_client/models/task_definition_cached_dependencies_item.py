from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.task_definition_cached_dependencies_item_checksum_algorithm import (
    TaskDefinitionCachedDependenciesItemChecksumAlgorithm,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="TaskDefinitionCachedDependenciesItem")


@_attrs_define
class TaskDefinitionCachedDependenciesItem:
    """
    Attributes:
        from_ (str): URL of the archive.
        to (str): Directory in the container.
        cache_key (str): Key under which the cell caches it.
        name (str | Unset):
        log_source (str | Unset): Overrides the task log_source for log lines of this action.
        checksum_algorithm (TaskDefinitionCachedDependenciesItemChecksumAlgorithm | Unset): Checksum algorithm; set
            together with checksum_value.
        checksum_value (str | Unset): Expected checksum; set together with checksum_algorithm.
    """

    from_: str
    to: str
    cache_key: str
    name: str | Unset = UNSET
    log_source: str | Unset = UNSET
    checksum_algorithm: (
        TaskDefinitionCachedDependenciesItemChecksumAlgorithm | Unset
    ) = UNSET
    checksum_value: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from_ = self.from_

        to = self.to

        cache_key = self.cache_key

        name = self.name

        log_source = self.log_source

        checksum_algorithm: str | Unset = UNSET
        if not isinstance(self.checksum_algorithm, Unset):
            checksum_algorithm = self.checksum_algorithm.value

        checksum_value = self.checksum_value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "from": from_,
                "to": to,
                "cache_key": cache_key,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if log_source is not UNSET:
            field_dict["log_source"] = log_source
        if checksum_algorithm is not UNSET:
            field_dict["checksum_algorithm"] = checksum_algorithm
        if checksum_value is not UNSET:
            field_dict["checksum_value"] = checksum_value

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        from_ = d.pop("from")

        to = d.pop("to")

        cache_key = d.pop("cache_key")

        name = d.pop("name", UNSET)

        log_source = d.pop("log_source", UNSET)

        _checksum_algorithm = d.pop("checksum_algorithm", UNSET)
        checksum_algorithm: (
            TaskDefinitionCachedDependenciesItemChecksumAlgorithm | Unset
        )
        if isinstance(_checksum_algorithm, Unset):
            checksum_algorithm = UNSET
        else:
            checksum_algorithm = TaskDefinitionCachedDependenciesItemChecksumAlgorithm(
                _checksum_algorithm
            )

        checksum_value = d.pop("checksum_value", UNSET)

        task_definition_cached_dependencies_item = cls(
            from_=from_,
            to=to,
            cache_key=cache_key,
            name=name,
            log_source=log_source,
            checksum_algorithm=checksum_algorithm,
            checksum_value=checksum_value,
        )

        return task_definition_cached_dependencies_item
