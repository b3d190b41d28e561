import Type, { type Static } from 'typebox'
import { type Action } from './action.ts'
import { ChecksumAlgorithm, ChecksumValue, EnvironmentVariables, LIMITS, LogSource, Name, Path, StringEnum, Url, VolumeMountedFiles } from './common.ts'
import { EgressRule } from './egress.ts'
import { KubernetesOptions } from './kubernetes.ts'

/** Diego: "Diego only returns the first 10 kilobytes of the ResultFile". */
export const MAX_RESULT_BYTES = 10 * 1024
/** Diego: "The annotation may not exceed 10 kilobytes in size" — bytes, as BBS counts them. */
export const MAX_ANNOTATION_BYTES = 10 * 1024

export const GUID_PATTERN = '^[a-zA-Z0-9_-]+$'

const CachedDependency = Type.Object({
  name: Type.Optional(Type.String({ maxLength: LIMITS.shortString })),
  from: Url('URL of the archive.'),
  to: Path('Directory in the container.'),
  cache_key: Name('Key under which the cell caches it.'),
  log_source: LogSource,
  checksum_algorithm: Type.Optional(ChecksumAlgorithm),
  checksum_value: Type.Optional(ChecksumValue('Expected checksum; set together with checksum_algorithm.'))
}, { additionalProperties: false })

const ImageLayer = Type.Object({
  name: Type.Optional(Type.String({ maxLength: LIMITS.shortString })),
  url: Url('URL of the layer archive.'),
  destination_path: Path('Where the layer is unpacked.'),
  layer_type: StringEnum(['SHARED', 'EXCLUSIVE']),
  media_type: StringEnum(['TGZ', 'TAR', 'ZIP']),
  digest_algorithm: Type.Optional(StringEnum(['SHA256', 'SHA512'])),
  digest_value: Type.Optional(ChecksumValue('Expected digest; set together with digest_algorithm, required for EXCLUSIVE layers.'))
}, { additionalProperties: false })

const VolumeMount = Type.Object({
  driver: Name('Volume driver; the Kubernetes executor maps it to a PersistentVolumeClaim.'),
  container_dir: Path('Mount point in the container.'),
  mode: StringEnum(['r', 'rw']),
  shared: Type.Object({
    volume_id: Name('Volume identifier (the claim name on Kubernetes).'),
    mount_config: Type.Optional(Type.String({ maxLength: LIMITS.longString }))
  }, { additionalProperties: false })
}, { additionalProperties: false })

const MetricTagValue = Type.Object({
  static: Type.Optional(Type.String({ minLength: 1, maxLength: LIMITS.shortString, description: 'A fixed value; exclusive with dynamic.' })),
  dynamic: Type.Optional(StringEnum(['INDEX', 'INSTANCE_GUID'], { description: 'A value the platform fills in; exclusive with static.' }))
  // One key exactly, as BBS's MetricTagValue.Validate demands: said in the schema, so that
  // generated clients and schema-driven tools know it too.
}, { additionalProperties: false, minProperties: 1, maxProperties: 1, description: 'Exactly one of static or dynamic.' })

// A map key: 1–255 printable characters (patternProperties cannot say minLength).
const RecordKey = Type.String({ pattern: '^[^\\u0000-\\u001f\\u007f]{1,255}$' })

/**
 * Fields of a task that a client sets. Mirrors Diego's TaskDefinition with the
 * guid and domain alongside, snake_case as in BBS's JSON.
 */
