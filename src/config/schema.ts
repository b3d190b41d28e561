import Type, { type Static } from 'typebox'

const Seconds = (def: number, description: string, minimum = 0.001) =>
  Type.Number({ default: def, minimum, maximum: 31_536_000, description: `${description} In seconds (fractions allowed).` })

/**
 * Every environment variable taskbbs reads, with its default and meaning. This
 * one schema validates the environment at start, prints `--help` and is the
 * source of the README's configuration table.
 */
export const ConfigSchema = Type.Object({
  TASKBBS_MODE: Type.Union([Type.Literal('development'), Type.Literal('production')], {
    default: 'development',
    description: 'development relaxes safety defaults for a laptop (loopback callbacks allowed); production enforces them.'
  }),
  TASKBBS_HOST: Type.String({ default: '127.0.0.1', minLength: 1, description: 'Address the HTTP server listens on; 0.0.0.0 in a container.' }),
  TASKBBS_PORT: Type.Integer({ default: 8080, minimum: 0, maximum: 65535, description: 'HTTP port; 0 picks a free one.' }),
  DATABASE_URL: Type.String({ default: '', description: 'PostgreSQL connection string. Empty: start an embedded PostgreSQL in a fresh temporary directory.' }),
  TASKBBS_PG_POOL_MAX: Type.Integer({ default: 10, minimum: 1, maximum: 1000, description: 'Connections in the database pool.' }),
  TASKBBS_BODY_LIMIT_BYTES: Type.Integer({ default: 1_048_576, minimum: 1024, maximum: 104_857_600, description: 'Largest request body accepted; larger ones get 413.' }),
  TASKBBS_ALLOW_PRIVILEGED: Type.Boolean({ default: false, description: 'Accept tasks with privileged: true.' }),
  TASKBBS_LOG_LEVEL: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map(l => Type.Literal(l)), {
    default: 'info', description: 'Log level of the JSON logs on stdout.'
  }),
  TASKBBS_SHUTDOWN_TIMEOUT: Seconds(30, 'On SIGTERM, the local executor: how long running tasks may take to finish; those still running then fail "replica shut down before the task finished" (never run twice). The Kubernetes executor leaves its pods running and hands their leases over at once.'),

  TASKBBS_SCHEDULER: Type.Boolean({ default: true, description: 'Run the scheduler and convergence in this process; false for an API-only replica.' }),
  TASKBBS_EXECUTOR: Type.Union([Type.Literal('local'), Type.Literal('kubernetes')], {
    default: 'local', description: 'What runs tasks: local processes (development, no isolation) or Kubernetes pods.'
  }),
  TASKBBS_CELL_ID: Type.String({ default: '', description: 'Name of this replica in cell_id and leases. Empty: hostname-pid-random, new on every start.' }),
  TASKBBS_MAX_TASKS: Type.Integer({ default: 64, minimum: 1, maximum: 100000, description: 'Tasks this replica runs at once.' }),
  TASKBBS_CLAIM_BATCH: Type.Integer({ default: 32, minimum: 1, maximum: 1000, description: 'PENDING tasks claimed per query.' }),
  TASKBBS_POLL_INTERVAL: Seconds(5, 'Fallback poll for PENDING tasks; a desire wakes the scheduler at once through LISTEN/NOTIFY.'),
  TASKBBS_LEASE_DURATION: Seconds(30, 'How long a RUNNING task stays ours without a heartbeat. After it the local executor\'s task fails "cell disappeared before completion"; a Kubernetes task is adopted by another replica, which watches its pod on.'),
  TASKBBS_HEARTBEAT_INTERVAL: Seconds(10, 'How often leases are renewed; keep well under the lease duration.'),
  TASKBBS_MAX_REJECTIONS: Type.Integer({ default: 3, minimum: 0, maximum: 1000, description: 'Times an executor may hand a task back before it fails.' }),
  TASKBBS_CONVERGENCE_INTERVAL: Seconds(30, 'Time between convergence passes (Diego: 30 s).'),
  TASKBBS_PENDING_TIMEOUT: Seconds(1800, 'PENDING tasks older than this fail "not started within time limit" (Diego: 30 min).'),
  TASKBBS_KICK_PENDING_AFTER: Seconds(30, 'PENDING tasks untouched this long are offered to schedulers again (Diego: 30 s).'),
  TASKBBS_RESOLVING_TIMEOUT: Seconds(30, 'RESOLVING tasks older than this go back to COMPLETED (Diego: 30 s).'),
  TASKBBS_COMPLETED_TTL: Seconds(120, 'COMPLETED tasks nobody resolved are deleted this long after completion (Diego: 2 min).'),
  TASKBBS_LOG_MAX_BYTES: Type.Integer({ default: 1_048_576, minimum: 1024, maximum: 1_073_741_824, description: 'Output kept per task; the rest is dropped after a marker line.' }),
  TASKBBS_CALLBACKS: Type.Boolean({ default: true, description: 'Run the completion callback worker in this process.' }),
  TASKBBS_CALLBACK_TIMEOUT: Seconds(10, 'Per-attempt limit for a callback (connect and response); past it the attempt counts as a timeout.'),
  TASKBBS_CALLBACK_RETRY_INTERVAL: Seconds(30, 'Wait before retrying a callback after a timeout, connection error or persistent 503/504 (Diego: ~30 s).'),
  TASKBBS_CALLBACK_GIVE_UP_AFTER: Seconds(120, 'A callback without a resolving answer this long after completion is given up and its task deleted (Diego: ~2 min).'),
  TASKBBS_CALLBACK_CONCURRENCY: Type.Integer({ default: 32, minimum: 1, maximum: 10000, description: 'Callbacks in flight at once per process.' }),
  TASKBBS_CALLBACK_ORIGIN_CONCURRENCY: Type.Integer({ default: 0, minimum: 0, maximum: 10000, description: 'Callbacks in flight at once to one receiver origin (scheme://host:port) not yet known to answer; each of its paths gets half. 0: a quarter of TASKBBS_CALLBACK_CONCURRENCY. Keeps a new receiver that hangs from taking every slot.' }),
  TASKBBS_CALLBACK_HEALTHY_ORIGIN_CONCURRENCY: Type.Integer({ default: 0, minimum: 0, maximum: 10000, description: 'Callbacks in flight at once to one receiver origin, or one of its paths, that answers. 0: three quarters of TASKBBS_CALLBACK_CONCURRENCY (the rest stays for other receivers).' }),
  TASKBBS_CALLBACK_BREAKER_THRESHOLD: Type.Integer({ default: 3, minimum: 1, maximum: 1000, description: 'Timeouts or connection errors in a row that open a receiver path\'s circuit breaker (that many failing paths with no answer between: its origin\'s); an open breaker allows one callback in flight until one gets an answer.' }),
  TASKBBS_CALLBACK_POLL_INTERVAL: Seconds(1, 'How often due callback retries are looked for; new completions wake the worker at once.'),
  TASKBBS_CALLBACK_SIGNING_SECRET: Type.String({ default: '', description: 'Standard Webhooks secret ("whsec_" + base64); when set, callbacks carry webhook-id, webhook-timestamp and webhook-signature.' }),
  TASKBBS_CALLBACK_ALLOW: Type.String({ default: '', description: 'Comma-separated hosts, IPs or CIDRs callbacks may reach even when the production policy forbids them (loopback, link-local, metadata).' }),
  TASKBBS_LOCAL_WORKDIR: Type.String({ default: '', description: 'Local executor: parent of per-task directories. Empty: a fresh temporary directory.' }),
  TASKBBS_K8S_NAMESPACE: Type.String({ default: 'taskbbs', minLength: 1, maxLength: 63, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', description: 'Kubernetes executor: namespace of task pods, secrets and network policies; never the server\'s own (in production a server in a pod refuses to start in its own namespace).' }),
  TASKBBS_K8S_KUBECONFIG: Type.String({ default: '', description: 'Kubernetes executor: kubeconfig file. Empty: in-cluster service account credentials when running in a pod, else $KUBECONFIG or ~/.kube/config.' }),
  TASKBBS_K8S_PRELOADED_IMAGES: Type.String({ default: '{}', description: 'Kubernetes executor: JSON object mapping preloaded root_fs names to images, e.g. {"cflinuxfs4": "cloudfoundry/cflinuxfs4:latest"}. A task naming another preloaded:NAME is refused at desire time.' }),
  TASKBBS_K8S_CPU_MILLIS_PER_WEIGHT: Type.Integer({ default: 10, minimum: 0, maximum: 100000, description: 'Kubernetes executor: cpu request in millicores per point of cpu_weight (10: weight 100 requests 1 cpu); 0 sets no cpu request.' }),
  TASKBBS_K8S_RUNNER_IMAGE: Type.String({ default: 'taskbbs:0.1.0', minLength: 1, description: 'Kubernetes executor: image of the install-runner init container, which copies /usr/local/bin/taskbbs-runner into each task pod; the taskbbs image itself, at the version of this server.' }),
  TASKBBS_K8S_ARTIFACT_EGRESS: Type.String({ default: '', description: 'Kubernetes executor: comma-separated IPs, CIDRs or ranges, each with an optional :port (TCP), that every task\'s NetworkPolicy allows, so that downloads and uploads reach the artifact store under a default-deny policy. NetworkPolicy takes no host names: list the store\'s addresses. Empty: none.' }),
  TASKBBS_K8S_LOG_STREAMS: Type.Integer({ default: 64, minimum: 0, maximum: 10000, description: 'Kubernetes executor: task logs followed live at once (one API connection each); the output of tasks past it is read when they finish. 0: no live logs.' }),
  TASKBBS_K8S_TRUSTED_CERTS_CONFIGMAP: Type.String({ default: '', description: 'Kubernetes executor: ConfigMap of CA certificates mounted read-only at a task\'s trusted_system_certificates_path. Empty: that path is left alone (Diego provides certificates only "if an operator has specified them").' }),
  TASKBBS_K8S_ICMP_EGRESS: Type.Union([Type.Literal('reject'), Type.Literal('ignore')], { default: 'reject', description: 'Kubernetes executor: NetworkPolicy cannot express icmp/icmpv6 egress rules. reject: refuse such tasks with 422; ignore: accept them and drop those rules (the task log says so).' }),
  TASKBBS_K8S_RESYNC_INTERVAL: Seconds(30, 'Kubernetes executor: how often every watched pod is re-examined and a tracked pod missing from the watch cache is looked up, so that a missed watch event cannot leave a task RUNNING.'),
  TASKBBS_K8S_UNSCHEDULABLE_TIMEOUT: Seconds(300, 'Kubernetes executor: a task whose pod no node can take for this long fails with the scheduler\'s message (as Diego fails a task no cell can place); 0 waits forever, e.g. for a cluster autoscaler.', 0),
  TASKBBS_K8S_GRANTS: Type.String({
    default: '',
    description: 'Kubernetes executor: the Secrets (kubernetes.secrets) and PersistentVolumeClaims (volume_mounts[].shared.volume_id) of the task namespace each domain may use, ' +
      'as a JSON object or the path of a file holding one: {"builds": {"secrets": ["builds-registry"], "volume_claims": ["builds-cache"]}, "*": {"volume_claims": ["datasets"]}}; "*" grants to every domain. ' +
      'Anything not granted is refused with 422. Empty: nothing is granted.'
  }),
  TASKBBS_K8S_ALLOWED_TOLERATIONS: Type.String({
    default: '',
    description: 'Kubernetes executor: comma-separated taint keys tasks may tolerate (kubernetes.tolerations). "*" allows every key and a toleration without a key, which tolerates every taint. Empty: no tolerations.'
  }),
  TASKBBS_K8S_ALLOWED_NODE_LABELS: Type.String({
    default: 'kubernetes.io/os,kubernetes.io/arch,topology.kubernetes.io/region,topology.kubernetes.io/zone,node.kubernetes.io/instance-type',
    description: 'Kubernetes executor: comma-separated node label keys tasks may select on, in kubernetes.node_selector and in node affinity expressions (metadata.name for matchFields). "*": any key. Empty: none.'
  }),
  TASKBBS_K8S_ALLOW_ROOT_IDS: Type.Boolean({ default: false, description: 'Kubernetes executor: accept uid or gid 0 (kubernetes.run_as_user, run_as_group, fs_group, a run or download user "0").' }),
  TASKBBS_K8S_ALLOW_POD_AFFINITY: Type.Boolean({ default: false, description: 'Kubernetes executor: accept kubernetes.affinity.podAffinity and podAntiAffinity (always limited to pods of the task namespace); node affinity is always accepted, within TASKBBS_K8S_ALLOWED_NODE_LABELS.' }),

  TASKBBS_TOKENS: Type.String({
    default: '',
    description: 'Bearer tokens: a JSON array, or the path of a file holding one, of {"name": "ci", "token": "at least 16 characters" (or "sha256": "hex digest of it"), "domains": ["a", "b"] or "*", "role": "read" | "write" | "admin"}. ' +
      'read: GET routes; write: also desire, cancel, resolving, delete; admin: also /metrics. Empty: no authentication, allowed only with TASKBBS_MODE=development.'
  }),
  TASKBBS_RATE_LIMIT_MAX: Type.Integer({
    default: 0, minimum: 0, maximum: 1_000_000_000,
    description: 'Requests one caller may make per TASKBBS_RATE_LIMIT_WINDOW, counted per replica; past it, 429 RATE_LIMITED with Retry-After. ' +
      'The caller is its bearer token (with TASKBBS_TOKENS set), else its address. Health, readiness and documentation routes are never limited. 0: no limit.'
  }),
  TASKBBS_RATE_LIMIT_WINDOW: Seconds(60, 'The window TASKBBS_RATE_LIMIT_MAX counts requests over.', 1),
  TASKBBS_EVENTS_RETENTION: Seconds(3600, 'How long task change events are kept for clients of GET /v1/events to resume from; older ones are pruned.', 1),
  TASKBBS_EVENTS_HEARTBEAT_INTERVAL: Seconds(15, 'A comment line is sent on idle GET /v1/events streams this often, so that proxies keep them open.', 0.05),

  TASKBBS_BBS_PLAIN: Type.Boolean({
    default: true,
    description: 'Serve the Diego BBS protobuf routes (/v1/tasks/desire.r2, …) on the plain HTTP listener too. Honoured only with TASKBBS_MODE=development, ' +
      'TASKBBS_HOST a loopback address and TASKBBS_TOKENS empty; otherwise BBS clients use the mutual TLS listener.'
  }),
  TASKBBS_BBS_PORT: Type.Integer({ default: 0, minimum: 0, maximum: 65535, description: 'Port of the Diego BBS listener (mutual TLS, on TASKBBS_HOST). 0: no such listener.' }),
  TASKBBS_BBS_CERT_FILE: Type.String({ default: '', description: 'BBS listener: the server certificate (PEM), chain included.' }),
  TASKBBS_BBS_KEY_FILE: Type.String({ default: '', description: 'BBS listener: the server certificate\'s private key (PEM).' }),
  TASKBBS_BBS_CA_FILE: Type.String({ default: '', description: 'BBS listener: the CA (PEM) that signs client certificates; a client without one it signed cannot connect.' }),
  TASKBBS_BBS_CLIENTS: Type.String({
    default: '',
    description: 'BBS listener: which client certificate may act on which domains, a JSON array (or the path of a file holding one) of {"common_name": "cloud-controller", "domains": ["cf-apps"] or "*"}. ' +
      'A certificate whose subject CN is not listed is refused. Empty: every certificate the client CA signed may act on every domain, as in Diego.'
  })
}, { additionalProperties: false })

export type Config = Static<typeof ConfigSchema>
