/**
 * The container files, checked without a Docker engine: docker-compose.yml
 * parsed as YAML, the Dockerfile read line by line, and the sources' imports
 * against the dependencies an image installs (production ones only).
 */
import { readFile, readdir, stat } from 'node:fs/promises'
import { builtinModules } from 'node:module'
import t from 'tap'
import YAML from 'yaml'
import { ConfigSchema } from '../../src/config/schema.ts'

const root = new URL('../../', import.meta.url)
const read = (path: string) => readFile(new URL(path, root), 'utf8')
const pkg = JSON.parse(await read('package.json')) as { dependencies: Record<string, string>, devDependencies: Record<string, string> }

interface Service {
  image?: string
  build?: unknown
  environment?: Record<string, string | number | boolean>
  healthcheck?: { test: string[] | string, interval?: string, retries?: number }
  depends_on?: Record<string, { condition: string }>
  ports?: string[]
  stop_grace_period?: string
}
const compose = YAML.parse(await read('docker-compose.yml'), { strict: true, uniqueKeys: true }) as { services: Record<string, Service>, volumes?: Record<string, unknown> }

t.test('docker-compose.yml has a postgres 17/18 and a taskbbs service, each with a healthcheck', async t => {
  const { postgres, taskbbs } = compose.services
  t.ok(postgres, 'postgres service')
  t.ok(taskbbs, 'taskbbs service')
  t.match(postgres.image, /^postgres:(17|18)(\b|$)/)
  t.match(JSON.stringify(postgres.healthcheck?.test), /pg_isready/)
  t.match(JSON.stringify(taskbbs.healthcheck?.test), /\/readyz/)
  t.ok(taskbbs.build, 'taskbbs is built from this Dockerfile')
})

t.test('taskbbs starts only once postgres is healthy', async t => {
  t.same(compose.services.taskbbs.depends_on, { postgres: { condition: 'service_healthy' } })
})

