import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'

export interface Received { at: number, headers: IncomingHttpHeaders, body: string }

/**
 * A real HTTP server on loopback that answers callbacks from a script: each
 * request takes the next step (a status, or 'hang' to never answer); the last
 * step repeats.
 */
export async function startReceiver (t: { teardown (fn: () => unknown): void }, steps: Array<number | 'hang'>) {
  const received: Received[] = []
  const waiters: Array<() => void> = []
  const server: Server = createServer((req, res) => {
    let body = ''
    req.on('data', d => { body += d })
    req.on('end', () => {
      const step = steps[Math.min(received.length, steps.length - 1)]
      received.push({ at: Date.now(), headers: req.headers, body })
      for (const w of waiters.splice(0)) w()
      if (step === 'hang') return
      res.writeHead(step, step >= 300 && step < 400 ? { location: '/redirected' } : {}).end(`status ${step}`)
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>(resolve => { server.closeAllConnections(); server.close(() => resolve()) }))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}/callback`,
    received,
    async waitFor (n: number, timeoutMs = 15000) {
      const deadline = Date.now() + timeoutMs
      while (received.length < n) {
        if (Date.now() > deadline) throw new Error(`receiver got ${received.length} requests, expected ${n}`)
        await new Promise<void>(resolve => { waiters.push(resolve); setTimeout(resolve, 50) })
      }
    }
  }
}

/** A loopback port with nothing listening. */
export async function closedPort (): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>(resolve => server.close(() => resolve()))
  return port
}
