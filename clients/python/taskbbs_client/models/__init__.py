"""Contains all the data models used in inputs/outputs"""

from .action import Action
from .action_codependent import ActionCodependent
from .action_download import ActionDownload
from .action_download_checksum_algorithm import ActionDownloadChecksumAlgorithm
from .action_emit_progress import ActionEmitProgress
from .action_parallel import ActionParallel
from .action_run import ActionRun
from .action_run_env_item import ActionRunEnvItem
from .action_run_resource_limits import ActionRunResourceLimits
from .action_serial import ActionSerial
from .action_timeout import ActionTimeout
from .action_try import ActionTry
from .action_upload import ActionUpload
from .callback_status import CallbackStatus
from .callback_status_delivery_type_1 import CallbackStatusDeliveryType1
from .callback_status_delivery_type_1_attempts_item import (
    CallbackStatusDeliveryType1AttemptsItem,
)
from .callback_status_delivery_type_1_attempts_item_outcome import (
    CallbackStatusDeliveryType1AttemptsItemOutcome,
)
from .health_response_200 import HealthResponse200
from .log_page import LogPage
from .log_page_lines_item import LogPageLinesItem
from .log_page_lines_item_stream import LogPageLinesItemStream
from .problem import Problem
from .problem_code import ProblemCode
from .problem_errors_item import ProblemErrorsItem
from .ready_response_200 import ReadyResponse200
from .task import Task
from .task_cached_dependencies_item import TaskCachedDependenciesItem
from .task_cached_dependencies_item_checksum_algorithm import (
    TaskCachedDependenciesItemChecksumAlgorithm,
)
from .task_callback import TaskCallback
from .task_definition import TaskDefinition
from .task_definition_cached_dependencies_item import (
    TaskDefinitionCachedDependenciesItem,
)
from .task_definition_cached_dependencies_item_checksum_algorithm import (
    TaskDefinitionCachedDependenciesItemChecksumAlgorithm,
)
from .task_definition_egress_rules_item import TaskDefinitionEgressRulesItem
from .task_definition_egress_rules_item_icmp_info import (
    TaskDefinitionEgressRulesItemIcmpInfo,
)
from .task_definition_egress_rules_item_port_range import (
    TaskDefinitionEgressRulesItemPortRange,
)
from .task_definition_egress_rules_item_protocol import (
    TaskDefinitionEgressRulesItemProtocol,
)
from .task_definition_env_item import TaskDefinitionEnvItem
from .task_definition_image_layers_item import TaskDefinitionImageLayersItem
from .task_definition_image_layers_item_digest_algorithm import (
    TaskDefinitionImageLayersItemDigestAlgorithm,
)
from .task_definition_image_layers_item_layer_type import (
    TaskDefinitionImageLayersItemLayerType,
)
from .task_definition_image_layers_item_media_type import (
    TaskDefinitionImageLayersItemMediaType,
)
from .task_definition_kubernetes import TaskDefinitionKubernetes
from .task_definition_kubernetes_affinity import TaskDefinitionKubernetesAffinity
from .task_definition_kubernetes_affinity_node_affinity import (
    TaskDefinitionKubernetesAffinityNodeAffinity,
)
from .task_definition_kubernetes_affinity_pod_affinity import (
    TaskDefinitionKubernetesAffinityPodAffinity,
)
from .task_definition_kubernetes_affinity_pod_anti_affinity import (
    TaskDefinitionKubernetesAffinityPodAntiAffinity,
)
from .task_definition_kubernetes_node_selector_item import (
    TaskDefinitionKubernetesNodeSelectorItem,
)
from .task_definition_kubernetes_resources import TaskDefinitionKubernetesResources
from .task_definition_kubernetes_resources_limits import (
    TaskDefinitionKubernetesResourcesLimits,
)
from .task_definition_kubernetes_resources_requests import (
    TaskDefinitionKubernetesResourcesRequests,
)
from .task_definition_kubernetes_tolerations_item import (
    TaskDefinitionKubernetesTolerationsItem,
)
from .task_definition_kubernetes_tolerations_item_effect import (
    TaskDefinitionKubernetesTolerationsItemEffect,
)
from .task_definition_kubernetes_tolerations_item_operator import (
    TaskDefinitionKubernetesTolerationsItemOperator,
)
from .task_definition_volume_mounts_item import TaskDefinitionVolumeMountsItem
from .task_definition_volume_mounts_item_mode import TaskDefinitionVolumeMountsItemMode
from .task_definition_volume_mounts_item_shared import (
    TaskDefinitionVolumeMountsItemShared,
)
from .task_egress_rules_item import TaskEgressRulesItem
from .task_egress_rules_item_icmp_info import TaskEgressRulesItemIcmpInfo
from .task_egress_rules_item_port_range import TaskEgressRulesItemPortRange
from .task_egress_rules_item_protocol import TaskEgressRulesItemProtocol
from .task_env_item import TaskEnvItem
from .task_event import TaskEvent
from .task_event_type import TaskEventType
from .task_image_layers_item import TaskImageLayersItem
from .task_image_layers_item_digest_algorithm import TaskImageLayersItemDigestAlgorithm
from .task_image_layers_item_layer_type import TaskImageLayersItemLayerType
from .task_image_layers_item_media_type import TaskImageLayersItemMediaType
from .task_kubernetes import TaskKubernetes
from .task_kubernetes_affinity import TaskKubernetesAffinity
from .task_kubernetes_affinity_node_affinity import TaskKubernetesAffinityNodeAffinity
from .task_kubernetes_affinity_pod_affinity import TaskKubernetesAffinityPodAffinity
from .task_kubernetes_affinity_pod_anti_affinity import (
    TaskKubernetesAffinityPodAntiAffinity,
)
from .task_kubernetes_node_selector_item import TaskKubernetesNodeSelectorItem
from .task_kubernetes_resources import TaskKubernetesResources
from .task_kubernetes_resources_limits import TaskKubernetesResourcesLimits
from .task_kubernetes_resources_requests import TaskKubernetesResourcesRequests
from .task_kubernetes_tolerations_item import TaskKubernetesTolerationsItem
from .task_kubernetes_tolerations_item_effect import TaskKubernetesTolerationsItemEffect
from .task_kubernetes_tolerations_item_operator import (
    TaskKubernetesTolerationsItemOperator,
)
from .task_list import TaskList
from .task_state import TaskState
from .task_volume_mounts_item import TaskVolumeMountsItem
from .task_volume_mounts_item_mode import TaskVolumeMountsItemMode
from .task_volume_mounts_item_shared import TaskVolumeMountsItemShared

