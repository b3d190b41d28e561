import { createHmac } from 'node:crypto'

/**
 * Standard Webhooks signatures (webhook-id, webhook-timestamp,
 * webhook-signature "v1,<base64 HMAC-SHA256>"), so that consumers can verify
 * with any Standard Webhooks library. The secret is `whsec_` + base64 key bytes.
 */
export function parseSigningSecret (secret: string): Buffer {
  const body = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret
  const key = Buffer.from(body, 'base64')
  if (key.length < 16) throw new Error('the signing secret must be "whsec_" followed by at least 16 base64-encoded bytes')
  return key
}

export function signatureHeaders (key: Buffer, messageId: string, body: string, now: Date = new Date()): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000).toString()
  const signature = createHmac('sha256', key).update(`${messageId}.${timestamp}.${body}`).digest('base64')
  return { 'webhook-id': messageId, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` }
}
