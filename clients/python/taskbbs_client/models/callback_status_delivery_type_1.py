from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.callback_status_delivery_type_1_attempts_item import (
        CallbackStatusDeliveryType1AttemptsItem,
    )


T = TypeVar("T", bound="CallbackStatusDeliveryType1")


@_attrs_define
class CallbackStatusDeliveryType1:
    """
    Attributes:
        url (str):
        created_at (datetime.datetime):
        next_attempt_at (datetime.datetime):
        attempts (list[CallbackStatusDeliveryType1AttemptsItem]):
    """

    url: str
    created_at: datetime.datetime
    next_attempt_at: datetime.datetime
    attempts: list[CallbackStatusDeliveryType1AttemptsItem]

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        created_at = self.created_at.isoformat()

        next_attempt_at = self.next_attempt_at.isoformat()

        attempts = []
        for attempts_item_data in self.attempts:
            attempts_item = attempts_item_data.to_dict()
            attempts.append(attempts_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "url": url,
                "created_at": created_at,
                "next_attempt_at": next_attempt_at,
                "attempts": attempts,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.callback_status_delivery_type_1_attempts_item import (
            CallbackStatusDeliveryType1AttemptsItem,
        )

        d = dict(src_dict)
        url = d.pop("url")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        next_attempt_at = datetime.datetime.fromisoformat(d.pop("next_attempt_at"))

        attempts = []
        _attempts = d.pop("attempts")
        for attempts_item_data in _attempts:
            attempts_item = CallbackStatusDeliveryType1AttemptsItem.from_dict(
                attempts_item_data
            )

            attempts.append(attempts_item)

        callback_status_delivery_type_1 = cls(
            url=url,
            created_at=created_at,
            next_attempt_at=next_attempt_at,
            attempts=attempts,
        )

        return callback_status_delivery_type_1
