from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.action_download_checksum_algorithm import ActionDownloadChecksumAlgorithm
from ..types import UNSET, Unset

T = TypeVar("T", bound="ActionDownload")


@_attrs_define
class ActionDownload:
    """Downloads and extracts a file into the container.

    Attributes:
        from_ (str): URL to fetch: http, https or file.
        to (str): Destination directory in the container.
        user (str): User that owns the downloaded files.
        cache_key (str | Unset):
        artifact (str | Unset): Name shown in progress messages.
        checksum_algorithm (ActionDownloadChecksumAlgorithm | Unset): Checksum algorithm; set together with
            checksum_value.
        checksum_value (str | Unset): Expected checksum; set together with checksum_algorithm.
        log_source (str | Unset): Overrides the task log_source for log lines of this action.
    """

    from_: str
    to: str
    user: str
    cache_key: str | Unset = UNSET
    artifact: str | Unset = UNSET
    checksum_algorithm: ActionDownloadChecksumAlgorithm | Unset = UNSET
    checksum_value: str | Unset = UNSET
    log_source: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from_ = self.from_

        to = self.to

        user = self.user

        cache_key = self.cache_key

        artifact = self.artifact

        checksum_algorithm: str | Unset = UNSET
        if not isinstance(self.checksum_algorithm, Unset):
            checksum_algorithm = self.checksum_algorithm.value

        checksum_value = self.checksum_value

        log_source = self.log_source

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "from": from_,
                "to": to,
                "user": user,
            }
        )
        if cache_key is not UNSET:
            field_dict["cache_key"] = cache_key
        if artifact is not UNSET:
            field_dict["artifact"] = artifact
        if checksum_algorithm is not UNSET:
            field_dict["checksum_algorithm"] = checksum_algorithm
        if checksum_value is not UNSET:
            field_dict["checksum_value"] = checksum_value
        if log_source is not UNSET:
            field_dict["log_source"] = log_source

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        from_ = d.pop("from")

        to = d.pop("to")

        user = d.pop("user")

        cache_key = d.pop("cache_key", UNSET)

        artifact = d.pop("artifact", UNSET)

        _checksum_algorithm = d.pop("checksum_algorithm", UNSET)
        checksum_algorithm: ActionDownloadChecksumAlgorithm | Unset
        if isinstance(_checksum_algorithm, Unset):
            checksum_algorithm = UNSET
        else:
            checksum_algorithm = ActionDownloadChecksumAlgorithm(_checksum_algorithm)

        checksum_value = d.pop("checksum_value", UNSET)

        log_source = d.pop("log_source", UNSET)

        action_download = cls(
            from_=from_,
            to=to,
            user=user,
            cache_key=cache_key,
            artifact=artifact,
            checksum_algorithm=checksum_algorithm,
            checksum_value=checksum_value,
            log_source=log_source,
        )

        return action_download
