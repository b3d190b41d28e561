from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.callback_status_delivery_type_1_attempts_item_outcome import (
    CallbackStatusDeliveryType1AttemptsItemOutcome,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="CallbackStatusDeliveryType1AttemptsItem")


@_attrs_define
class CallbackStatusDeliveryType1AttemptsItem:
    """
    Attributes:
        attempt (int):
        at (datetime.datetime):
        duration_ms (int):
        outcome (CallbackStatusDeliveryType1AttemptsItemOutcome):
        status (int | Unset): HTTP status, when the receiver answered.
        error (str | Unset): Timeout, connection or policy error, when it did not.
    """

    attempt: int
    at: datetime.datetime
    duration_ms: int
    outcome: CallbackStatusDeliveryType1AttemptsItemOutcome
    status: int | Unset = UNSET
    error: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        attempt = self.attempt

        at = self.at.isoformat()

        duration_ms = self.duration_ms

        outcome = self.outcome.value

        status = self.status

        error = self.error

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "attempt": attempt,
                "at": at,
                "duration_ms": duration_ms,
                "outcome": outcome,
            }
        )
        if status is not UNSET:
            field_dict["status"] = status
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        attempt = d.pop("attempt")

        at = datetime.datetime.fromisoformat(d.pop("at"))

        duration_ms = d.pop("duration_ms")

        outcome = CallbackStatusDeliveryType1AttemptsItemOutcome(d.pop("outcome"))

        status = d.pop("status", UNSET)

        error = d.pop("error", UNSET)

        callback_status_delivery_type_1_attempts_item = cls(
            attempt=attempt,
            at=at,
            duration_ms=duration_ms,
            outcome=outcome,
            status=status,
            error=error,
        )

        return callback_status_delivery_type_1_attempts_item
