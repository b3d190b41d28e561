import { create } from '@bufbuild/protobuf'
import type { Task, TaskState } from '../domain/task.ts'
import type { StoredDefinition, TaskDefinition } from '../domain/task-definition.ts'
import { actionFromProto, actionToProto, compact, envFromProto, envToProto, filesFromProto, filesToProto, num, opt } from './convert-action.ts'
import { CachedDependencySchema } from './gen/cached_dependency_pb.ts'
import { CertificatePropertiesSchema } from './gen/certificate_properties_pb.ts'
import { ImageLayerSchema, ImageLayer_DigestAlgorithm, ImageLayer_MediaType, ImageLayer_Type } from './gen/image_layer_pb.ts'
import { LogRateLimitSchema } from './gen/log_rate_limit_pb.ts'
import { MetricTagValueSchema, MetricTagValue_DynamicValue } from './gen/metric_tags_pb.ts'
import { NetworkSchema } from './gen/network_pb.ts'
import { ICMPInfoSchema, PortRangeSchema, SecurityGroupRuleSchema } from './gen/security_group_pb.ts'
import { type Task as PbTask, type TaskDefinition as PbTaskDefinition, TaskDefinitionSchema, TaskSchema, Task_State } from './gen/task_pb.ts'
import { SharedDeviceSchema, VolumeMountSchema } from './gen/volume_mount_pb.ts'

/** Enum numbers by name and back; an unknown number becomes a name the schema refuses. */
function names<T extends Record<string, number>> (e: T) {
  const byNumber = new Map(Object.entries(e).map(([k, v]) => [v, k]))
  return { name: (n: number) => byNumber.get(n) ?? `unknown enum value ${n}`, number: (k: string) => (e[k] ?? 0) as T[keyof T] }
}
const layerType = names(ImageLayer_Type)
const mediaType = names(ImageLayer_MediaType)
const digest = names(ImageLayer_DigestAlgorithm)
const dynamicTag = names(MetricTagValue_DynamicValue)

export const STATE_TO_PROTO: Record<TaskState, Task_State> = {
  PENDING: Task_State.Pending, RUNNING: Task_State.Running, COMPLETED: Task_State.Completed, RESOLVING: Task_State.Resolving
}

/** BBS's names for states in its messages ("Cannot transition from Running to Resolving"). */
export const STATE_NAMES: Record<TaskState, string> = { PENDING: 'Pending', RUNNING: 'Running', COMPLETED: 'Completed', RESOLVING: 'Resolving' }

/**
 * A DesireTaskRequest as the domain's TaskDefinition. Not validated here: the
 * caller runs the same schema and rules as for JSON, so the same definition is
 * accepted or refused whichever wire it came over.
 */
export function definitionFromProto (guid: string, domain: string, d: PbTaskDefinition): TaskDefinition {
  const def = compact({
    guid,
    domain,
    root_fs: d.rootFs,
    image_username: opt(d.imageUsername),
    image_password: opt(d.imagePassword),
    env: envFromProto(d.environmentVariables),
    cached_dependencies: opt(d.cachedDependencies.map(c => compact({
      name: opt(c.name), from: c.from, to: c.to, cache_key: c.cacheKey, log_source: opt(c.logSource),
      checksum_algorithm: opt(c.checksumAlgorithm), checksum_value: opt(c.checksumValue)
    }))),
    image_layers: opt(d.imageLayers.map(l => compact({
      name: opt(l.name), url: l.url, destination_path: l.destinationPath,
      layer_type: layerType.name(l.layerType), media_type: mediaType.name(l.mediaType),
      digest_algorithm: l.digestAlgorithm === 0 ? undefined : digest.name(l.digestAlgorithm), digest_value: opt(l.digestValue)
    }))),
    trusted_system_certificates_path: opt(d.trustedSystemCertificatesPath),
    volume_mounts: opt(d.volumeMounts.map(v => compact({
      driver: v.driver, container_dir: v.containerDir, mode: v.mode,
      // A dedicated device has no place in the domain: left out of `shared`, the schema names what is missing.
      shared: (v.shared ? compact({ volume_id: v.shared.volumeId, mount_config: opt(v.shared.mountConfig) }) : undefined) as { volume_id: string }
    }))),
    placement_tags: opt(d.placementTags),
    cpu_weight: opt(d.cpuWeight),
    disk_mb: opt(d.diskMb),
    max_pids: opt(d.maxPids),
    memory_mb: opt(d.memoryMb),
    privileged: opt(d.privileged),
    action: d.action ? actionFromProto(d.action) : undefined as never,
    result_file: opt(d.resultFile),
    completion_callback_url: opt(d.completionCallbackUrl),
    egress_rules: opt(d.egressRules.map(r => compact({
      protocol: r.protocol as 'tcp',
      destinations: r.destinations,
      ports: opt(r.ports),
      port_range: r.portRange ? { start: r.portRange.start, end: r.portRange.end } : undefined,
      icmp_info: r.icmpInfo ? { type: r.icmpInfo.type, code: r.icmpInfo.code } : undefined,
      log: opt(r.log),
      annotations: opt(r.annotations)
    }))),
    log_guid: opt(d.logGuid),
    log_source: opt(d.logSource),
    metrics_guid: opt(d.metricsGuid),
    annotation: opt(d.annotation),
    network: d.network && Object.keys(d.network.properties).length ? { properties: { ...d.network.properties } } : undefined,
    certificate_properties: d.certificateProperties && d.certificateProperties.organizationalUnit.length
      ? { organizational_unit: d.certificateProperties.organizationalUnit }
      : undefined,
    // A message that is present keeps its zero: bytes_per_second 0 is a limit, not "unset".
    log_rate_limit: d.logRateLimit ? { bytes_per_second: num(d.logRateLimit.bytesPerSecond) } : undefined,
    metric_tags: Object.keys(d.metricTags).length
      ? Object.fromEntries(Object.entries(d.metricTags).map(([k, v]) => [k, compact({
        static: opt(v.static), dynamic: v.dynamic === 0 ? undefined : dynamicTag.name(v.dynamic) as 'INDEX'
      })]))
      : undefined,
    volume_mounted_files: filesFromProto(d.volumeMountedFiles),
    legacy_download_user: opt(d.legacyDownloadUser)
  // Every field but the Kubernetes extension block, which BBS has no field for.
  } satisfies Record<Exclude<keyof TaskDefinition, 'kubernetes'>, unknown>)
  return def as TaskDefinition
}

