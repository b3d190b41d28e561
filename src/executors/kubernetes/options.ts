import { KubeConfig, type V1Pod } from '@kubernetes/client-node'
import type { Config } from '../../config/schema.ts'
import type { ExecutorTask } from '../executor.ts'
import type { RetryOptions } from './api-errors.ts'
import { parseArtifactEgress } from './network-policy.ts'
import type { PodSettings } from './pod.ts'
import { listSetting } from './policy.ts'
import { readK8sGrants } from '../../config/k8s-grants.ts'

export interface ExecutorLog {
  warn (obj: object, msg: string): void
}

export interface KubernetesExecutorOptions extends PodSettings {
  kubeConfig: KubeConfig
  /** Re-examine every watched pod this often (ms). */
  resyncMs: number
  /** Fail a task whose pod no node takes for this long (ms); 0 waits forever. */
  unschedulableTimeoutMs: number
  /** Output read back per task when its log is read whole (bytes). */
  logMaxBytes: number
  /** Report task output (followed live, and read when a pod finishes). */
  collectLogs: boolean
  /** Follow streams open at once (StreamSlots in log-follow.ts); 0: output only when a pod finishes. */
  logStreams: number
  retry?: RetryOptions
  /**
   * Last word on a pod before it is created. For tests (the simulated
   * cluster reads annotations to decide a pod's fate) and for embedders that
   * add their own labels; a production server leaves it unset.
   */
  decoratePod?: (pod: V1Pod, task: ExecutorTask) => void
  log?: ExecutorLog
}

/**
 * The kubeconfig: a file when TASKBBS_K8S_KUBECONFIG names one, the pod's
 * service account when running in a cluster, else $KUBECONFIG or
 * ~/.kube/config.
 */
export function loadKubeConfig (path: string): KubeConfig {
  const kc = new KubeConfig()
  if (path) kc.loadFromFile(path)
  else if (process.env.KUBERNETES_SERVICE_HOST) kc.loadFromCluster()
  else kc.loadFromDefault()
  if (!kc.getCurrentCluster()) {
    throw new Error('no Kubernetes cluster is configured: set TASKBBS_K8S_KUBECONFIG to a kubeconfig file, or run taskbbs in a pod with a service account')
  }
  return kc
}

export function parsePreloadedImages (text: string): Record<string, string> {
  let value: unknown
  try {
    value = JSON.parse(text || '{}')
  } catch (err) {
    throw new Error(`TASKBBS_K8S_PRELOADED_IMAGES is not valid JSON: ${(err as Error).message}`)
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.values(value).every(v => typeof v === 'string' && v !== '')) {
    throw new Error('TASKBBS_K8S_PRELOADED_IMAGES must be a JSON object mapping preloaded root_fs names to image references, e.g. {"cflinuxfs4": "cloudfoundry/cflinuxfs4:latest"}')
  }
  return value as Record<string, string>
}

const jsonLog: ExecutorLog = {
  warn: (obj, msg) => process.stdout.write(JSON.stringify({ level: 40, time: Date.now(), executor: 'kubernetes', ...serializable(obj), msg }) + '\n')
}

function serializable (obj: object): object {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, v instanceof Error ? v.message : v]))
}

/** Grants and policy (grants.ts, policy.ts) from TASKBBS_K8S_GRANTS, _ALLOWED_* and _ALLOW_*. */
export function tenancyFromConfig (config: Config): Required<Pick<PodSettings, 'grants' | 'policy'>> {
  return {
    // loadConfig has already refused a TASKBBS_K8S_GRANTS with problems.
    grants: readK8sGrants(config.TASKBBS_K8S_GRANTS).grants,
    policy: {
      tolerationKeys: listSetting(config.TASKBBS_K8S_ALLOWED_TOLERATIONS),
      nodeLabelKeys: listSetting(config.TASKBBS_K8S_ALLOWED_NODE_LABELS),
      allowRootIds: config.TASKBBS_K8S_ALLOW_ROOT_IDS,
      allowPodAffinity: config.TASKBBS_K8S_ALLOW_POD_AFFINITY
    }
  }
}

export function optionsFromConfig (config: Config): KubernetesExecutorOptions {
  return {
    kubeConfig: loadKubeConfig(config.TASKBBS_K8S_KUBECONFIG),
    namespace: config.TASKBBS_K8S_NAMESPACE,
    preloadedImages: parsePreloadedImages(config.TASKBBS_K8S_PRELOADED_IMAGES),
    cpuMillisPerWeight: config.TASKBBS_K8S_CPU_MILLIS_PER_WEIGHT,
    runnerImage: config.TASKBBS_K8S_RUNNER_IMAGE,
    artifactEgress: parseArtifactEgress(config.TASKBBS_K8S_ARTIFACT_EGRESS),
    trustedCertsConfigMap: config.TASKBBS_K8S_TRUSTED_CERTS_CONFIGMAP,
    icmpEgress: config.TASKBBS_K8S_ICMP_EGRESS,
    allowPrivileged: config.TASKBBS_ALLOW_PRIVILEGED,
    ...tenancyFromConfig(config),
    resyncMs: Math.round(config.TASKBBS_K8S_RESYNC_INTERVAL * 1000),
    unschedulableTimeoutMs: Math.round(config.TASKBBS_K8S_UNSCHEDULABLE_TIMEOUT * 1000),
    logMaxBytes: config.TASKBBS_LOG_MAX_BYTES,
    collectLogs: true,
    logStreams: config.TASKBBS_K8S_LOG_STREAMS,
    log: jsonLog
  }
}
