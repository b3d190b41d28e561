from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.action import Action


T = TypeVar("T", bound="ActionParallel")


@_attrs_define
class ActionParallel:
    """Runs all at once; fails if any fails, after all finish.

    Attributes:
        actions (list[Action]):
        log_source (str | Unset): Overrides the task log_source for log lines of this action.
    """

    actions: list[Action]
    log_source: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        actions = []
        for actions_item_data in self.actions:
            actions_item = actions_item_data.to_dict()
            actions.append(actions_item)

        log_source = self.log_source

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "actions": actions,
            }
        )
        if log_source is not UNSET:
            field_dict["log_source"] = log_source

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.action import Action

        d = dict(src_dict)
        actions = []
        _actions = d.pop("actions")
        for actions_item_data in _actions:
            actions_item = Action.from_dict(actions_item_data)

            actions.append(actions_item)

        log_source = d.pop("log_source", UNSET)

        action_parallel = cls(
            actions=actions,
            log_source=log_source,
        )

        return action_parallel
