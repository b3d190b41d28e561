/**
 * The TaskDefinition fields BBS has and the JSON API once refused as unknown:
 * network, certificate_properties, log_rate_limit, metric_tags,
 * volume_mounted_files (task and run action) and legacy_download_user. Each is
 * accepted, stored and returned as sent, and each bad value is a 422 naming it.
 */
import t, { type Test } from 'tap'
import { taskDefinition, testApp } from '../helpers/app.ts'

const { app } = await testApp(t)

const fields = {
  network: { properties: { app_id: 'app-1', 'policy.group': 'g' } },
  certificate_properties: { organizational_unit: ['app:1', 'space:2'] },
  log_rate_limit: { bytes_per_second: 4096 },
  metric_tags: { source_id: { static: 'm-1' }, instance_id: { dynamic: 'INSTANCE_GUID' }, index: { dynamic: 'INDEX' } },
  volume_mounted_files: [{ path: 'binding/username', content: 'admin' }, { path: 'empty', content: '' }],
  legacy_download_user: 'vcap'
}

t.test('accepted, stored and returned as sent', async t => {
  const def = taskDefinition({ ...fields, action: { run: { path: 'true', user: 'root', volume_mounted_files: [{ path: 'run/file', content: 'x' }] } } })
  const res = await app.inject({ method: 'POST', url: '/v1/tasks', payload: def })
  t.equal(res.statusCode, 201, res.body)
  t.has(res.json(), fields)
  const got = await app.inject({ url: `/v1/tasks/${def.guid as string}` })
  t.has(got.json(), { ...fields, action: { run: { volume_mounted_files: [{ path: 'run/file', content: 'x' }] } } })
})

t.test('log_rate_limit -1 (no limit) and 0 (nothing) are both limits BBS knows', async t => {
  for (const bytes of [-1, 0]) {
    const res = await app.inject({ method: 'POST', url: '/v1/tasks', payload: taskDefinition({ log_rate_limit: { bytes_per_second: bytes } }) })
    t.equal(res.statusCode, 201, `bytes_per_second ${bytes}`)
  }
})

async function refused (t: Test, extra: Record<string, unknown>, field: string) {
  const res = await app.inject({ method: 'POST', url: '/v1/tasks', payload: taskDefinition(extra) })
  t.equal(res.statusCode, 422, `${JSON.stringify(extra)}: ${res.body}`)
  const errors = (res.json() as { errors: Array<{ field: string }> }).errors
  t.ok(errors.some(e => e.field === field), `names ${field}: ${JSON.stringify(errors)}`)
}

t.test('bad values are 422 naming the field', async t => {
  await refused(t, { log_rate_limit: { bytes_per_second: -2 } }, 'log_rate_limit.bytes_per_second')
  await refused(t, { log_rate_limit: {} }, 'log_rate_limit.bytes_per_second')
  await refused(t, { network: { properties: { k: 1 } } }, 'network.properties.k')
  await refused(t, { network: { props: {} } }, 'network.props')
  await refused(t, { certificate_properties: { organizational_unit: [''] } }, 'certificate_properties.organizational_unit[0]')
  await refused(t, { metric_tags: { x: { static: 'a', dynamic: 'INDEX' } } }, 'metric_tags.x')
  await refused(t, { metric_tags: { x: {} } }, 'metric_tags.x')
  await refused(t, { metric_tags: { x: { dynamic: 'SOMETHING' } } }, 'metric_tags.x.dynamic')
  await refused(t, { metric_tags: { '': { static: 'a' } } }, 'metric_tags.')
  await refused(t, { volume_mounted_files: [{ path: '../../etc/passwd', content: 'x' }] }, 'volume_mounted_files[0].path')
  await refused(t, { volume_mounted_files: [{ path: 'a' }] }, 'volume_mounted_files[0].content')
  await refused(t, { action: { run: { path: 'true', user: 'root', volume_mounted_files: [{ path: 'x/../../y', content: '' }] } } }, 'action.run.volume_mounted_files[0].path')
  await refused(t, { legacy_download_user: 'x'.repeat(256) }, 'legacy_download_user')
})
