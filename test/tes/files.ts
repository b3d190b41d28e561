import { createServer, type Server } from 'node:http'

/**
 * A real HTTP server on loopback standing in for TES storage: GET /files/NAME
 * serves what `files` holds (404 otherwise; /slow/… never answers), and POST
 * or PUT anywhere stores the body under the path, as an output upload does.
 */
export async function startStorage (t: { teardown (fn: () => unknown): void }, files: Record<string, string | Buffer>) {
  const uploads = new Map<string, Buffer>()
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]
    if (req.method === 'GET') {
      if (path.startsWith('/slow/')) return
      const name = path.replace(/^\/files\//, '')
      const body = Object.hasOwn(files, name) ? files[name] : undefined
      if (body === undefined) return res.writeHead(404).end('no such file')
      return res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body)
    }
    const chunks: Buffer[] = []
    req.on('data', (d: Buffer) => chunks.push(d))
    req.on('end', () => { uploads.set(path, Buffer.concat(chunks)); res.writeHead(201).end() })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>(resolve => { server.closeAllConnections(); server.close(() => resolve()) }))
  const { port } = server.address() as { port: number }
  return { url: `http://127.0.0.1:${port}`, uploads }
}
