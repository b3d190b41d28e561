import { ApiException, HttpMethod, type KubeConfig, RequestContext } from '@kubernetes/client-node'
import { fetch } from 'undici'

/**
 * GET pods/NAME/log, raw: client-node's Log class pipes the body into a
 * stream and loses the error when the connection drops, and a follower must
 * know that to reconnect. Every read asks for timestamps; log-cursor.ts
 * uses them to resume without repeats.
 */
export interface LogRequest {
  namespace: string
  pod: string
  container: string
  follow?: boolean
  sinceTime?: Date
  tailLines?: number
  limitBytes?: number
}

/**
 * Longer than any frame of the runner: a line is cut at 64 KiB, and JSON
 * escapes a control character as six (\u0001), so a frame of binary output
 * can reach 6 × 64 KiB plus its fields; a 10,240-byte result stays under that.
 */
export const MAX_LINE = 512 * 1024

const statusOf = async (response: Awaited<ReturnType<typeof fetch>>) => {
  const body = await response.text().catch(() => '')
  return new ApiException(response.status, `reading the log failed: HTTP ${response.status}`, body, Object.fromEntries(response.headers))
}

/**
 * Calls onLine for every complete line of the log (timestamp prefix
 * included), in order, until the log ends or signal aborts. A line cut by a
 * dropped connection is not passed on: it comes again on the next read. A
 * last line without a newline at the end of a read that is not a follow is.
 */
export async function readLog (kc: KubeConfig, req: LogRequest, onLine: (line: string) => void, signal?: AbortSignal): Promise<void> {
  const cluster = kc.getCurrentCluster()
  if (!cluster) throw new Error('no current cluster in the kubeconfig')
  const url = new URL(`${cluster.server}/api/v1/namespaces/${encodeURIComponent(req.namespace)}/pods/${encodeURIComponent(req.pod)}/log`)
  url.searchParams.set('container', req.container)
  url.searchParams.set('timestamps', 'true')
  if (req.follow) url.searchParams.set('follow', 'true')
  // The API takes whole seconds (metav1.Time): log-cursor.ts skips the repeats.
  if (req.sinceTime) url.searchParams.set('sinceTime', req.sinceTime.toISOString().replace(/\.\d+Z$/, 'Z'))
  if (req.tailLines !== undefined) url.searchParams.set('tailLines', String(req.tailLines))
  if (req.limitBytes !== undefined) url.searchParams.set('limitBytes', String(req.limitBytes))
  const ctx = new RequestContext(url.toString(), HttpMethod.GET)
  await kc.applySecurityAuthentication(ctx)
  const response = await fetch(url, { headers: ctx.getHeaders(), dispatcher: ctx.getDispatcher() as never, signal })
  if (response.status !== 200 || !response.body) throw await statusOf(response)
  const decoder = new TextDecoder()
  let pending = ''
  for await (const chunk of response.body) {
    pending += decoder.decode(chunk as Uint8Array, { stream: true })
    let start = 0
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n', start)) {
      onLine(pending.slice(start, nl))
      start = nl + 1
    }
    pending = pending.slice(start)
    // A process writing to the container's stdout without newlines must not
    // grow this without bound: past MAX_LINE it is passed on as it is.
    if (pending.length > MAX_LINE) {
      onLine(pending)
      pending = ''
    }
  }
  pending += decoder.decode()
  if (pending !== '' && !req.follow) onLine(pending)
}
