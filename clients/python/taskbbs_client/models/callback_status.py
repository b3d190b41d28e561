from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.callback_status_delivery_type_1 import CallbackStatusDeliveryType1


T = TypeVar("T", bound="CallbackStatus")


@_attrs_define
class CallbackStatus:
    """
    Attributes:
        delivery (CallbackStatusDeliveryType1 | None): null when the task has no callback pending.
    """

    delivery: CallbackStatusDeliveryType1 | None

    def to_dict(self) -> dict[str, Any]:
        from ..models.callback_status_delivery_type_1 import CallbackStatusDeliveryType1

        delivery: dict[str, Any] | None
        if isinstance(self.delivery, CallbackStatusDeliveryType1):
            delivery = self.delivery.to_dict()
        else:
            delivery = self.delivery

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "delivery": delivery,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.callback_status_delivery_type_1 import CallbackStatusDeliveryType1

        d = dict(src_dict)

        def _parse_delivery(data: object) -> CallbackStatusDeliveryType1 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                delivery_type_1 = CallbackStatusDeliveryType1.from_dict(data)

                return delivery_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CallbackStatusDeliveryType1 | None, data)

        delivery = _parse_delivery(d.pop("delivery"))

        callback_status = cls(
            delivery=delivery,
        )

        return callback_status