__all__ = (
    "Action",
    "ActionCodependent",
    "ActionDownload",
    "ActionDownloadChecksumAlgorithm",
    "ActionEmitProgress",
    "ActionParallel",
    "ActionRun",
    "ActionRunEnvItem",
    "ActionRunResourceLimits",
    "ActionSerial",
    "ActionTimeout",
    "ActionTry",
    "ActionUpload",
    "CallbackStatus",
    "CallbackStatusDeliveryType1",
    "CallbackStatusDeliveryType1AttemptsItem",
    "CallbackStatusDeliveryType1AttemptsItemOutcome",
    "HealthResponse200",
    "LogPage",
    "LogPageLinesItem",
    "LogPageLinesItemStream",
    "Problem",
    "ProblemCode",
    "ProblemErrorsItem",
    "ReadyResponse200",
    "Task",
    "TaskCachedDependenciesItem",
    "TaskCachedDependenciesItemChecksumAlgorithm",
    "TaskCallback",
    "TaskDefinition",
    "TaskDefinitionCachedDependenciesItem",
    "TaskDefinitionCachedDependenciesItemChecksumAlgorithm",
    "TaskDefinitionEgressRulesItem",
    "TaskDefinitionEgressRulesItemIcmpInfo",
    "TaskDefinitionEgressRulesItemPortRange",
    "TaskDefinitionEgressRulesItemProtocol",
    "TaskDefinitionEnvItem",
    "TaskDefinitionImageLayersItem",
    "TaskDefinitionImageLayersItemDigestAlgorithm",
    "TaskDefinitionImageLayersItemLayerType",
    "TaskDefinitionImageLayersItemMediaType",
    "TaskDefinitionKubernetes",
    "TaskDefinitionKubernetesAffinity",
    "TaskDefinitionKubernetesAffinityNodeAffinity",
    "TaskDefinitionKubernetesAffinityPodAffinity",
    "TaskDefinitionKubernetesAffinityPodAntiAffinity",
    "TaskDefinitionKubernetesNodeSelectorItem",
    "TaskDefinitionKubernetesResources",
    "TaskDefinitionKubernetesResourcesLimits",
    "TaskDefinitionKubernetesResourcesRequests",
    "TaskDefinitionKubernetesTolerationsItem",
    "TaskDefinitionKubernetesTolerationsItemEffect",
    "TaskDefinitionKubernetesTolerationsItemOperator",
    "TaskDefinitionVolumeMountsItem",
    "TaskDefinitionVolumeMountsItemMode",
    "TaskDefinitionVolumeMountsItemShared",
    "TaskEgressRulesItem",
    "TaskEgressRulesItemIcmpInfo",
    "TaskEgressRulesItemPortRange",
    "TaskEgressRulesItemProtocol",
    "TaskEnvItem",
    "TaskEvent",
    "TaskEventType",
    "TaskImageLayersItem",
    "TaskImageLayersItemDigestAlgorithm",
    "TaskImageLayersItemLayerType",
    "TaskImageLayersItemMediaType",
    "TaskKubernetes",
    "TaskKubernetesAffinity",
    "TaskKubernetesAffinityNodeAffinity",
    "TaskKubernetesAffinityPodAffinity",
    "TaskKubernetesAffinityPodAntiAffinity",
    "TaskKubernetesNodeSelectorItem",
    "TaskKubernetesResources",
    "TaskKubernetesResourcesLimits",
    "TaskKubernetesResourcesRequests",
    "TaskKubernetesTolerationsItem",
    "TaskKubernetesTolerationsItemEffect",
    "TaskKubernetesTolerationsItemOperator",
    "TaskList",
    "TaskState",
    "TaskVolumeMountsItem",
    "TaskVolumeMountsItemMode",
    "TaskVolumeMountsItemShared",
)
