/**
 * `src/server.ts` with the Kubernetes executor whose pods carry the test
 * annotations of TEST_POD_ANNOTATIONS (see testAnnotations in cluster.ts),
 * so that the simulated kubelet gives each task the fate a test chose. The
 * rest is the real server: configuration, scheduler, convergence, callbacks,
 * signals.
 */
import { loadConfig } from '../../src/config/load.ts'
import { KubernetesExecutor } from '../../src/executors/kubernetes/index.ts'
import { optionsFromConfig } from '../../src/executors/kubernetes/options.ts'
import { startServer, stopOnSignals } from '../../src/server.ts'
import { testAnnotations } from './cluster.ts'

const config = loadConfig()
const executor = new KubernetesExecutor({ ...optionsFromConfig(config), decoratePod: testAnnotations })
stopOnSignals(await startServer(config, { executor }), config)
