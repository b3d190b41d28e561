from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ActionUpload")


@_attrs_define
class ActionUpload:
    """Uploads a file from the container.

    Attributes:
        from_ (str): File in the container to upload.
        to (str): http(s) URL to upload to.
        user (str): User that reads the file.
        artifact (str | Unset):
        log_source (str | Unset): Overrides the task log_source for log lines of this action.
    """

    from_: str
    to: str
    user: str
    artifact: str | Unset = UNSET
    log_source: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from_ = self.from_

        to = self.to

        user = self.user

        artifact = self.artifact

        log_source = self.log_source

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "from": from_,
                "to": to,
                "user": user,
            }
        )
        if artifact is not UNSET:
            field_dict["artifact"] = artifact
        if log_source is not UNSET:
            field_dict["log_source"] = log_source

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        from_ = d.pop("from")

        to = d.pop("to")

        user = d.pop("user")

        artifact = d.pop("artifact", UNSET)

        log_source = d.pop("log_source", UNSET)

        action_upload = cls(
            from_=from_,
            to=to,
            user=user,
            artifact=artifact,
            log_source=log_source,
        )

        return action_upload
