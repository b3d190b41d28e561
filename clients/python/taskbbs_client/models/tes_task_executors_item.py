from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.tes_task_executors_item_env import TesTaskExecutorsItemEnv


T = TypeVar("T", bound="TesTaskExecutorsItem")


@_attrs_define
class TesTaskExecutorsItem:
    """
    Attributes:
        image (str): Container image, e.g. ubuntu:24.04 or quay.io/org/tool@sha256:…; every executor of a task uses the
            same image.
        command (list[str]): argv; the first item is the program.
        workdir (str | Unset): Working directory.
        stdin (str | Unset): File piped to stdin.
        stdout (str | Unset): File stdout is written to.
        stderr (str | Unset): File stderr is written to.
        env (TesTaskExecutorsItemEnv | Unset): Environment variables.
        ignore_error (bool | Unset): Go on to the next executor when this one fails.
    """

    image: str
    command: list[str]
    workdir: str | Unset = UNSET
    stdin: str | Unset = UNSET
    stdout: str | Unset = UNSET
    stderr: str | Unset = UNSET
    env: TesTaskExecutorsItemEnv | Unset = UNSET
    ignore_error: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        image = self.image

        command = self.command

        workdir = self.workdir

        stdin = self.stdin

        stdout = self.stdout

        stderr = self.stderr

        env: dict[str, Any] | Unset = UNSET
        if not isinstance(self.env, Unset):
            env = self.env.to_dict()

        ignore_error = self.ignore_error

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "image": image,
                "command": command,
            }
        )
        if workdir is not UNSET:
            field_dict["workdir"] = workdir
        if stdin is not UNSET:
            field_dict["stdin"] = stdin
        if stdout is not UNSET:
            field_dict["stdout"] = stdout
        if stderr is not UNSET:
            field_dict["stderr"] = stderr
        if env is not UNSET:
            field_dict["env"] = env
        if ignore_error is not UNSET:
            field_dict["ignore_error"] = ignore_error

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.tes_task_executors_item_env import TesTaskExecutorsItemEnv

        d = dict(src_dict)
        image = d.pop("image")

        command = cast(list[str], d.pop("command"))

        workdir = d.pop("workdir", UNSET)

        stdin = d.pop("stdin", UNSET)

        stdout = d.pop("stdout", UNSET)

        stderr = d.pop("stderr", UNSET)

        _env = d.pop("env", UNSET)
        env: TesTaskExecutorsItemEnv | Unset
        if isinstance(_env, Unset):
            env = UNSET
        else:
            env = TesTaskExecutorsItemEnv.from_dict(_env)

        ignore_error = d.pop("ignore_error", UNSET)

        tes_task_executors_item = cls(
            image=image,
            command=command,
            workdir=workdir,
            stdin=stdin,
            stdout=stdout,
            stderr=stderr,
            env=env,
            ignore_error=ignore_error,
        )

        return tes_task_executors_item
