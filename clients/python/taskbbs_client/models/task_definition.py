from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.action import Action
    from ..models.task_definition_cached_dependencies_item import (
        TaskDefinitionCachedDependenciesItem,
    )
    from ..models.task_definition_certificate_properties import (
        TaskDefinitionCertificateProperties,
    )
    from ..models.task_definition_egress_rules_item import TaskDefinitionEgressRulesItem
    from ..models.task_definition_env_item import TaskDefinitionEnvItem
    from ..models.task_definition_image_layers_item import TaskDefinitionImageLayersItem
    from ..models.task_definition_kubernetes import TaskDefinitionKubernetes
    from ..models.task_definition_log_rate_limit import TaskDefinitionLogRateLimit
    from ..models.task_definition_metric_tags import TaskDefinitionMetricTags
    from ..models.task_definition_network import TaskDefinitionNetwork
    from ..models.task_definition_volume_mounted_files_item import (
        TaskDefinitionVolumeMountedFilesItem,
    )
    from ..models.task_definition_volume_mounts_item import (
        TaskDefinitionVolumeMountsItem,
    )


T = TypeVar("T", bound="TaskDefinition")


@_attrs_define
class TaskDefinition:
    """
    Attributes:
        guid (str): Unique task id of a-z, A-Z, 0-9, _ and - only.
        domain (str): Groups tasks; purely organisational.
        root_fs (str): `preloaded:NAME` or a docker URI: `docker:///org/image#tag`, `docker://registry/org/image#tag`.
        action (Action): Exactly one of run, download, upload, timeout, emit_progress, try, parallel, serial,
            codependent.
        image_username (str | Unset): Registry user; set together with image_password.
        env (list[TaskDefinitionEnvItem] | Unset):
        cached_dependencies (list[TaskDefinitionCachedDependenciesItem] | Unset):
        image_layers (list[TaskDefinitionImageLayersItem] | Unset):
        trusted_system_certificates_path (str | Unset): Where trusted CA certificates are provided in the container.
        volume_mounts (list[TaskDefinitionVolumeMountsItem] | Unset):
        placement_tags (list[str] | Unset): The task runs only where the advertised tags are exactly these.
        cpu_weight (int | Unset): Relative CPU share, 1–100.
        disk_mb (int | Unset): Disk quota in MiB; 0 for none.
        max_pids (int | Unset): Process limit; 0 for none.
        memory_mb (int | Unset): Memory limit in MiB; 0 for none.
        privileged (bool | Unset): Refused unless the server allows privileged tasks.
        result_file (str | Unset): File whose first 10 KB become the result.
        completion_callback_url (str | Unset): http(s) URL that receives the TaskCallback when the task completes.
        egress_rules (list[TaskDefinitionEgressRulesItem] | Unset):
        log_guid (str | Unset):
        log_source (str | Unset):
        metrics_guid (str | Unset):
        annotation (str | Unset): Free text, at most 10 KiB in UTF-8 bytes.
        network (TaskDefinitionNetwork | Unset): Diego network properties (key/value pairs handed to the network layer);
            stored and returned.
        certificate_properties (TaskDefinitionCertificateProperties | Unset): Extra organizational units for the
            instance identity certificate; stored and returned.
        log_rate_limit (TaskDefinitionLogRateLimit | Unset):
        metric_tags (TaskDefinitionMetricTags | Unset): Tags for the task's metrics; static ones become labels of its
            pod.
        volume_mounted_files (list[TaskDefinitionVolumeMountedFilesItem] | Unset): Files written into the container
            before the action runs.
        legacy_download_user (str | Unset): Deprecated in Diego: the user of image layer downloads; stored and returned.
        kubernetes (TaskDefinitionKubernetes | Unset):
        image_password (str | Unset): Registry password; write-only, never returned.
    """

    guid: str
    domain: str
    root_fs: str
    action: Action
    image_username: str | Unset = UNSET
    env: list[TaskDefinitionEnvItem] | Unset = UNSET
    cached_dependencies: list[TaskDefinitionCachedDependenciesItem] | Unset = UNSET
    image_layers: list[TaskDefinitionImageLayersItem] | Unset = UNSET
    trusted_system_certificates_path: str | Unset = UNSET
    volume_mounts: list[TaskDefinitionVolumeMountsItem] | Unset = UNSET
    placement_tags: list[str] | Unset = UNSET
    cpu_weight: int | Unset = UNSET
    disk_mb: int | Unset = UNSET
    max_pids: int | Unset = UNSET
    memory_mb: int | Unset = UNSET
    privileged: bool | Unset = UNSET
    result_file: str | Unset = UNSET
    completion_callback_url: str | Unset = UNSET
    egress_rules: list[TaskDefinitionEgressRulesItem] | Unset = UNSET
    log_guid: str | Unset = UNSET
    log_source: str | Unset = UNSET
    metrics_guid: str | Unset = UNSET
    annotation: str | Unset = UNSET
    network: TaskDefinitionNetwork | Unset = UNSET
    certificate_properties: TaskDefinitionCertificateProperties | Unset = UNSET
    log_rate_limit: TaskDefinitionLogRateLimit | Unset = UNSET
    metric_tags: TaskDefinitionMetricTags | Unset = UNSET
    volume_mounted_files: list[TaskDefinitionVolumeMountedFilesItem] | Unset = UNSET
    legacy_download_user: str | Unset = UNSET
    kubernetes: TaskDefinitionKubernetes | Unset = UNSET
    image_password: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        guid = self.guid

        domain = self.domain

        root_fs = self.root_fs

        action = self.action.to_dict()

        image_username = self.image_username

        env: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.env, Unset):
            env = []
            for env_item_data in self.env:
                env_item = env_item_data.to_dict()
                env.append(env_item)

        cached_dependencies: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.cached_dependencies, Unset):
            cached_dependencies = []
            for cached_dependencies_item_data in self.cached_dependencies:
                cached_dependencies_item = cached_dependencies_item_data.to_dict()
                cached_dependencies.append(cached_dependencies_item)

        image_layers: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.image_layers, Unset):
            image_layers = []
            for image_layers_item_data in self.image_layers:
                image_layers_item = image_layers_item_data.to_dict()
                image_layers.append(image_layers_item)

        trusted_system_certificates_path = self.trusted_system_certificates_path

        volume_mounts: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.volume_mounts, Unset):
            volume_mounts = []
            for volume_mounts_item_data in self.volume_mounts:
                volume_mounts_item = volume_mounts_item_data.to_dict()
                volume_mounts.append(volume_mounts_item)

        placement_tags: list[str] | Unset = UNSET
        if not isinstance(self.placement_tags, Unset):
            placement_tags = self.placement_tags

        cpu_weight = self.cpu_weight

        disk_mb = self.disk_mb

        max_pids = self.max_pids

        memory_mb = self.memory_mb

        privileged = self.privileged

        result_file = self.result_file

        completion_callback_url = self.completion_callback_url

        egress_rules: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.egress_rules, Unset):
            egress_rules = []
            for egress_rules_item_data in self.egress_rules:
                egress_rules_item = egress_rules_item_data.to_dict()
                egress_rules.append(egress_rules_item)

        log_guid = self.log_guid

        log_source = self.log_source

        metrics_guid = self.metrics_guid

        annotation = self.annotation

        network: dict[str, Any] | Unset = UNSET
        if not isinstance(self.network, Unset):
            network = self.network.to_dict()

        certificate_properties: dict[str, Any] | Unset = UNSET
        if not isinstance(self.certificate_properties, Unset):
            certificate_properties = self.certificate_properties.to_dict()

        log_rate_limit: dict[str, Any] | Unset = UNSET
        if not isinstance(self.log_rate_limit, Unset):
            log_rate_limit = self.log_rate_limit.to_dict()

        metric_tags: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metric_tags, Unset):
            metric_tags = self.metric_tags.to_dict()

        volume_mounted_files: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.volume_mounted_files, Unset):
            volume_mounted_files = []
            for volume_mounted_files_item_data in self.volume_mounted_files:
                volume_mounted_files_item = volume_mounted_files_item_data.to_dict()
                volume_mounted_files.append(volume_mounted_files_item)

        legacy_download_user = self.legacy_download_user

        kubernetes: dict[str, Any] | Unset = UNSET
        if not isinstance(self.kubernetes, Unset):
            kubernetes = self.kubernetes.to_dict()

        image_password = self.image_password

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "guid": guid,
                "domain": domain,
                "root_fs": root_fs,
                "action": action,
            }
        )
        if image_username is not UNSET:
            field_dict["image_username"] = image_username
        if env is not UNSET:
            field_dict["env"] = env
        if cached_dependencies is not UNSET:
            field_dict["cached_dependencies"] = cached_dependencies
        if image_layers is not UNSET:
            field_dict["image_layers"] = image_layers
        if trusted_system_certificates_path is not UNSET:
            field_dict["trusted_system_certificates_path"] = (
                trusted_system_certificates_path
            )
        if volume_mounts is not UNSET:
            field_dict["volume_mounts"] = volume_mounts
        if placement_tags is not UNSET:
            field_dict["placement_tags"] = placement_tags
        if cpu_weight is not UNSET:
            field_dict["cpu_weight"] = cpu_weight
        if disk_mb is not UNSET:
            field_dict["disk_mb"] = disk_mb
        if max_pids is not UNSET:
            field_dict["max_pids"] = max_pids
        if memory_mb is not UNSET:
            field_dict["memory_mb"] = memory_mb
        if privileged is not UNSET:
            field_dict["privileged"] = privileged
        if result_file is not UNSET:
            field_dict["result_file"] = result_file
        if completion_callback_url is not UNSET:
            field_dict["completion_callback_url"] = completion_callback_url
        if egress_rules is not UNSET:
            field_dict["egress_rules"] = egress_rules
        if log_guid is not UNSET:
            field_dict["log_guid"] = log_guid
        if log_source is not UNSET:
            field_dict["log_source"] = log_source
        if metrics_guid is not UNSET:
            field_dict["metrics_guid"] = metrics_guid
        if annotation is not UNSET:
            field_dict["annotation"] = annotation
        if network is not UNSET:
            field_dict["network"] = network
        if certificate_properties is not UNSET:
            field_dict["certificate_properties"] = certificate_properties
        if log_rate_limit is not UNSET:
            field_dict["log_rate_limit"] = log_rate_limit
        if metric_tags is not UNSET:
            field_dict["metric_tags"] = metric_tags
        if volume_mounted_files is not UNSET:
            field_dict["volume_mounted_files"] = volume_mounted_files
        if legacy_download_user is not UNSET:
            field_dict["legacy_download_user"] = legacy_download_user
        if kubernetes is not UNSET:
            field_dict["kubernetes"] = kubernetes
        if image_password is not UNSET:
            field_dict["image_password"] = image_password

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.action import Action
        from ..models.task_definition_cached_dependencies_item import (
            TaskDefinitionCachedDependenciesItem,
        )
        from ..models.task_definition_certificate_properties import (
            TaskDefinitionCertificateProperties,
        )
        from ..models.task_definition_egress_rules_item import (
            TaskDefinitionEgressRulesItem,
        )
        from ..models.task_definition_env_item import TaskDefinitionEnvItem
        from ..models.task_definition_image_layers_item import (
            TaskDefinitionImageLayersItem,
        )
        from ..models.task_definition_kubernetes import TaskDefinitionKubernetes
        from ..models.task_definition_log_rate_limit import TaskDefinitionLogRateLimit
        from ..models.task_definition_metric_tags import TaskDefinitionMetricTags
        from ..models.task_definition_network import TaskDefinitionNetwork
        from ..models.task_definition_volume_mounted_files_item import (
            TaskDefinitionVolumeMountedFilesItem,
        )
        from ..models.task_definition_volume_mounts_item import (
            TaskDefinitionVolumeMountsItem,
        )

        d = dict(src_dict)
        guid = d.pop("guid")

        domain = d.pop("domain")

        root_fs = d.pop("root_fs")

        action = Action.from_dict(d.pop("action"))

        image_username = d.pop("image_username", UNSET)

        _env = d.pop("env", UNSET)
        env: list[TaskDefinitionEnvItem] | Unset = UNSET
        if _env is not UNSET:
            env = []
            for env_item_data in _env:
                env_item = TaskDefinitionEnvItem.from_dict(env_item_data)

                env.append(env_item)

        _cached_dependencies = d.pop("cached_dependencies", UNSET)
        cached_dependencies: list[TaskDefinitionCachedDependenciesItem] | Unset = UNSET
        if _cached_dependencies is not UNSET:
            cached_dependencies = []
            for cached_dependencies_item_data in _cached_dependencies:
                cached_dependencies_item = (
                    TaskDefinitionCachedDependenciesItem.from_dict(
                        cached_dependencies_item_data
                    )
                )

                cached_dependencies.append(cached_dependencies_item)

        _image_layers = d.pop("image_layers", UNSET)
        image_layers: list[TaskDefinitionImageLayersItem] | Unset = UNSET
        if _image_layers is not UNSET:
            image_layers = []
            for image_layers_item_data in _image_layers:
                image_layers_item = TaskDefinitionImageLayersItem.from_dict(
                    image_layers_item_data
                )

                image_layers.append(image_layers_item)

        trusted_system_certificates_path = d.pop(
            "trusted_system_certificates_path", UNSET
        )

        _volume_mounts = d.pop("volume_mounts", UNSET)
        volume_mounts: list[TaskDefinitionVolumeMountsItem] | Unset = UNSET
        if _volume_mounts is not UNSET:
            volume_mounts = []
            for volume_mounts_item_data in _volume_mounts:
                volume_mounts_item = TaskDefinitionVolumeMountsItem.from_dict(
                    volume_mounts_item_data
                )

                volume_mounts.append(volume_mounts_item)

        placement_tags = cast(list[str], d.pop("placement_tags", UNSET))

        cpu_weight = d.pop("cpu_weight", UNSET)

        disk_mb = d.pop("disk_mb", UNSET)

        max_pids = d.pop("max_pids", UNSET)

        memory_mb = d.pop("memory_mb", UNSET)

        privileged = d.pop("privileged", UNSET)

        result_file = d.pop("result_file", UNSET)

        completion_callback_url = d.pop("completion_callback_url", UNSET)

        _egress_rules = d.pop("egress_rules", UNSET)
        egress_rules: list[TaskDefinitionEgressRulesItem] | Unset = UNSET
        if _egress_rules is not UNSET:
            egress_rules = []
            for egress_rules_item_data in _egress_rules:
                egress_rules_item = TaskDefinitionEgressRulesItem.from_dict(
                    egress_rules_item_data
                )

                egress_rules.append(egress_rules_item)

        log_guid = d.pop("log_guid", UNSET)

        log_source = d.pop("log_source", UNSET)

        metrics_guid = d.pop("metrics_guid", UNSET)

        annotation = d.pop("annotation", UNSET)

        _network = d.pop("network", UNSET)
        network: TaskDefinitionNetwork | Unset
        if isinstance(_network, Unset):
            network = UNSET
        else:
            network = TaskDefinitionNetwork.from_dict(_network)

        _certificate_properties = d.pop("certificate_properties", UNSET)
        certificate_properties: TaskDefinitionCertificateProperties | Unset
        if isinstance(_certificate_properties, Unset):
            certificate_properties = UNSET
        else:
            certificate_properties = TaskDefinitionCertificateProperties.from_dict(
                _certificate_properties
            )

        _log_rate_limit = d.pop("log_rate_limit", UNSET)
        log_rate_limit: TaskDefinitionLogRateLimit | Unset
        if isinstance(_log_rate_limit, Unset):
            log_rate_limit = UNSET
        else:
            log_rate_limit = TaskDefinitionLogRateLimit.from_dict(_log_rate_limit)

        _metric_tags = d.pop("metric_tags", UNSET)
        metric_tags: TaskDefinitionMetricTags | Unset
        if isinstance(_metric_tags, Unset):
            metric_tags = UNSET
        else:
            metric_tags = TaskDefinitionMetricTags.from_dict(_metric_tags)

        _volume_mounted_files = d.pop("volume_mounted_files", UNSET)
        volume_mounted_files: list[TaskDefinitionVolumeMountedFilesItem] | Unset = UNSET
        if _volume_mounted_files is not UNSET:
            volume_mounted_files = []
            for volume_mounted_files_item_data in _volume_mounted_files:
                volume_mounted_files_item = (
                    TaskDefinitionVolumeMountedFilesItem.from_dict(
                        volume_mounted_files_item_data
                    )
                )

                volume_mounted_files.append(volume_mounted_files_item)

        legacy_download_user = d.pop("legacy_download_user", UNSET)

        _kubernetes = d.pop("kubernetes", UNSET)
        kubernetes: TaskDefinitionKubernetes | Unset
        if isinstance(_kubernetes, Unset):
            kubernetes = UNSET
        else:
            kubernetes = TaskDefinitionKubernetes.from_dict(_kubernetes)

        image_password = d.pop("image_password", UNSET)

        task_definition = cls(
            guid=guid,
            domain=domain,
            root_fs=root_fs,
            action=action,
            image_username=image_username,
            env=env,
            cached_dependencies=cached_dependencies,
            image_layers=image_layers,
            trusted_system_certificates_path=trusted_system_certificates_path,
            volume_mounts=volume_mounts,
            placement_tags=placement_tags,
            cpu_weight=cpu_weight,
            disk_mb=disk_mb,
            max_pids=max_pids,
            memory_mb=memory_mb,
            privileged=privileged,
            result_file=result_file,
            completion_callback_url=completion_callback_url,
            egress_rules=egress_rules,
            log_guid=log_guid,
            log_source=log_source,
            metrics_guid=metrics_guid,
            annotation=annotation,
            network=network,
            certificate_properties=certificate_properties,
            log_rate_limit=log_rate_limit,
            metric_tags=metric_tags,
            volume_mounted_files=volume_mounted_files,
            legacy_download_user=legacy_download_user,
            kubernetes=kubernetes,
            image_password=image_password,
        )

        return task_definition
