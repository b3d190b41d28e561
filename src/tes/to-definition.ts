import type { Action } from '../domain/action.ts'
import type { FieldError } from '../domain/errors.ts'
import type { KubernetesOptions } from '../domain/kubernetes.ts'
import type { TaskDefinition } from '../domain/task-definition.ts'
import { rootFsOfTesImage } from './image.ts'
import { MARKS } from './marks.ts'
import type { TesExecutor, TesInput, TesOutput, TesResources, TesTaskCreate } from './schemas.ts'

/**
 * A TES task as a Diego task definition. One container runs it all, as one
 * serial action (the README's "GA4GH TES" table):
 *
 *   serial: [volumes → mkdir] [inputs → download or write] executors → run [outputs → size, upload]
 *
 * Each part is wrapped in emit_progress with a failure prefix ("input 0",
 * "executor 1", "output 0") and a log source of its own, so that the TES view
 * can tell executor errors from system errors and find each executor's
 * times, exit code and output in the task's log (view.ts, marks.ts).
 *
 * Redirections, content inputs and moves are small `sh -c` scripts that take
 * every path as an argument, never as script text. The local executor's
 * processes see the real filesystem with the task directory standing in for
 * the container root, so each script prefixes container paths with
 * $TASKBBS_TASK_DIR, which is unset (empty) in a real container.
 */

/** Where an input is downloaded before it is moved to its path: Diego's download names the file after the URL. */
const STAGING = '/tmp/taskbbs-tes/inputs'
/** Container paths are prefixed with the local executor's task directory; empty in a container. */
const ROOT = 'r=${TASKBBS_TASK_DIR:-}'
const USER = 'root'
const CHUNK = 16384

const SCRIPTS = {
  volumes: `${ROOT}; for v; do mkdir -p "$r$v" || exit 1; done`,
  content: `${ROOT}; f=$r$1; shift; mkdir -p "$(dirname "$f")" && printf %s "$@" > "$f"`,
  moveFile: `${ROOT}; s=$r$1; f=$r$2; set -- "$s"/*
if [ $# -ne 1 ] || [ ! -f "$1" ]; then echo "the URL did not give one file (an archive is unpacked by the download): use type DIRECTORY" >&2; exit 1; fi
mkdir -p "$(dirname "$f")" && mv "$1" "$f" && rmdir "$s"`,
  moveDirectory: `${ROOT}; s=$r$1; f=$r$2; mkdir -p "$f" && cp -R "$s"/. "$f"/ && rm -rf "$s"`,
  outputSize: `${ROOT}; if [ ! -f "$r$1" ]; then echo "$1 is not a file" >&2; exit 1; fi; wc -c < "$r$1"`,
  redirect: `${ROOT}
if [ -n "$1" ]; then exec < "$r$1" || exit 1; fi
if [ -n "$2" ]; then mkdir -p "$(dirname "$r$2")" || exit 1; exec > "$r$2" || exit 1; fi
if [ -n "$3" ]; then mkdir -p "$(dirname "$r$3")" || exit 1; exec 2> "$r$3" || exit 1; fi
shift 3; exec "$@"`
} as const

const sh = (script: string, args: string[], logSource: string): Action =>
  ({ run: { path: 'sh', args: ['-c', script, 'sh', ...args], user: USER, log_source: logSource } })

function chunks (text: string): string[] {
  const points = Array.from(text)
  const out: string[] = []
  for (let i = 0; i < points.length; i += CHUNK) out.push(points.slice(i, i + CHUNK).join(''))
  return out
}

const isHttp = (url: string) => { try { return ['http:', 'https:'].includes(new URL(url).protocol) } catch { return false } }

function inputAction (input: TesInput, i: number): Action {
  const source = MARKS.inputSource
  let action: Action
  if (input.content !== undefined) {
    action = sh(SCRIPTS.content, [input.path, ...chunks(input.content)], source)
  } else {
    const staging = `${STAGING}/${i}`
    action = {
      serial: {
        actions: [
          { download: { from: input.url!, to: staging, user: USER, artifact: `input ${i}`, log_source: source } },
          sh(input.type === 'DIRECTORY' ? SCRIPTS.moveDirectory : SCRIPTS.moveFile, [staging, input.path], source)
        ]
      }
    }
  }
  return { emit_progress: { action, failure_message_prefix: `input ${i}`, log_source: source } }
}

function executorAction (e: TesExecutor, i: number): Action {
  const source = MARKS.executorSource(i)
  const redirected = e.stdin !== undefined || e.stdout !== undefined || e.stderr !== undefined
  const [path, ...args] = redirected
    ? ['sh', '-c', SCRIPTS.redirect, 'sh', e.stdin ?? '', e.stdout ?? '', e.stderr ?? '', ...e.command]
    : e.command
  const env = Object.entries(e.env ?? {}).map(([name, value]) => ({ name, value }))
  const run: Action = {
    run: { path, args, user: USER, log_source: source, ...(e.workdir ? { dir: e.workdir } : {}), ...(env.length ? { env } : {}) }
  }
  const progress: Action = {
    emit_progress: {
      action: run,
      start_message: MARKS.started(i),
      success_message: MARKS.succeeded(i),
      failure_message_prefix: MARKS.executorPrefix(i),
      log_source: source
    }
  }
  return e.ignore_error ? { try: { action: progress, log_source: source } } : progress
}

