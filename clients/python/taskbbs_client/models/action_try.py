from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.action import Action


T = TypeVar("T", bound="ActionTry")


@_attrs_define
class ActionTry:
    """Runs the inner action and ignores its failure.

    Attributes:
        action (Action): Exactly one of run, download, upload, timeout, emit_progress, try, parallel, serial,
            codependent.
        log_source (str | Unset): Overrides the task log_source for log lines of this action.
    """

    action: Action
    log_source: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        action = self.action.to_dict()

        log_source = self.log_source

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "action": action,
            }
        )
        if log_source is not UNSET:
            field_dict["log_source"] = log_source

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.action import Action

        d = dict(src_dict)
        action = Action.from_dict(d.pop("action"))

        log_source = d.pop("log_source", UNSET)

        action_try = cls(
            action=action,
            log_source=log_source,
        )

        return action_try
