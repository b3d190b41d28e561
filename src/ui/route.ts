import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

const JS = 'text/javascript; charset=utf-8'

/** The dashboard's files, read once at start: a page, a stylesheet and plain JS modules, no build step. */
const ASSETS: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
  'app.js': JS,
  'api.js': JS,
  'detail.js': JS,
  'dom.js': JS,
  'list.js': JS,
  'state.js': JS,
  'stream.js': JS
}

// The page talks to this server only; nothing inline, no framing by other sites.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

/**
 * GET /ui: the dashboard. Public like /docs — the page holds no data; it asks
 * for a token and sends it on every API call, so auth stays with the API routes.
 */
export function uiRoutes () {
  const files = new Map(Object.entries(ASSETS).map(([name, type]) => {
    const body = readFileSync(new URL(name, import.meta.url))
    return [name, { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"` }]
  }))
  return async function (app: FastifyInstance) {
    const serve = (name: string) => async (request: FastifyRequest, reply: FastifyReply) => {
      const file = files.get(name)!
      reply.header('content-security-policy', CSP).header('x-content-type-options', 'nosniff')
        .header('cache-control', 'no-cache').header('etag', file.etag)
      if (request.headers['if-none-match'] === file.etag) return reply.code(304).send()
      return reply.type(file.type).send(file.body)
    }
    const options = { schema: { hide: true }, config: { access: 'public' as const } }
    app.get('/ui', options, serve('index.html'))
    for (const name of Object.keys(ASSETS)) if (name !== 'index.html') app.get(`/ui/${name}`, options, serve(name))
  }
}
