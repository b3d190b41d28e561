import type { CoreV1Api } from '@kubernetes/client-node'
import { apiFailure, isNotFound } from './api-errors.ts'

/**
 * Which nodes of running pods are gone. Kubernetes itself deletes the pods
 * of a deleted node only after a while (the pod garbage collector waits
 * about a minute) and a lost node's pods only after their eviction timeout;
 * a replica that may read nodes finds out at its next resync. Reading nodes
 * is cluster-wide, so the deploy Role does not grant it: without that
 * permission (403) this check turns itself off and node loss is seen when
 * Kubernetes deletes the pods.
 */
export class NodeCheck {
  private readonly core: CoreV1Api
  private readonly warn: (msg: string) => void
  private allowed = true

  constructor (core: CoreV1Api, warn: (msg: string) => void) {
    this.core = core
    this.warn = warn
  }

  async gone (names: Iterable<string>): Promise<Set<string>> {
    const out = new Set<string>()
    if (!this.allowed) return out
    await Promise.all([...new Set(names)].map(async name => {
      try {
        await this.core.readNode({ name })
      } catch (err) {
        if (isNotFound(err)) out.add(name)
        else if (apiFailure(err).status === 403 && this.allowed) {
          this.allowed = false
          this.warn(`nodes cannot be read (${apiFailure(err).message}): a lost node's tasks fail once Kubernetes deletes their pods`)
        }
      }
    }))
    return out
  }
}
