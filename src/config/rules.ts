import type { Config } from './schema.ts'
import { existsSync } from 'node:fs'
import { readBbsClients } from './bbs-clients.ts'
import { decodeSigningSecret } from './signing-secret.ts'
import { readK8sGrants } from './k8s-grants.ts'
import { readOwnNamespace, taskNamespaceProblem } from './server-namespace.ts'
import { readTokens } from './tokens.ts'

/**
 * Rules across variables, checked after each value is valid on its own, so
 * that a bad combination fails at start like a bad value does.
 */
export function configRuleProblems (config: Config, ownNamespace: () => string | undefined = readOwnNamespace): string[] {
  const { grants, problems } = readTokens(config.TASKBBS_TOKENS)
  if (config.TASKBBS_CALLBACK_SIGNING_SECRET) {
    const { problem } = decodeSigningSecret(config.TASKBBS_CALLBACK_SIGNING_SECRET)
    if (problem) problems.push(problem)
  }
  if (problems.length) return problems
  const k8s = readK8sGrants(config.TASKBBS_K8S_GRANTS)
  if (k8s.problems.length) return k8s.problems
  const namespace = taskNamespaceProblem(config, ownNamespace())
  if (namespace) return [namespace]
  if (grants.length === 0 && config.TASKBBS_MODE === 'production') {
    return ['TASKBBS_TOKENS is empty but TASKBBS_MODE=production: taskbbs refuses to serve tasks without authentication in production. ' +
      'Set TASKBBS_TOKENS to the bearer tokens clients use (see --help), or TASKBBS_MODE=development on a laptop.']
  }
  if (config.TASKBBS_BBS_PORT !== 0) {
    const missing = (['TASKBBS_BBS_CERT_FILE', 'TASKBBS_BBS_KEY_FILE', 'TASKBBS_BBS_CA_FILE'] as const)
      .filter(k => config[k] === '' || !existsSync(config[k]))
    if (missing.length) return [`TASKBBS_BBS_PORT is set, so the BBS listener needs mutual TLS: ${missing.join(', ')} must name readable PEM files`]
  }
  return readBbsClients(config.TASKBBS_BBS_CLIENTS).problems
}
