import type { Observation } from './outcome.ts'
import type { ActionPlan } from './plan.ts'

/**
 * emit_progress messages, derived from container states: a node's
 * start_message once any of its containers has started, its
 * success_message once all of them exited 0 (Diego logs them when the inner
 * action starts and succeeds). `announced` remembers what was said, so each
 * message is logged once however many times the pod is observed.
 */
export function progressMessages (plan: ActionPlan, obs: Observation, announced: Set<string>): Array<{ text: string, logSource?: string }> {
  if (obs.state === 'pending' || obs.state === 'unschedulable') return []
  const succeeded = obs.succeeded
  const started = obs.state === 'succeeded' ? succeeded : obs.started
  const out: Array<{ text: string, logSource?: string }> = []
  for (const node of plan.progress) {
    const containers = plan.steps.filter(s => s.progress.includes(node.id)).map(s => s.container)
    if (containers.length === 0) continue
    if (node.startMessage && !announced.has(`start:${node.id}`) && containers.some(c => started.has(c))) {
      announced.add(`start:${node.id}`)
      out.push({ text: node.startMessage, logSource: node.logSource })
    }
    if (node.successMessage && !announced.has(`success:${node.id}`) && containers.every(c => succeeded.has(c))) {
      announced.add(`success:${node.id}`)
      out.push({ text: node.successMessage, logSource: node.logSource })
    }
  }
  return out
}
