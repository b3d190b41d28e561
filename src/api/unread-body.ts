import type { FastifyInstance } from 'fastify'
import type { IncomingMessage, ServerResponse } from 'node:http'

/**
 * Bytes of a refused request's body read and thrown away after the answer
 * before the connection is closed. Reading is cheap; a client that sends its
 * whole body before it reads (many do) needs all of it read to see the answer.
 */
export const UNREAD_BODY_MAX_BYTES = 128 * 1024 * 1024
/** And for how long at most, as nginx's lingering_time. */
export const UNREAD_BODY_MAX_MS = 30_000
/** Without a byte arriving for this long the client is gone, as nginx's lingering_timeout. */
export const UNREAD_BODY_IDLE_MS = 5_000

export interface UnreadBodyLimits { maxBytes: number, maxMs: number, idleMs: number }

/**
 * Answers sent before the request body arrived whole (413 for a body over the
 * limit, also 401/403/415/429 refused before reading it) let the client finish
 * sending: the rest is read and discarded up to a bound, then the connection
 * stays open for the next request (its framing is intact), or is closed past
 * the bound. A client that asked for `connection: close` gets the answer and
 * a FIN, and the socket is destroyed once the rest of its body is in.
 *
 * Why: fastify marks such answers `connection: close`, and Node destroys the
 * socket as soon as the answer is written. The client's bytes still arriving
 * at a closed socket make the kernel send RST, and a client that had not yet
 * read the answer loses it: it sees the connection torn down mid-upload
 * (EPIPE/ECONNRESET), cannot tell a refusal from a crash, and may send the
 * same oversized request again. This is nginx's "lingering close", done at the
 * request level so that the connection can even be kept.
 */
export function registerUnreadBodyDrain (app: FastifyInstance, given: Partial<UnreadBodyLimits> = {}): void {
  const limits: UnreadBodyLimits = { maxBytes: UNREAD_BODY_MAX_BYTES, maxMs: UNREAD_BODY_MAX_MS, idleMs: UNREAD_BODY_IDLE_MS, ...given }
  app.addHook('onSend', async (request, reply, payload) => {
    const req = request.raw
    // `complete` is undefined for inject()ed requests, which have no socket to drain.
    if (req.complete !== false || req.readableEnded || req.destroyed) return payload
    // A closing server says `connection: close` on purpose: it must not wait for uploads.
    if (reply.statusCode === 503) return payload
    // The connection stays usable once the rest is read, unless the client asked to close it.
    if (reply.raw.shouldKeepAlive) {
      if (String(reply.getHeader('connection') ?? '').toLowerCase() === 'close') reply.removeHeader('connection')
    } else {
      reply.header('connection', 'close')
    }
    drain(req, reply.raw, limits)
    return payload
  })
}

function drain (req: IncomingMessage, res: ServerResponse, limits: UnreadBodyLimits): void {
  const socket = req.socket
  // A client that asked for `connection: close` (or speaks HTTP/1.0) gets it, but
  // only once the rest of its body is in: Node ends the connection with
  // destroySoon() after the answer, which would destroy it under the upload. Here
  // it half-closes instead (the answer, then FIN) and the socket is destroyed when
  // the body has ended or a bound has passed.
  const closing = !res.shouldKeepAlive
  const destroySoon = socket.destroySoon.bind(socket)
  let answered = false
  if (closing) {
    socket.destroySoon = () => {
      answered = true
      if (req.readableEnded) destroySoon()
      else socket.end()
    }
  }
  let read = 0
  const close = () => { done(); socket.destroy() }
  const total = setTimeout(close, limits.maxMs)
  const idle = setTimeout(close, limits.idleMs)
  total.unref()
  idle.unref()
  function done () {
    clearTimeout(total)
    clearTimeout(idle)
    req.removeListener('data', onData)
    req.removeListener('end', ended)
    req.removeListener('close', done)
  }
  function ended () {
    done()
    if (closing && answered) destroySoon()
  }
  function onData (chunk: Buffer) {
    read += chunk.length
    if (read > limits.maxBytes) return close()
    idle.refresh()
  }
  // A body parser that gave up part way removed its own listeners and left the stream flowing.
  req.on('data', onData)
  req.once('end', ended)
  req.once('close', done)
  req.resume()
}
