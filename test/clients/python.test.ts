/**
 * The Python client as a user installs it: `pip install ./clients/python` into
 * a fresh venv (its dependencies from the package index), then the example,
 * copied out of the checkout so that only the installed package can be
 * imported, runs the client scenario against a real server.
 */
import { copyFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { CLIENTS, clientScenario, exec } from './scenario.ts'

const python = await exec('python3', ['-c', 'import sys; print(sys.version_info >= (3, 11))']).then(r => r.stdout.trim(), () => 'missing')
if (python !== 'True') {
  t.plan(0, `the Python client needs python3 3.11 or newer with venv (python3: ${python === 'missing' ? 'not found' : 'too old'})`)
} else {
  await clientScenario(t, 'python', async dir => {
    await exec('python3', ['-m', 'venv', join(dir, 'venv')])
    await exec(join(dir, 'venv/bin/pip'), ['install', '--quiet', '--disable-pip-version-check', `${CLIENTS}python`], { maxBuffer: 16 << 20 })
    await copyFile(`${CLIENTS}python/example.py`, join(dir, 'example.py'))
    return { file: join(dir, 'venv/bin/python'), args: ['example.py', 'python-client-test'], cwd: dir }
  })
}
