/**
 * The callback signing secret of TASKBBS_CALLBACK_SIGNING_SECRET: Standard
 * Webhooks' `whsec_` + base64 key bytes. Decoded while the configuration is
 * read, so a bad secret stops the server before anything starts, naming the
 * variable.
 */
export const MIN_SIGNING_KEY_BYTES = 16

export function decodeSigningSecret (secret: string): { key?: Buffer, problem?: string } {
  const body = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret
  const key = Buffer.from(body, 'base64')
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body) || key.length < MIN_SIGNING_KEY_BYTES) {
    return { problem: `TASKBBS_CALLBACK_SIGNING_SECRET must be "whsec_" followed by at least ${MIN_SIGNING_KEY_BYTES} base64-encoded bytes (e.g. "whsec_" + the output of: openssl rand -base64 32)` }
  }
  return { key }
}
