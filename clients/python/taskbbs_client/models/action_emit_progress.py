from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.action import Action


T = TypeVar("T", bound="ActionEmitProgress")


@_attrs_define
class ActionEmitProgress:
    """
    Attributes:
        action (Action): Exactly one of run, download, upload, timeout, emit_progress, try, parallel, serial,
            codependent.
        start_message (str | Unset): Logged when the inner action starts.
        success_message (str | Unset): Logged when it succeeds.
        failure_message_prefix (str | Unset): Prefixed to the failure reason.
        log_source (str | Unset): Overrides the task log_source for log lines of this action.
    """

    action: Action
    start_message: str | Unset = UNSET
    success_message: str | Unset = UNSET
    failure_message_prefix: str | Unset = UNSET
    log_source: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        action = self.action.to_dict()

        start_message = self.start_message

        success_message = self.success_message

        failure_message_prefix = self.failure_message_prefix

        log_source = self.log_source

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "action": action,
            }
        )
        if start_message is not UNSET:
            field_dict["start_message"] = start_message
        if success_message is not UNSET:
            field_dict["success_message"] = success_message
        if failure_message_prefix is not UNSET:
            field_dict["failure_message_prefix"] = failure_message_prefix
        if log_source is not UNSET:
            field_dict["log_source"] = log_source

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.action import Action

        d = dict(src_dict)
        action = Action.from_dict(d.pop("action"))

        start_message = d.pop("start_message", UNSET)

        success_message = d.pop("success_message", UNSET)

        failure_message_prefix = d.pop("failure_message_prefix", UNSET)

        log_source = d.pop("log_source", UNSET)

        action_emit_progress = cls(
            action=action,
            start_message=start_message,
            success_message=success_message,
            failure_message_prefix=failure_message_prefix,
            log_source=log_source,
        )

        return action_emit_progress
