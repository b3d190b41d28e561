import { readFileSync } from 'node:fs'
import type { Config } from './schema.ts'

/** Where Kubernetes tells a pod its own namespace (every pod with a service account token has it). */
export const POD_NAMESPACE_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace'

/** The namespace this process runs in when it runs in a pod; undefined elsewhere. */
export function readOwnNamespace (file = POD_NAMESPACE_FILE): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim() || undefined
  } catch {
    return undefined
  }
}

/**
 * Task pods must not share the server's namespace: there they could name its
 * Secret (DATABASE_URL, tokens) in kubernetes.secrets, and a Role that lets
 * the executor make pods there lets tasks mount whatever the server can
 * read. Enforced in production wherever the server can tell its namespace.
 */
export function taskNamespaceProblem (config: Config, ownNamespace: string | undefined): string | undefined {
  if (config.TASKBBS_EXECUTOR !== 'kubernetes' || config.TASKBBS_MODE !== 'production' || ownNamespace === undefined) return undefined
  if (config.TASKBBS_K8S_NAMESPACE !== ownNamespace) return undefined
  return `TASKBBS_K8S_NAMESPACE=${config.TASKBBS_K8S_NAMESPACE} is the namespace this server runs in: task pods there could reach the server's own Secrets. ` +
    'Run tasks in a namespace of their own (deploy/ uses taskbbs-tasks), or set TASKBBS_MODE=development for a trial.'
}
