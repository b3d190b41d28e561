/**
 * Fixtures of the conformance table (cases.ts): archives built here, byte for
 * byte the same on every run, and a loopback HTTP server that serves them and
 * records uploads. Start one server per test file; `{{base}}` in a case is its
 * URL (see materialize() in cases.ts).
 *
 *   GET  /file.txt          a plain file
 *   GET  /app.tgz|.tar|.zip  the same tree: app/, app/hello.txt, app/run.sh (mode 0755)
 *   GET  /layer.tar          layer/marker.txt
 *   GET  anything else       404
 *   POST /upload/NAME        201; the body is kept in `uploads` under "/upload/NAME"
 *   POST /reject/NAME        500
 */
import { createHash } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import { crc32, gzipSync } from 'node:zlib'

interface Entry { name: string, mode: number, body?: string }

const APP_TREE: Entry[] = [
  { name: 'app/', mode: 0o755 },
  { name: 'app/hello.txt', mode: 0o644, body: 'hello from the archive\n' },
  { name: 'app/run.sh', mode: 0o755, body: '#!/bin/sh\necho ran from the archive\n' }
]
const LAYER_TREE: Entry[] = [
  { name: 'layer/', mode: 0o755 },
  { name: 'layer/marker.txt', mode: 0o644, body: 'layer marker\n' }
]

/** A fixed time for every entry, so that archives (and their digests) never change. */
const MTIME = 1700000000

function tarHeader (e: Entry, size: number): Buffer {
  const h = Buffer.alloc(512)
  const field = (offset: number, length: number, value: string) => { h.write(value, offset, length, 'latin1') }
  const octal = (offset: number, length: number, n: number) => field(offset, length, n.toString(8).padStart(length - 1, '0') + '\0')
  field(0, 100, e.name)
  octal(100, 8, e.mode)
  octal(108, 8, 0)
  octal(116, 8, 0)
  octal(124, 12, size)
  octal(136, 12, MTIME)
  field(148, 8, '        ')
  field(156, 1, e.name.endsWith('/') ? '5' : '0')
  field(257, 6, 'ustar\0')
  field(263, 2, '00')
  let sum = 0
  for (const b of h) sum += b
  field(148, 8, sum.toString(8).padStart(6, '0') + '\0 ')
  return h
}

export function tar (entries: Entry[]): Buffer {
  const parts: Buffer[] = []
  for (const e of entries) {
    const body = Buffer.from(e.body ?? '', 'utf8')
    parts.push(tarHeader(e, body.length), body, Buffer.alloc((512 - body.length % 512) % 512))
  }
  parts.push(Buffer.alloc(1024))
  return Buffer.concat(parts)
}

/** A zip of stored (uncompressed) entries with Unix modes, which unzip and Go's archive/zip both apply. */
export function zip (entries: Entry[]): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  // 2023-11-14 00:00 in DOS date and time.
  const dosTime = 0
  const dosDate = ((2023 - 1980) << 9) | (11 << 5) | 14
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8')
    const body = Buffer.from(e.body ?? '', 'utf8')
    const crc = crc32(body)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(0, 6)
    local.writeUInt16LE(0, 8)
    local.writeUInt16LE(dosTime, 10)
    local.writeUInt16LE(dosDate, 12)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(body.length, 18)
    local.writeUInt32LE(body.length, 22)
    local.writeUInt16LE(name.length, 26)
    local.writeUInt16LE(0, 28)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE((3 << 8) | 20, 4)
    central.writeUInt16LE(20, 6)
    central.writeUInt16LE(0, 8)
    central.writeUInt16LE(0, 10)
    central.writeUInt16LE(dosTime, 12)
    central.writeUInt16LE(dosDate, 14)
    central.writeUInt32LE(crc, 16)
    central.writeUInt32LE(body.length, 20)
    central.writeUInt32LE(body.length, 24)
    central.writeUInt16LE(name.length, 28)
    const dir = e.name.endsWith('/')
    central.writeUInt32LE((((dir ? 0o040000 : 0o100000) | e.mode) << 16 | (dir ? 0x10 : 0)) >>> 0, 38)
    central.writeUInt32LE(offset, 42)
    locals.push(local, name, body)
    centrals.push(central, name)
    offset += local.length + name.length + body.length
  }
  const cd = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(cd.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, cd, end])
}

const appTar = tar(APP_TREE)

/** What the fixture server serves, by path. */
export const FILES: Record<string, Buffer> = {
  '/file.txt': Buffer.from('plain file contents\n'),
  '/app.tar': appTar,
  '/app.tgz': gzipSync(appTar),
  '/app.zip': zip(APP_TREE),
  '/layer.tar': tar(LAYER_TREE)
}

/** Hex digest of a served file, for checksum and digest fields of cases. */
export function digest (path: keyof typeof FILES & string, algorithm: 'md5' | 'sha1' | 'sha256' | 'sha512'): string {
  const body = FILES[path]
  if (!body) throw new Error(`no fixture ${path}`)
  return createHash(algorithm).update(body).digest('hex')
}

export interface Fixtures {
  /** http://127.0.0.1:PORT, without a trailing slash. */
  base: string
  /** Bodies received by POST /upload/NAME, by path, in arrival order. */
  uploads: Map<string, Buffer>
  close (): Promise<void>
}

export async function startFixtures (): Promise<Fixtures> {
  const uploads = new Map<string, Buffer>()
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://fixture').pathname
    const chunks: Buffer[] = []
    req.on('data', (d: Buffer) => chunks.push(d))
    req.on('end', () => {
      if (req.method === 'POST' && path.startsWith('/upload/')) {
        uploads.set(path, Buffer.concat(chunks))
        res.writeHead(201).end()
      } else if (req.method === 'POST' && path.startsWith('/reject/')) {
        res.writeHead(500).end('refused')
      } else if (req.method === 'GET' && FILES[path]) {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': FILES[path].length }).end(FILES[path])
      } else {
        res.writeHead(404).end('not found')
      }
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    base: `http://127.0.0.1:${port}`,
    uploads,
    close: () => new Promise<void>(resolve => { server.closeAllConnections(); server.close(() => resolve()) })
  }
}