function outputAction (o: TesOutput, i: number): Action {
  const source = MARKS.outputSource(i)
  return {
    emit_progress: {
      action: {
        serial: {
          actions: [
            sh(SCRIPTS.outputSize, [o.path], source),
            { upload: { from: o.path, to: o.url, user: USER, artifact: MARKS.outputArtifact(i), log_source: source } }
          ]
        }
      },
      failure_message_prefix: `output ${i}`,
      log_source: source
    }
  }
}

const ZONE_KEY = 'topology.kubernetes.io/zone'
/** The taint operators put on preemptible (spot) nodes; a preemptible TES task tolerates it. */
export const PREEMPTIBLE_TAINT = 'taskbbs.io/preemptible'
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/

function resourceFields (r: TesResources | undefined, errors: FieldError[]): Partial<TaskDefinition> {
  if (!r) return {}
  const out: Partial<TaskDefinition> = {}
  const k8s: KubernetesOptions = {}
  const requests: Record<string, string> = {}
  if (r.cpu_cores) requests.cpu = String(r.cpu_cores)
  if (r.ram_gb) {
    out.memory_mb = Math.ceil(r.ram_gb * 1024)
    requests.memory = `${out.memory_mb}Mi`
  }
  if (r.disk_gb) out.disk_mb = Math.ceil(r.disk_gb * 1024)
  if (Object.keys(requests).length) k8s.resources = { requests }
  if (r.preemptible) k8s.tolerations = [{ key: PREEMPTIBLE_TAINT, operator: 'Exists', effect: 'NoSchedule' }]
  if (r.zones?.length) {
    r.zones.forEach((z, i) => { if (!LABEL_VALUE.test(z)) errors.push({ field: `resources.zones[${i}]`, message: 'must be a Kubernetes label value (letters, digits, -, _ and .)' }) })
    k8s.affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: ZONE_KEY, operator: 'In', values: r.zones }] }] }
      }
    }
  }
  const params = Object.keys(r.backend_parameters ?? {})
  if (params.length && r.backend_parameters_strict) {
    errors.push({ field: 'resources.backend_parameters', message: `taskbbs supports no backend parameters (got ${params.join(', ')}); leave backend_parameters_strict false to have them ignored` })
  }
  if (Object.keys(k8s).length) out.kubernetes = k8s
  return out
}

/** Rules between fields that the schema cannot state, each naming its field. */
function ruleErrors (task: TesTaskCreate): FieldError[] {
  const errors: FieldError[] = []
  const image = task.executors[0].image
  task.executors.forEach((e, i) => {
    if (i > 0 && e.image !== image) errors.push({ field: `executors[${i}].image`, message: `must be the image of executors[0] (${image}): taskbbs runs a task's executors one after another in one container` })
  })
  if (rootFsOfTesImage(image) === undefined) errors.push({ field: 'executors[0].image', message: 'is not a container image reference such as ubuntu:24.04, quay.io/org/tool:1 or org/tool@sha256:<64 hex digits>' })
  task.inputs?.forEach((input, i) => {
    if (input.content !== undefined) return
    if (input.url === undefined) errors.push({ field: `inputs[${i}].url`, message: 'is required unless content is set' })
    else if (!isHttp(input.url)) errors.push({ field: `inputs[${i}].url`, message: 'must be an http or https URL: taskbbs has no other storage (s3://, gs://, file:// and bare paths are not supported)' })
  })
  task.outputs?.forEach((o, i) => {
    if (!isHttp(o.url)) errors.push({ field: `outputs[${i}].url`, message: 'must be an http or https URL (the file is POSTed to it): taskbbs has no other storage' })
    if (o.type === 'DIRECTORY') errors.push({ field: `outputs[${i}].type`, message: 'DIRECTORY outputs are not supported: upload one file per output (e.g. a tar made by an executor)' })
    if (/[*?[]/.test(o.path)) errors.push({ field: `outputs[${i}].path`, message: 'wildcards are not supported: name one file per output' })
  })
  return errors
}

/** The definition that runs a TES task, or the field errors (TES field names) that prevent it. */
export function toDefinition (task: TesTaskCreate, guid: string, domain: string): { definition: TaskDefinition } | { errors: FieldError[] } {
  const errors = ruleErrors(task)
  const resources = resourceFields(task.resources, errors)
  if (errors.length) return { errors }
  const steps: Action[] = []
  if (task.volumes?.length) steps.push(sh(SCRIPTS.volumes, task.volumes, MARKS.inputSource))
  if (task.inputs?.length) steps.push({ serial: { actions: task.inputs.map(inputAction) } })
  steps.push({ serial: { actions: task.executors.map(executorAction) } })
  if (task.outputs?.length) steps.push({ serial: { actions: task.outputs.map(outputAction) } })
  let action: Action = { serial: { actions: steps } }
  const ignored = Object.keys(task.resources?.backend_parameters ?? {})
  if (ignored.length) {
    // TES: "Backends shall log system warnings if a key is passed that is unsupported."
    action = { emit_progress: { action, start_message: `ignoring unsupported backend_parameters: ${ignored.join(', ')}`, log_source: MARKS.inputSource } }
  }
  return {
    definition: {
      guid,
      domain,
      root_fs: rootFsOfTesImage(task.executors[0].image)!,
      action,
      log_source: MARKS.taskSource,
      ...(task.name ? { annotation: `TES task: ${task.name}` } : {}),
      ...resources
    }
  }
}

