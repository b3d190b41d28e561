import { createHmac } from 'node:crypto'
import { decodeSigningSecret } from '../config/signing-secret.ts'

/**
 * Standard Webhooks signatures (webhook-id, webhook-timestamp,
 * webhook-signature "v1,<base64 HMAC-SHA256>"), so that consumers can verify
 * with any Standard Webhooks library. The secret is `whsec_` + base64 key bytes.
 */
export function parseSigningSecret (secret: string): Buffer {
  const { key, problem } = decodeSigningSecret(secret)
  if (!key) throw new Error(problem)
  return key
}

export function signatureHeaders (key: Buffer, messageId: string, body: string, now: Date = new Date()): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000).toString()
  const signature = createHmac('sha256', key).update(`${messageId}.${timestamp}.${body}`).digest('base64')
  return { 'webhook-id': messageId, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` }
}
