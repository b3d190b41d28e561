from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.tes_service_info_organization import TesServiceInfoOrganization
    from ..models.tes_service_info_type import TesServiceInfoType


T = TypeVar("T", bound="TesServiceInfo")


@_attrs_define
class TesServiceInfo:
    """
    Attributes:
        id (str):
        name (str):
        type_ (TesServiceInfoType):
        description (str):
        organization (TesServiceInfoOrganization):
        version (str):
        storage (list[str]): Where inputs and outputs may live: http and https URLs.
        tes_resources_backend_parameters (list[str]): None: taskbbs supports no backend parameters.
        documentation_url (str | Unset):
        created_at (str | Unset):
        updated_at (str | Unset):
        environment (str | Unset):
    """

    id: str
    name: str
    type_: TesServiceInfoType
    description: str
    organization: TesServiceInfoOrganization
    version: str
    storage: list[str]
    tes_resources_backend_parameters: list[str]
    documentation_url: str | Unset = UNSET
    created_at: str | Unset = UNSET
    updated_at: str | Unset = UNSET
    environment: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        type_ = self.type_.to_dict()

        description = self.description

        organization = self.organization.to_dict()

        version = self.version

        storage = self.storage

        tes_resources_backend_parameters = self.tes_resources_backend_parameters

        documentation_url = self.documentation_url

        created_at = self.created_at

        updated_at = self.updated_at

        environment = self.environment

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "name": name,
                "type": type_,
                "description": description,
                "organization": organization,
                "version": version,
                "storage": storage,
                "tesResources_backend_parameters": tes_resources_backend_parameters,
            }
        )
        if documentation_url is not UNSET:
            field_dict["documentationUrl"] = documentation_url
        if created_at is not UNSET:
            field_dict["createdAt"] = created_at
        if updated_at is not UNSET:
            field_dict["updatedAt"] = updated_at
        if environment is not UNSET:
            field_dict["environment"] = environment

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.tes_service_info_organization import TesServiceInfoOrganization
        from ..models.tes_service_info_type import TesServiceInfoType

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        type_ = TesServiceInfoType.from_dict(d.pop("type"))

        description = d.pop("description")

        organization = TesServiceInfoOrganization.from_dict(d.pop("organization"))

        version = d.pop("version")

        storage = cast(list[str], d.pop("storage"))

        tes_resources_backend_parameters = cast(
            list[str], d.pop("tesResources_backend_parameters")
        )

        documentation_url = d.pop("documentationUrl", UNSET)

        created_at = d.pop("createdAt", UNSET)

        updated_at = d.pop("updatedAt", UNSET)

        environment = d.pop("environment", UNSET)

        tes_service_info = cls(
            id=id,
            name=name,
            type_=type_,
            description=description,
            organization=organization,
            version=version,
            storage=storage,
            tes_resources_backend_parameters=tes_resources_backend_parameters,
            documentation_url=documentation_url,
            created_at=created_at,
            updated_at=updated_at,
            environment=environment,
        )

        return tes_service_info
