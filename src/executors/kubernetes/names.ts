import { createHash } from 'node:crypto'

/**
 * Names, labels and annotations of the objects a task owns. Every name is
 * derived from the guid alone, so that two replicas starting the same task
 * compute the same pod name and the API server's uniqueness check lets only
 * one create succeed.
 */

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by'
export const MANAGED_BY = 'taskbbs'
/** The informer's selector: every task pod, whichever replica made it. */
export const TASK_POD_SELECTOR = `${MANAGED_BY_LABEL}=${MANAGED_BY}`

export const LABELS = {
  guid: 'taskbbs.io/guid',
  domain: 'taskbbs.io/domain',
  logGuid: 'taskbbs.io/log-guid'
} as const

/** Annotations carry the exact values; labels only what their grammar allows. */
export const ANNOTATIONS = {
  guid: 'taskbbs.io/guid',
  domain: 'taskbbs.io/domain',
  logGuid: 'taskbbs.io/log-guid',
  logSource: 'taskbbs.io/log-source',
  metricsGuid: 'taskbbs.io/metrics-guid',
  /** The runner's spec (runner/PROTOCOL.md), projected into the task container as a file. */
  runnerSpec: 'taskbbs.io/runner-spec'
} as const

/** The pod's containers and volumes, as runner/PROTOCOL.md fixes them. */
export const TASK_CONTAINER = 'task'
export const INSTALL_CONTAINER = 'install-runner'
export const RUNNER_VOLUME = 'taskbbs-runner'
export const RUNNER_DIR = '/taskbbs/bin'
export const RUNNER_PATH = '/taskbbs/bin/taskbbs-runner'
/** Where the taskbbs image carries the runner. */
export const RUNNER_IMAGE_PATH = '/usr/local/bin/taskbbs-runner'
export const SPEC_VOLUME = 'taskbbs-spec'
export const SPEC_DIR = '/taskbbs/spec'
export const SPEC_FILE = 'spec.json'

/**
 * A pod with a secret or a network policy is created behind this scheduling
 * gate, and the gate is lifted once those exist: the image is never pulled
 * without its credentials and the process never runs before its egress rules.
 */
export const SETUP_GATE = 'taskbbs.io/setup'

const NAME_MAX = 63
const HASH_LEN = 10

export function shortHash (text: string, length = HASH_LEN): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length)
}

/**
 * `taskbbs-<guid, lowercased, "_" → "-", cut>-<hash of the exact guid and run>`.
 * The hash keeps `Task_A` and `task-a` apart, and with the run id (one per
 * desire) a task desired again under the same guid gets a pod name of its
 * own, so it never meets the earlier task's pod; 63 characters keep the name
 * a valid DNS label, which the pod's hostname and the secret and policy
 * names need.
 */
export function podName (guid: string, runId?: string): string {
  const room = NAME_MAX - 'taskbbs-'.length - 1 - HASH_LEN
  const slug = guid.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, room).replace(/-+$/, '')
  const hash = shortHash(runId === undefined ? guid : `${guid}\n${runId}`)
  return slug ? `taskbbs-${slug}-${hash}` : `taskbbs-${hash}`
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/

/**
 * A label value for arbitrary text: the text itself when Kubernetes accepts it
 * (at most 63 of [A-Za-z0-9-_.], alphanumeric at both ends), else a readable
 * prefix plus a hash of the whole text, so distinct texts stay distinct.
 */
export function labelValue (text: string): string {
  if (LABEL_VALUE.test(text)) return text
  const readable = text.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, NAME_MAX - 1 - HASH_LEN).replace(/[^A-Za-z0-9]+$/, '')
  return readable ? `${readable}-${shortHash(text)}` : shortHash(text)
}
