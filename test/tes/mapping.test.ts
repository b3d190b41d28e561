/**
 * The TES → Diego mapping's pure parts: image references as root_fs, exit
 * codes read from failure reasons, and the largest TES task the schema admits
 * still becoming a definition that every desire's schema and rules accept.
 */
import t from 'tap'
import { ActionSchema } from '../../src/domain/action.ts'
import { TaskDefinition } from '../../src/domain/task-definition.ts'
import { definitionErrors } from '../../src/domain/validate.ts'
import { buildValidatorCompiler } from '../../src/api/validation.ts'
import { rootFsOfTesImage } from '../../src/tes/image.ts'
import type { TesTaskCreate } from '../../src/tes/schemas.ts'
import { toDefinition } from '../../src/tes/to-definition.ts'
import { exitCodeOf } from '../../src/tes/view.ts'

t.test('a TES image becomes a docker root_fs with the registry as host and the tag or digest as fragment', async t => {
  const digest = 'sha256:' + 'a'.repeat(64)
  const cases: Array<[string, string | undefined]> = [
    ['ubuntu', 'docker:///library/ubuntu#latest'],
    ['ubuntu:24.04', 'docker:///library/ubuntu#24.04'],
    ['biocontainers/samtools:1.19', 'docker:///biocontainers/samtools#1.19'],
    ['quay.io/aptible/ubuntu', 'docker://quay.io/aptible/ubuntu#latest'],
    ['gcr.io/my-org/my-image', 'docker://gcr.io/my-org/my-image#latest'],
    ['myregistryhost:5000/fedora/httpd:version1.0', 'docker://myregistryhost:5000/fedora/httpd#version1.0'],
    ['localhost/tool:dev', 'docker://localhost/tool#dev'],
    [`quay.io/org/tool@${digest}`, `docker://quay.io/org/tool#${digest}`],
    ['UPPER/case', undefined],
    ['tool@sha256:short', undefined],
    ['tool:bad tag', undefined],
    ['tool:', undefined]
  ]
  for (const [image, rootFs] of cases) t.equal(rootFsOfTesImage(image), rootFs, image)
})

t.test('exit codes come from the failure reason: status n, 128 + signal number, else -1', async t => {
  t.equal(exitCodeOf('run sh: exited with status 3'), 3)
  t.equal(exitCodeOf('run sleep: killed by SIGKILL'), 137)
  t.equal(exitCodeOf('run sleep: killed by SIGTERM'), 143)
  t.equal(exitCodeOf('run nope: could not start: ENOENT'), -1)
  t.equal(exitCodeOf('container step-1 exited with status 2'), 2)
})

t.test('the largest TES task the schema admits maps to a definition the desire schema and rules accept', async t => {
  const validate = buildValidatorCompiler([ActionSchema, TaskDefinition])({ schema: { $ref: 'TaskDefinition' }, httpPart: 'body', method: 'POST', url: '' }) as
    ((d: unknown) => boolean) & { errors?: unknown }
  const exec = (i: number) => ({
    image: 'quay.io/org/tool:1',
    command: Array.from({ length: 1000 }, (_, j) => `arg-${i}-${j}`),
    workdir: '/work',
    stdin: '/in/0',
    stdout: '/out/stdout',
    stderr: '/out/stderr',
    env: Object.fromEntries(Array.from({ length: 1024 }, (_, j) => [`V${j}`, 'x'])),
    ignore_error: i % 2 === 0
  })
  const task: TesTaskCreate = {
    name: 'n'.repeat(1024),
    inputs: Array.from({ length: 64 }, (_, i) => i % 2
      ? { url: `https://example.org/in/${i}`, path: `/in/${i}`, type: 'DIRECTORY' as const }
      : { content: '€'.repeat(128 * 1024), path: `/in/${i}` }),
    outputs: Array.from({ length: 64 }, (_, i) => ({ url: `https://example.org/out/${i}`, path: `/out/${i}` })),
    volumes: Array.from({ length: 64 }, (_, i) => `/vol/${i}`),
    resources: { cpu_cores: 4, ram_gb: 2097151, disk_gb: 2097151, preemptible: true, zones: ['z1'], backend_parameters: { a: 'b' } },
    executors: Array.from({ length: 64 }, (_, i) => exec(i))
  }
  const mapped = toDefinition(task, 'guid-1', 'tes')
  if (!('definition' in mapped)) throw new Error(JSON.stringify(mapped.errors))
  t.ok(validate(mapped.definition), JSON.stringify(validate.errors)?.slice(0, 2000))
  t.same(definitionErrors(mapped.definition, { allowPrivileged: false }), [])
  t.equal(mapped.definition.root_fs, 'docker://quay.io/org/tool#1')
})

t.test('content is written in pieces that together are the content, split between characters', async t => {
  const content = 'ab€'.repeat(20000)
  const mapped = toDefinition({ inputs: [{ content, path: '/x' }], executors: [{ image: 'busybox', command: ['true'] }] }, 'g', 'd')
  if (!('definition' in mapped)) throw new Error('refused')
  const run = JSON.parse(JSON.stringify(mapped.definition.action)).serial.actions[0].serial.actions[0].emit_progress.action.run
  const pieces: string[] = run.args.slice(4)
  t.ok(pieces.length > 1)
  t.equal(pieces.join(''), content)
})
