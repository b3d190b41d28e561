import { createHmac, timingSafeEqual } from 'node:crypto'
import type { components } from '../generated/taskbbs.ts'

export type TaskCallback = components['schemas']['TaskCallback']

/** Standard Webhooks' window: older or newer messages are refused as replays. */
export const CALLBACK_TOLERANCE_S = 5 * 60

export class InvalidSignatureError extends Error {
  override readonly name = 'InvalidSignatureError'
  readonly code = 'INVALID_SIGNATURE'
}

type Headers = Record<string, string | string[] | undefined> | { get (name: string): string | null }

function header (headers: Headers, name: string): string | undefined {
  const value = typeof headers.get === 'function' ? (headers as { get (n: string): string | null }).get(name) : (headers as Record<string, string | string[] | undefined>)[name]
  return Array.isArray(value) ? value[0] : value ?? undefined
}

/**
 * A completion callback's body, parsed, when its Standard Webhooks headers
 * (webhook-id, webhook-timestamp, webhook-signature "v1,<base64 HMAC-SHA256 of
 * id.timestamp.body>") sign `body`, the raw bytes received, with the server's
 * TASKBBS_CALLBACK_SIGNING_SECRET (`whsec_` + base64 key); else InvalidSignatureError.
 * `headers`: Node's IncomingHttpHeaders (lower-case names) or a fetch Headers.
 */
export function verifyCallback (secret: string, body: string | Uint8Array, headers: Headers, now: Date = new Date()): TaskCallback {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64')
  const id = header(headers, 'webhook-id')
  const timestamp = header(headers, 'webhook-timestamp')
  const signatures = header(headers, 'webhook-signature')
  if (!id || !timestamp || !/^\d+$/.test(timestamp) || !signatures) throw new InvalidSignatureError('missing or malformed webhook-id, webhook-timestamp or webhook-signature')
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > CALLBACK_TOLERANCE_S) throw new InvalidSignatureError('webhook-timestamp is too far from now')
  const raw = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(raw).digest()
  for (const signature of signatures.split(' ')) {
    const [version, value] = signature.split(',')
    if (version !== 'v1' || value === undefined) continue
    const given = Buffer.from(value, 'base64')
    if (given.length === expected.length && timingSafeEqual(given, expected)) return JSON.parse(raw.toString('utf8')) as TaskCallback
  }
  throw new InvalidSignatureError('no signature matches')
}
