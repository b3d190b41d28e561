import type { Config } from '../config/schema.ts'
import type { Executor } from './executor.ts'
import { LocalExecutor } from './local/index.ts'

/** The executor the configuration names. */
export async function createExecutor (config: Config): Promise<Executor> {
  switch (config.TASKBBS_EXECUTOR) {
    case 'local':
      return new LocalExecutor({ workDir: config.TASKBBS_LOCAL_WORKDIR || undefined })
    case 'kubernetes': {
      // Loaded only when chosen: the local default never pulls in the Kubernetes client.
      const { KubernetesExecutor } = await import('./kubernetes/index.ts')
      return KubernetesExecutor.fromConfig(config)
    }
  }
}
