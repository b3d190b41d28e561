from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.tes_task_resources_backend_parameters import (
        TesTaskResourcesBackendParameters,
    )


T = TypeVar("T", bound="TesTaskResources")


@_attrs_define
class TesTaskResources:
    """
    Attributes:
        cpu_cores (int | Unset): CPU cores requested (the Kubernetes cpu request).
        preemptible (bool | Unset): May run on preemptible nodes: tolerates the taskbbs.io/preemptible taint.
        ram_gb (float | Unset): Memory in GiB: memory_mb, and the Kubernetes memory request.
        disk_gb (float | Unset): Disk in GiB: disk_mb.
        zones (list[str] | Unset): Node zones (topology.kubernetes.io/zone) the task may run in.
        backend_parameters (TesTaskResourcesBackendParameters | Unset): taskbbs supports no backend parameters.
        backend_parameters_strict (bool | Unset): With true, any backend parameter is refused (400).
    """

    cpu_cores: int | Unset = UNSET
    preemptible: bool | Unset = UNSET
    ram_gb: float | Unset = UNSET
    disk_gb: float | Unset = UNSET
    zones: list[str] | Unset = UNSET
    backend_parameters: TesTaskResourcesBackendParameters | Unset = UNSET
    backend_parameters_strict: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        cpu_cores = self.cpu_cores

        preemptible = self.preemptible

        ram_gb = self.ram_gb

        disk_gb = self.disk_gb

        zones: list[str] | Unset = UNSET
        if not isinstance(self.zones, Unset):
            zones = self.zones

        backend_parameters: dict[str, Any] | Unset = UNSET
        if not isinstance(self.backend_parameters, Unset):
            backend_parameters = self.backend_parameters.to_dict()

        backend_parameters_strict = self.backend_parameters_strict

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if cpu_cores is not UNSET:
            field_dict["cpu_cores"] = cpu_cores
        if preemptible is not UNSET:
            field_dict["preemptible"] = preemptible
        if ram_gb is not UNSET:
            field_dict["ram_gb"] = ram_gb
        if disk_gb is not UNSET:
            field_dict["disk_gb"] = disk_gb
        if zones is not UNSET:
            field_dict["zones"] = zones
        if backend_parameters is not UNSET:
            field_dict["backend_parameters"] = backend_parameters
        if backend_parameters_strict is not UNSET:
            field_dict["backend_parameters_strict"] = backend_parameters_strict

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.tes_task_resources_backend_parameters import (
            TesTaskResourcesBackendParameters,
        )

        d = dict(src_dict)
        cpu_cores = d.pop("cpu_cores", UNSET)

        preemptible = d.pop("preemptible", UNSET)

        ram_gb = d.pop("ram_gb", UNSET)

        disk_gb = d.pop("disk_gb", UNSET)

        zones = cast(list[str], d.pop("zones", UNSET))

        _backend_parameters = d.pop("backend_parameters", UNSET)
        backend_parameters: TesTaskResourcesBackendParameters | Unset
        if isinstance(_backend_parameters, Unset):
            backend_parameters = UNSET
        else:
            backend_parameters = TesTaskResourcesBackendParameters.from_dict(
                _backend_parameters
            )

        backend_parameters_strict = d.pop("backend_parameters_strict", UNSET)

        tes_task_resources = cls(
            cpu_cores=cpu_cores,
            preemptible=preemptible,
            ram_gb=ram_gb,
            disk_gb=disk_gb,
            zones=zones,
            backend_parameters=backend_parameters,
            backend_parameters_strict=backend_parameters_strict,
        )

        return tes_task_resources
