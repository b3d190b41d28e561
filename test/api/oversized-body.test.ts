/**
 * A body over the limit is answered 413 PAYLOAD_TOO_LARGE problem+json, and
 * the client sees that answer every time, however it sends: the rest of the
 * body is read and discarded (up to a bound) instead of the connection being
 * torn down under a client still sending, which then saw no answer at all.
 * Over real sockets on loopback; the server stays healthy throughout.
 */
import { connect, type Socket } from 'node:net'
import t, { type Test } from 'tap'
import { Agent, fetch as undiciFetch } from 'undici'
import { taskDefinition, testApp } from '../helpers/app.ts'
import { listen } from '../helpers/sse.ts'

const BODY_LIMIT = 1 << 20
const MB = 1024 * 1024
const ROUNDS = 3
const { app, pool } = await testApp(t, { bodyLimit: BODY_LIMIT })
const base = await listen(app)
const port = Number(new URL(base).port)

/** A body streamed in 64 KiB chunks with no Content-Length (chunked), as a client uploading from a stream does. */
function streamed (bytes: number): ReadableStream<Uint8Array> {
  const chunk = new Uint8Array(64 * 1024).fill(0x20)
  let sent = 0
  return new ReadableStream({
    pull (c) {
      if (sent >= bytes) return c.close()
      c.enqueue(chunk)
      sent += chunk.length
    }
  })
}

async function isProblem413 (t: Test, res: { status: number, headers: Headers, text (): Promise<string> }, why: string) {
  t.equal(res.status, 413, `413 for ${why}`)
  t.match(res.headers.get('content-type'), /^application\/problem\+json/, `problem+json for ${why}`)
  t.match(JSON.parse(await res.text()), { status: 413, code: 'PAYLOAD_TOO_LARGE', type: 'urn:taskbbs:problem:PAYLOAD_TOO_LARGE' }, `the problem body for ${why}`)
}

async function healthy (t: Test) {
  t.equal((await fetch(`${base}/healthz`)).status, 200, 'the server still answers /healthz')
  const def = taskDefinition()
  const res = await fetch(`${base}/v1/tasks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(def) })
  t.equal(res.status, 201, 'and still takes a valid task')
  await pool.query('DELETE FROM tasks WHERE guid = $1', [def.guid])
}

t.test('fetch over keep-alive: 8 MB and 100 MB bodies, buffered and streamed, get the 413 every time', async t => {
  const dispatcher = new Agent({ connections: 1, keepAliveTimeout: 30_000 })
  t.teardown(() => dispatcher.close())
  const failures: string[] = []
  for (const mb of [8, 100]) {
    for (const framing of ['content-length', 'chunked'] as const) {
      for (let i = 0; i < ROUNDS; i++) {
        const why = `${mb} MB ${framing} #${i + 1}`
        try {
          const res = await undiciFetch(`${base}/v1/tasks`, {
            method: 'POST',
            dispatcher,
            headers: { 'content-type': 'application/json' },
            body: framing === 'chunked' ? streamed(mb * MB) : Buffer.alloc(mb * MB, 0x20),
            duplex: 'half'
          })
          await isProblem413(t, res as unknown as Response, why)
        } catch (err) {
          const e = err as { cause?: { code?: string }, message: string }
          failures.push(`${why}: ${e.cause?.code ?? e.message}`)
        }
      }
    }
  }
  t.same(failures, [], `every one of ${4 * ROUNDS} uploads got an answer (before: EPIPE/ECONNRESET in some)`)
  await healthy(t)
})

t.test('any refusal sent before the body was read reaches the client the same way: 415 for an 8 MB body of another type', async t => {
  const dispatcher = new Agent({ connections: 1 })
  t.teardown(() => dispatcher.close())
  for (let i = 0; i < ROUNDS; i++) {
    const res = await undiciFetch(`${base}/v1/tasks`, { method: 'POST', dispatcher, headers: { 'content-type': 'text/plain' }, body: Buffer.alloc(8 * MB, 0x20) })
    t.equal(res.status, 415, `#${i + 1}: 415`)
    t.match(JSON.parse(await res.text()), { code: 'UNSUPPORTED_MEDIA_TYPE' })
  }
  await healthy(t)
})

/** Reads HTTP answers off a socket: status and body of each, in order. */
function answers (socket: Socket) {
  let buf = Buffer.alloc(0)
  const got: Array<{ status: number, headers: string, body: string }> = []
  const waiters: Array<() => void> = []
  socket.on('data', d => {
    buf = Buffer.concat([buf, d])
    for (;;) {
      const cut = buf.indexOf('\r\n\r\n')
      if (cut < 0) return
      const head = buf.subarray(0, cut).toString('latin1')
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0)
      if (buf.length < cut + 4 + length) return
      got.push({ status: Number(head.split(' ')[1]), headers: head, body: buf.subarray(cut + 4, cut + 4 + length).toString() })
      buf = buf.subarray(cut + 4 + length)
      for (const w of waiters.splice(0)) w()
    }
  })
  return {
    got,
    async next (n: number, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs
      while (got.length < n && Date.now() < deadline && !socket.destroyed) await new Promise<void>(resolve => { waiters.push(resolve); setTimeout(resolve, 50) })
      return got[n - 1]
    }
  }
}

