#!/usr/bin/env node
// The taskbbs CLI. A .ts file run by Node 24's type stripping: start it with
// `npm exec taskbbs -- …` or `npx taskbbs …` (which put the project's Node 24,
// node_modules/.bin/node, first on PATH), or `node bin/taskbbs.ts` with Node ≥ 24.
import { main } from '../src/cli/main.ts'

const controller = new AbortController()
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => controller.abort())
}
const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, signal: controller.signal })
// Let buffered output reach a pipe before exiting.
process.exitCode = code
if (controller.signal.aborted) process.exit(code)