/** A stored definition as BBS's TaskDefinition; absent fields become proto3 zero values. The image password never leaves the store. */
export function definitionToProto (d: StoredDefinition): PbTaskDefinition {
  return create(TaskDefinitionSchema, {
    rootFs: d.root_fs,
    environmentVariables: envToProto(d.env),
    action: actionToProto(d.action),
    diskMb: d.disk_mb ?? 0,
    memoryMb: d.memory_mb ?? 0,
    cpuWeight: d.cpu_weight ?? 0,
    privileged: d.privileged ?? false,
    logSource: d.log_source ?? '',
    logGuid: d.log_guid ?? '',
    metricsGuid: d.metrics_guid ?? '',
    resultFile: d.result_file ?? '',
    completionCallbackUrl: d.completion_callback_url ?? '',
    annotation: d.annotation ?? '',
    egressRules: (d.egress_rules ?? []).map(r => create(SecurityGroupRuleSchema, {
      protocol: r.protocol,
      destinations: r.destinations,
      ports: r.ports ?? [],
      ...(r.port_range ? { portRange: create(PortRangeSchema, r.port_range) } : {}),
      ...(r.icmp_info ? { icmpInfo: create(ICMPInfoSchema, r.icmp_info) } : {}),
      log: r.log ?? false,
      annotations: r.annotations ?? []
    })),
    cachedDependencies: (d.cached_dependencies ?? []).map(c => create(CachedDependencySchema, {
      name: c.name ?? '', from: c.from, to: c.to, cacheKey: c.cache_key, logSource: c.log_source ?? '',
      checksumAlgorithm: c.checksum_algorithm ?? '', checksumValue: c.checksum_value ?? ''
    })),
    legacyDownloadUser: d.legacy_download_user ?? '',
    trustedSystemCertificatesPath: d.trusted_system_certificates_path ?? '',
    volumeMounts: (d.volume_mounts ?? []).map(v => create(VolumeMountSchema, {
      driver: v.driver, containerDir: v.container_dir, mode: v.mode,
      shared: create(SharedDeviceSchema, { volumeId: v.shared.volume_id, mountConfig: v.shared.mount_config ?? '' })
    })),
    ...(d.network ? { network: create(NetworkSchema, { properties: d.network.properties }) } : {}),
    placementTags: d.placement_tags ?? [],
    maxPids: d.max_pids ?? 0,
    ...(d.certificate_properties ? { certificateProperties: create(CertificatePropertiesSchema, { organizationalUnit: d.certificate_properties.organizational_unit }) } : {}),
    imageUsername: d.image_username ?? '',
    imageLayers: (d.image_layers ?? []).map(l => create(ImageLayerSchema, {
      name: l.name ?? '', url: l.url, destinationPath: l.destination_path,
      layerType: layerType.number(l.layer_type), mediaType: mediaType.number(l.media_type),
      digestAlgorithm: l.digest_algorithm ? digest.number(l.digest_algorithm) : 0, digestValue: l.digest_value ?? ''
    })),
    ...(d.log_rate_limit ? { logRateLimit: create(LogRateLimitSchema, { bytesPerSecond: BigInt(d.log_rate_limit.bytes_per_second) }) } : {}),
    metricTags: Object.fromEntries(Object.entries(d.metric_tags ?? {}).map(([k, v]) => [k, create(MetricTagValueSchema, {
      static: v.static ?? '', dynamic: v.dynamic ? dynamicTag.number(v.dynamic) : 0
    })])),
    volumeMountedFiles: filesToProto(d.volume_mounted_files)
  })
}

/** RFC 3339 (millisecond precision, as the domain keeps it) to BBS's Unix nanoseconds. */
export function nanos (iso: string | undefined): bigint {
  return iso === undefined ? 0n : BigInt(Date.parse(iso)) * 1_000_000n
}

export function taskToProto (t: Task): PbTask {
  const { guid, domain, state, cell_id: cellId, result, failed, failure_reason: failureReason, rejection_count: rejectionCount,
    rejection_reason: rejectionReason, created_at: createdAt, updated_at: updatedAt, first_completed_at: firstCompletedAt, ...definition } = t
  return create(TaskSchema, {
    taskDefinition: definitionToProto({ guid, domain, ...definition }),
    taskGuid: guid,
    domain,
    createdAt: nanos(createdAt),
    updatedAt: nanos(updatedAt),
    firstCompletedAt: nanos(firstCompletedAt),
    state: STATE_TO_PROTO[state],
    cellId,
    result,
    failed,
    failureReason,
    rejectionCount,
    rejectionReason
  })
}