/** Waits until the socket takes more, or closes. */
function drained (socket: Socket): Promise<void> {
  return new Promise(resolve => {
    const done = () => { socket.off('drain', done); socket.off('close', done); resolve() }
    socket.on('drain', done)
    socket.on('close', done)
  })
}

async function send (socket: Socket, data: Buffer) {
  for (let off = 0; off < data.length; off += 256 * 1024) {
    if (socket.destroyed) throw new Error(`connection closed after ${off} of ${data.length} bytes`)
    if (!socket.write(data.subarray(off, off + 256 * 1024))) await drained(socket)
  }
}

t.test('a client that sends its whole body before reading gets the 413, and its connection serves the next request', async t => {
  for (const mb of [8, 100]) {
    const socket = connect(port, '127.0.0.1')
    t.teardown(() => socket.destroy())
    await new Promise(resolve => socket.once('connect', resolve))
    let error = ''
    socket.on('error', err => { error = (err as NodeJS.ErrnoException).code ?? err.message })
    const rx = answers(socket)
    await send(socket, Buffer.from(`POST /v1/tasks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${mb * MB}\r\n\r\n`))
    await send(socket, Buffer.alloc(mb * MB, 0x20))
    const first = await rx.next(1)
    t.equal(first?.status, 413, `${mb} MB: 413 after the whole body was sent ${error ? `(socket error ${error})` : ''}`)
    t.match(first?.headers, /content-type: application\/problem\+json/i)
    t.match(JSON.parse(first?.body ?? '{}'), { code: 'PAYLOAD_TOO_LARGE' })
    // The same connection, once the body was read to its end, takes another request.
    const def = JSON.stringify(taskDefinition({ guid: `after-${mb}mb` }))
    await send(socket, Buffer.from(`POST /v1/tasks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(def)}\r\n\r\n${def}`))
    t.equal((await rx.next(2))?.status, 201, `${mb} MB: the next request on the same connection is served`)
    socket.destroy()
  }
  await healthy(t)
})

t.test('a client that asked for connection: close gets the 413, its whole body is read, then the connection is closed', async t => {
  // allowHalfOpen: the client goes on sending after the server's FIN, as one that sends before it reads does.
  const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true })
  t.teardown(() => socket.destroy())
  await new Promise(resolve => socket.once('connect', resolve))
  let error = ''
  socket.on('error', err => { error = (err as NodeJS.ErrnoException).code ?? err.message })
  const rx = answers(socket)
  const serverEnded = new Promise(resolve => socket.once('end', resolve))
  await send(socket, Buffer.from(`POST /v1/tasks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: ${8 * MB}\r\n\r\n`))
  await send(socket, Buffer.alloc(8 * MB, 0x20))
  socket.end()
  await serverEnded
  const first = await rx.next(1)
  t.equal(first?.status, 413, '413')
  t.match(first?.headers, /connection: close/i, 'saying the connection closes')
  await new Promise(resolve => setTimeout(resolve, 100))
  t.equal(error, '', 'no reset, no broken pipe: the server read the whole body before closing (before: EPIPE after 4 MiB)')
  await healthy(t)
})

t.test('the discarded rest is bounded: past the byte bound or a silent client, the connection is closed', async t => {
  const bounded = await testApp(t, { bodyLimit: BODY_LIMIT, unreadBody: { maxBytes: 4 * MB, idleMs: 300 } })
  const boundedPort = Number(new URL(await listen(bounded.app)).port)

  // 64 MB announced: the answer comes first, then the connection closes after about 4 MB more.
  const big = connect(boundedPort, '127.0.0.1')
  t.teardown(() => big.destroy())
  big.on('error', () => {})
  await new Promise(resolve => big.once('connect', resolve))
  const rx = answers(big)
  const closed = new Promise(resolve => big.once('close', resolve))
  let sent = 0
  big.write(`POST /v1/tasks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${64 * MB}\r\n\r\n`)
  const chunk = Buffer.alloc(256 * 1024, 0x20)
  while (!big.destroyed && sent < 64 * MB) {
    if (!big.write(chunk)) await drained(big)
    sent += chunk.length
  }
  await closed
  t.equal(rx.got[0]?.status, 413, 'the 413 arrived before the close')
  t.ok(sent < 64 * MB, `the server closed the connection part way (${(sent / MB).toFixed(1)} of 64 MB written)`)

  // A client that announces a body and stops sending is closed after the idle bound.
  const silent = connect(boundedPort, '127.0.0.1')
  t.teardown(() => silent.destroy())
  silent.on('error', () => {})
  await new Promise(resolve => silent.once('connect', resolve))
  const rx2 = answers(silent)
  const started = Date.now()
  const closed2 = new Promise(resolve => silent.once('close', resolve))
  silent.write(`POST /v1/tasks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${8 * MB}\r\n\r\n`)
  silent.write(Buffer.alloc(64 * 1024, 0x20))
  await closed2
  t.equal(rx2.got[0]?.status, 413, 'answered 413')
  t.ok(Date.now() - started < 5000, `closed ${Date.now() - started} ms after it stopped sending (idle bound 300 ms)`)
})
