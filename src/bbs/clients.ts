import type { TLSSocket } from 'node:tls'
import type { FastifyRequest } from 'fastify'
import type { BbsClient } from '../config/bbs-clients.ts'
import type { Grant } from '../config/tokens.ts'
import { TaskbbsError } from '../domain/errors.ts'

export type { BbsClient } from '../config/bbs-clients.ts'

/**
 * Who a BBS request over mutual TLS comes from. The TLS handshake already
 * refused certificates the client CA did not sign; this decides what a signed
 * one may do. The grant reuses the bearer-token machinery: scope checks are the
 * JSON API's, so another domain's tasks are as absent over BBS as over JSON.
 */
export function certificateIdentity (clients: readonly BbsClient[]) {
  const byName = new Map(clients.map(c => [c.common_name, c]))
  return (request: FastifyRequest): Grant | TaskbbsError => {
    const socket = request.raw.socket as TLSSocket
    const cert = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined
    const cn = cert?.subject?.CN
    const name = Array.isArray(cn) ? cn[0] : cn
    if (!socket.authorized || !name) return new TaskbbsError('UNAUTHORIZED', 'this BBS listener needs a client certificate signed by its client CA')
    if (clients.length === 0) return { name, role: 'write', domains: '*', digest: Buffer.alloc(32) }
    const client = byName.get(name)
    if (!client) return new TaskbbsError('UNAUTHORIZED', `the client certificate ${JSON.stringify(name)} is not in TASKBBS_BBS_CLIENTS`)
    return { name, role: 'write', domains: client.domains, digest: Buffer.alloc(32) }
  }
}

/** The plain listener (development only): every domain, as the JSON API without tokens. */
export const DEVELOPMENT_IDENTITY = (): Grant => ({ name: 'development (plain BBS)', role: 'write', domains: '*', digest: Buffer.alloc(32) })
