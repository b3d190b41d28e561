from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.action_run_env_item import ActionRunEnvItem
    from ..models.action_run_resource_limits import ActionRunResourceLimits
    from ..models.action_run_volume_mounted_files_item import (
        ActionRunVolumeMountedFilesItem,
    )


T = TypeVar("T", bound="ActionRun")


@_attrs_define
class ActionRun:
    """Runs a process.

    Attributes:
        path (str): Executable to run, absolute or on PATH.
        user (str): User to run as.
        args (list[str] | Unset):
        dir_ (str | Unset): Working directory.
        env (list[ActionRunEnvItem] | Unset):
        resource_limits (ActionRunResourceLimits | Unset):
        suppress_log_output (bool | Unset):
        log_source (str | Unset): Overrides the task log_source for log lines of this action.
        volume_mounted_files (list[ActionRunVolumeMountedFilesItem] | Unset): Files written into the container before
            the action runs.
    """

    path: str
    user: str
    args: list[str] | Unset = UNSET
    dir_: str | Unset = UNSET
    env: list[ActionRunEnvItem] | Unset = UNSET
    resource_limits: ActionRunResourceLimits | Unset = UNSET
    suppress_log_output: bool | Unset = UNSET
    log_source: str | Unset = UNSET
    volume_mounted_files: list[ActionRunVolumeMountedFilesItem] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        path = self.path

        user = self.user

        args: list[str] | Unset = UNSET
        if not isinstance(self.args, Unset):
            args = self.args

        dir_ = self.dir_

        env: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.env, Unset):
            env = []
            for env_item_data in self.env:
                env_item = env_item_data.to_dict()
                env.append(env_item)

        resource_limits: dict[str, Any] | Unset = UNSET
        if not isinstance(self.resource_limits, Unset):
            resource_limits = self.resource_limits.to_dict()

        suppress_log_output = self.suppress_log_output

        log_source = self.log_source

        volume_mounted_files: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.volume_mounted_files, Unset):
            volume_mounted_files = []
            for volume_mounted_files_item_data in self.volume_mounted_files:
                volume_mounted_files_item = volume_mounted_files_item_data.to_dict()
                volume_mounted_files.append(volume_mounted_files_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "path": path,
                "user": user,
            }
        )
        if args is not UNSET:
            field_dict["args"] = args
        if dir_ is not UNSET:
            field_dict["dir"] = dir_
        if env is not UNSET:
            field_dict["env"] = env
        if resource_limits is not UNSET:
            field_dict["resource_limits"] = resource_limits
        if suppress_log_output is not UNSET:
            field_dict["suppress_log_output"] = suppress_log_output
        if log_source is not UNSET:
            field_dict["log_source"] = log_source
        if volume_mounted_files is not UNSET:
            field_dict["volume_mounted_files"] = volume_mounted_files

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.action_run_env_item import ActionRunEnvItem
        from ..models.action_run_resource_limits import ActionRunResourceLimits
        from ..models.action_run_volume_mounted_files_item import (
            ActionRunVolumeMountedFilesItem,
        )

        d = dict(src_dict)
        path = d.pop("path")

        user = d.pop("user")

        args = cast(list[str], d.pop("args", UNSET))

        dir_ = d.pop("dir", UNSET)

        _env = d.pop("env", UNSET)
        env: list[ActionRunEnvItem] | Unset = UNSET
        if _env is not UNSET:
            env = []
            for env_item_data in _env:
                env_item = ActionRunEnvItem.from_dict(env_item_data)

                env.append(env_item)

        _resource_limits = d.pop("resource_limits", UNSET)
        resource_limits: ActionRunResourceLimits | Unset
        if isinstance(_resource_limits, Unset):
            resource_limits = UNSET
        else:
            resource_limits = ActionRunResourceLimits.from_dict(_resource_limits)

        suppress_log_output = d.pop("suppress_log_output", UNSET)

        log_source = d.pop("log_source", UNSET)

        _volume_mounted_files = d.pop("volume_mounted_files", UNSET)
        volume_mounted_files: list[ActionRunVolumeMountedFilesItem] | Unset = UNSET
        if _volume_mounted_files is not UNSET:
            volume_mounted_files = []
            for volume_mounted_files_item_data in _volume_mounted_files:
                volume_mounted_files_item = ActionRunVolumeMountedFilesItem.from_dict(
                    volume_mounted_files_item_data
                )

                volume_mounted_files.append(volume_mounted_files_item)

        action_run = cls(
            path=path,
            user=user,
            args=args,
            dir_=dir_,
            env=env,
            resource_limits=resource_limits,
            suppress_log_output=suppress_log_output,
            log_source=log_source,
            volume_mounted_files=volume_mounted_files,
        )

        return action_run
