/**
 * The action tree executors run: cached_dependencies and image_layers become
 * downloads before the task's action, mapped as BBS maps them.
 */
import t from 'tap'
import type { Action } from '../../src/domain/action.ts'
import { effectiveAction } from '../../src/domain/effective-action.ts'

const run: Action = { run: { path: 'true', user: 'root' } }

t.test('without cached dependencies or image layers the action is returned as it is', async t => {
  t.equal(effectiveAction({ action: run }), run)
  t.equal(effectiveAction({ action: run, cached_dependencies: [], image_layers: [] }), run)
})

t.test('a cached dependency is a download of from into to, with its name, cache key, checksum and log source', async t => {
  const tree = effectiveAction({
    action: run,
    cached_dependencies: [
      { name: 'app bits', from: 'https://blobstore.example/bits/app', to: '/usr/local/app', cache_key: 'cache-key', log_source: 'log-source', checksum_algorithm: 'md5', checksum_value: 'the-checksum' },
      { from: 'https://blobstore.example/bits/other', to: '/other', cache_key: 'k2' }
    ]
  })
  t.same(tree, {
    serial: {
      actions: [
        { download: { from: 'https://blobstore.example/bits/app', to: '/usr/local/app', cache_key: 'cache-key', user: 'root', artifact: 'app bits', checksum_algorithm: 'md5', checksum_value: 'the-checksum', log_source: 'log-source' } },
        { download: { from: 'https://blobstore.example/bits/other', to: '/other', cache_key: 'k2', user: 'root' } },
        run
      ]
    }
  })
})

t.test('image layers: shared before exclusive, digest checked and keyed as "<algorithm>:<digest>", url as the key of an undigested shared layer', async t => {
  const tree = effectiveAction({
    action: run,
    image_layers: [
      { name: 'excl', url: 'https://blobstore.example/x.tgz', destination_path: '/x', layer_type: 'EXCLUSIVE', media_type: 'TGZ', digest_algorithm: 'SHA512', digest_value: 'abc' },
      { url: 'https://blobstore.example/s.tar', destination_path: '/s', layer_type: 'SHARED', media_type: 'TAR' },
      { url: 'https://blobstore.example/d.zip', destination_path: '/d', layer_type: 'SHARED', media_type: 'ZIP', digest_algorithm: 'SHA256', digest_value: 'def' }
    ]
  }, { downloadUser: 'vcap' })
  t.same(tree, {
    serial: {
      actions: [
        { download: { from: 'https://blobstore.example/s.tar', to: '/s', cache_key: 'https://blobstore.example/s.tar', user: 'vcap' } },
        { download: { from: 'https://blobstore.example/d.zip', to: '/d', cache_key: 'sha256:def', user: 'vcap', checksum_algorithm: 'sha256', checksum_value: 'def' } },
        { download: { from: 'https://blobstore.example/x.tgz', to: '/x', cache_key: 'sha512:abc', user: 'vcap', artifact: 'excl', checksum_algorithm: 'sha512', checksum_value: 'abc' } },
        run
      ]
    }
  })
})

t.test('cached dependencies come before image layers, and the action last, unchanged', async t => {
  const action: Action = { serial: { actions: [run, run] } }
  const tree = effectiveAction({
    action,
    image_layers: [{ url: 'https://b.example/l.tgz', destination_path: '/l', layer_type: 'SHARED', media_type: 'TGZ' }],
    cached_dependencies: [{ from: 'https://b.example/c.tgz', to: '/c', cache_key: 'c' }]
  })
  const actions = tree.serial!.actions
  t.same(actions.map(a => a.download?.from ?? 'action'), ['https://b.example/c.tgz', 'https://b.example/l.tgz', 'action'])
  t.equal(actions.at(-1), action)
})

t.test('the definition is not modified', async t => {
  const def = { action: run, cached_dependencies: [{ from: 'https://b.example/c.tgz', to: '/c', cache_key: 'c' }] }
  const before = JSON.stringify(def)
  effectiveAction(def)
  t.equal(JSON.stringify(def), before)
})