t.test("taskbbs's environment uses only variables the config schema knows, production-shaped", async t => {
  const env = compose.services.taskbbs.environment ?? {}
  const known = new Set(Object.keys(ConfigSchema.properties))
  for (const name of Object.keys(env)) t.ok(known.has(name), `${name} is a taskbbs variable`)
  t.equal(env.TASKBBS_MODE, 'production')
  t.equal(env.TASKBBS_HOST, '0.0.0.0')
  t.match(String(env.TASKBBS_TOKENS), /^\$\{TASKBBS_TOKENS:\?/, 'tokens come from the operator, and compose refuses to start without them')
  const db = new URL(String(env.DATABASE_URL))
  const pgEnv = compose.services.postgres.environment ?? {}
  t.equal(db.hostname, 'postgres', 'DATABASE_URL names the postgres service')
  t.equal(db.username, pgEnv.POSTGRES_USER)
  t.equal(db.password, pgEnv.POSTGRES_PASSWORD)
  t.equal(db.pathname, `/${pgEnv.POSTGRES_DB}`)
  t.ok(compose.services.taskbbs.ports?.some(p => p.endsWith(`:${env.TASKBBS_PORT}`)), 'the published port is TASKBBS_PORT')
  const grace = Number(compose.services.taskbbs.stop_grace_period?.replace(/s$/, ''))
  t.ok(grace > Number(env.TASKBBS_SHUTDOWN_TIMEOUT ?? 30), 'docker waits longer than the drain before SIGKILL')
})

const dockerfile = await read('Dockerfile')
const instructions = dockerfile.replace(/\\\n/g, ' ').split('\n').map(l => l.trim()).filter(l => l && !l.startsWith('#'))
const stages = instructions.filter(l => /^FROM /i.test(l))

t.test('the Dockerfile is multi-stage on a Node 24 base, installs production dependencies only, runs as non-root', async t => {
  t.ok(stages.length >= 2, 'at least two stages')
  t.match(dockerfile, /ARG NODE_IMAGE=node:24-(slim|alpine|bookworm-slim)/)
  t.ok(instructions.some(l => /^RUN npm ci --omit=dev\b/.test(l)), 'npm ci --omit=dev')
  const final = instructions.slice(instructions.lastIndexOf(stages.at(-1) as string))
  const user = final.filter(l => /^USER /i.test(l)).at(-1)
  t.ok(user && !/^USER (root|0)\b/.test(user), `the last USER is not root: ${user}`)
  t.match(final.join('\n'), /TASKBBS_HOST=0\.0\.0\.0/)
  t.equal(final.filter(l => /^CMD /.test(l)).at(-1), 'CMD ["node", "src/server.ts"]', 'the production start command')
  t.match(final.join('\n'), /HEALTHCHECK .*\/readyz/)
})

t.test('a Go stage builds the static taskbbs-runner, and the final image carries it at /usr/local/bin/taskbbs-runner', async t => {
  const args = Object.fromEntries(instructions.flatMap(l => {
    const m = /^ARG (\w+)=(\S+)$/.exec(l)
    return m ? [[m[1], m[2]]] : []
  }))
  const fromImage = (line: string) => line.split(/\s+/)[1].replace(/^\$\{(\w+)\}$/, (_, name: string) => args[name] ?? '')
  const runnerStage = stages.find(l => / AS runner$/i.test(l))
  t.ok(runnerStage, 'a stage named runner')
  if (!runnerStage) return
  t.match(fromImage(runnerStage), /^golang:1\.(2[6-9]|[3-9]\d)(\b|$)/, 'on golang:1.26 or later')
  t.not(runnerStage, stages.at(-1), 'the Go toolchain stays out of the final image')
  const start = instructions.indexOf(runnerStage)
  const next = instructions.findIndex((l, i) => i > start && /^FROM /i.test(l))
  const body = instructions.slice(start + 1, next).join('\n')
  t.match(body, /CGO_ENABLED=0/, 'built without cgo, so it runs in any task image')
  t.match(body, /COPY runner\/? /, 'from runner/')
  t.match(body, /build\.sh \/out\/taskbbs-runner|go build .*-o \/out\/taskbbs-runner/, 'the binary is built')
  const final = instructions.slice(instructions.lastIndexOf(stages.at(-1) as string))
  t.ok(final.includes('COPY --from=runner /out/taskbbs-runner /usr/local/bin/taskbbs-runner'), 'copied into the final image')
  await t.resolves(stat(new URL('runner/build.sh', root)), 'runner/build.sh exists')
  await t.resolves(stat(new URL('runner/go.mod', root)), 'runner/go.mod exists')
})

t.test('everything the Dockerfile copies exists and is not excluded by .dockerignore', async t => {
  const ignored = (await read('.dockerignore')).split('\n').map(l => l.trim()).filter(l => l && !l.startsWith('#'))
  for (const line of instructions.filter(l => /^COPY /.test(l) && !l.includes('--from='))) {
    const sources = line.split(/\s+/).slice(1, -1)
    for (const src of sources) {
      await t.resolves(stat(new URL(src, root)), `${src} exists`)
      t.notOk(ignored.includes(src), `${src} is not in .dockerignore`)
    }
  }
  for (const heavy of ['node_modules', '.git', 'test']) t.ok(ignored.includes(heavy), `${heavy} stays out of the build context`)
})

async function sources (dir: URL): Promise<URL[]> {
  const out: URL[] = []
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const u = new URL(e.name + (e.isDirectory() ? '/' : ''), dir)
    if (e.isDirectory()) out.push(...await sources(u))
    else if (e.name.endsWith('.ts')) out.push(u)
  }
  return out
}

t.test('the server imports only production dependencies: it runs in the image without dev ones (the `node` package included)', async t => {
  const builtins = new Set(builtinModules)
  const missing: string[] = []
  for (const file of await sources(new URL('src/', root))) {
    const text = await readFile(file, 'utf8')
    for (const m of text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+'([^'.][^']*)'|import\('([^'.][^']*)'\)/gm)) {
      const spec = m[1] ?? m[2]
      if (spec.startsWith('node:') || builtins.has(spec)) continue
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]
      if (!(name in pkg.dependencies)) missing.push(`${file.pathname.split('/src/')[1]}: ${name}`)
    }
  }
  t.same(missing, [], 'every package src/ imports is a dependency, not a devDependency')
  t.ok('node' in pkg.devDependencies && !('node' in pkg.dependencies), 'the npm `node` package is dev-only')
})