const definitionFields = {
  guid: Type.String({ minLength: 1, maxLength: LIMITS.shortString, pattern: GUID_PATTERN, description: 'Unique task id of a-z, A-Z, 0-9, _ and - only.' }),
  domain: Name('Groups tasks; purely organisational.'),
  root_fs: Type.String({
    minLength: 1, maxLength: LIMITS.pathString, pattern: '^(preloaded:[^\\u0000-\\u001f\\u007f]+|docker://[^\\u0000-\\u001f\\u007f]+)$',
    description: '`preloaded:NAME` or a docker URI: `docker:///org/image#tag`, `docker://registry/org/image#tag`.'
  }),
  image_username: Type.Optional(Type.String({ minLength: 1, maxLength: LIMITS.shortString, description: 'Registry user; set together with image_password.' })),
  env: Type.Optional(EnvironmentVariables),
  cached_dependencies: Type.Optional(Type.Array(CachedDependency, { maxItems: 64 })),
  image_layers: Type.Optional(Type.Array(ImageLayer, { maxItems: 64 })),
  trusted_system_certificates_path: Type.Optional(Path('Where trusted CA certificates are provided in the container.')),
  volume_mounts: Type.Optional(Type.Array(VolumeMount, { maxItems: 64 })),
  placement_tags: Type.Optional(Type.Array(Name('Placement tag.'), { maxItems: 64, description: 'The task runs only where the advertised tags are exactly these.' })),
  cpu_weight: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Relative CPU share, 1–100.' })),
  disk_mb: Type.Optional(Type.Integer({ minimum: 0, maximum: 2147483647, description: 'Disk quota in MiB; 0 for none.' })),
  max_pids: Type.Optional(Type.Integer({ minimum: 0, maximum: 2147483647, description: 'Process limit; 0 for none.' })),
  memory_mb: Type.Optional(Type.Integer({ minimum: 0, maximum: 2147483647, description: 'Memory limit in MiB; 0 for none.' })),
  privileged: Type.Optional(Type.Boolean({ description: 'Refused unless the server allows privileged tasks.' })),
  action: Type.Unsafe<Action>(Type.Ref('Action')),
  result_file: Type.Optional(Path('File whose first 10 KB become the result.')),
  completion_callback_url: Type.Optional(Url('http(s) URL that receives the TaskCallback when the task completes.')),
  egress_rules: Type.Optional(Type.Array(EgressRule, { maxItems: LIMITS.items })),
  log_guid: Type.Optional(Type.String({ maxLength: LIMITS.shortString })),
  log_source: Type.Optional(Type.String({ maxLength: LIMITS.shortString })),
  metrics_guid: Type.Optional(Type.String({ maxLength: LIMITS.shortString })),
  annotation: Type.Optional(Type.String({ maxLength: MAX_ANNOTATION_BYTES, description: 'Free text, at most 10 KiB in UTF-8 bytes.' })),
  network: Type.Optional(Type.Object({
    properties: Type.Record(RecordKey, Type.String({ maxLength: LIMITS.pathString }), { maxProperties: 64, additionalProperties: false })
  }, { additionalProperties: false, description: 'Diego network properties (key/value pairs handed to the network layer); stored and returned.' })),
  certificate_properties: Type.Optional(Type.Object({
    organizational_unit: Type.Array(Name('Organizational unit.'), { maxItems: 64 })
  }, { additionalProperties: false, description: 'Extra organizational units for the instance identity certificate; stored and returned.' })),
  log_rate_limit: Type.Optional(Type.Object({
    bytes_per_second: Type.Integer({ minimum: -1, maximum: Number.MAX_SAFE_INTEGER, description: 'Log bytes per second the task may emit; -1 for no limit.' })
  }, { additionalProperties: false })),
  metric_tags: Type.Optional(Type.Record(RecordKey, MetricTagValue, {
    maxProperties: 64, additionalProperties: false, description: 'Tags for the task\'s metrics; static ones become labels of its pod.'
  })),
  volume_mounted_files: Type.Optional(VolumeMountedFiles),
  legacy_download_user: Type.Optional(Type.String({ maxLength: LIMITS.shortString, description: 'Deprecated in Diego: the user of image layer downloads; stored and returned.' })),
  kubernetes: Type.Optional(KubernetesOptions)
}

export const TaskDefinition = Type.Object({
  ...definitionFields,
  image_password: Type.Optional(Type.String({ minLength: 1, maxLength: LIMITS.pathString, description: 'Registry password; write-only, never returned.' }))
}, {
  additionalProperties: false,
  $id: 'TaskDefinition',
  // The README's first task. Documentation, and the body schema fuzzing (fuzz/run.sh) starts from.
  examples: [{
    guid: 'hello-1',
    domain: 'demo',
    root_fs: 'docker:///library/busybox#latest',
    action: { run: { path: 'sh', args: ['-c', 'echo hello from taskbbs; echo 42 > result.txt'], user: 'root' } },
    result_file: 'result.txt',
    annotation: 'my first task'
  }]
})

export type TaskDefinition = Static<typeof TaskDefinition>

/** A definition as stored and returned: the password is kept apart and never leaves the store. */
export type StoredDefinition = Omit<TaskDefinition, 'image_password'>

export { definitionFields }
