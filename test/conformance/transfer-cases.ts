/**
 * Conformance cases that move files: download, upload, cached_dependencies and
 * image_layers (which executors run as downloads before the action, see
 * src/domain/effective-action.ts). URLs point at the fixture server (`{{base}}`).
 */
import type { Action } from '../../src/domain/action.ts'
import { type ConformanceCase, failed, ok, out, serial, sh, sys } from './case-types.ts'
import { digest } from './fixtures.ts'

const download = (path: string, to: string, extra: Partial<NonNullable<Action['download']>> = {}): Action =>
  ({ download: { from: `{{base}}${path}`, to, user: 'root', ...extra } })
const fetched = (what: string, source = 'TASK') => [sys(`Downloading ${what}...`, source), sys(`Downloaded ${what}`, source)]
const APP = [out('hello from the archive'), out('ran from the archive')]
const ZEROS = '0'.repeat(64)

export const TRANSFER_CASES: ConformanceCase[] = [
  {
    name: 'download: a plain file is saved into `to` under the last segment of its URL',
    task: { action: serial(download('/file.txt', '/dl'), sh('cat dl/file.txt')) },
    expect: ok([...fetched('{{base}}/file.txt'), out('plain file contents')])
  },
  ...(['tgz', 'tar', 'zip'] as const).map((kind): ConformanceCase => ({
    name: `download: a ${kind} archive is unpacked into \`to\`, file modes kept`,
    task: { action: serial(download(`/app.${kind}`, `/opt/${kind}`, { artifact: 'app' }), sh(`cat opt/${kind}/app/hello.txt; ./opt/${kind}/app/run.sh`)) },
    expect: ok([...fetched('app'), ...APP])
  })),
  {
    name: 'download: md5, sha1 and sha256 checksums that match (in any letter case) let the task go on',
    task: {
      action: serial(
        download('/app.tgz', 'a', { checksum_algorithm: 'md5', checksum_value: digest('/app.tgz', 'md5') }),
        download('/app.tar', 'b', { checksum_algorithm: 'sha1', checksum_value: digest('/app.tar', 'sha1').toUpperCase() }),
        download('/app.zip', 'c', { checksum_algorithm: 'sha256', checksum_value: digest('/app.zip', 'sha256') }),
        sh('cat a/app/hello.txt b/app/hello.txt c/app/hello.txt'))
    },
    expect: ok([
      ...fetched('{{base}}/app.tgz'), ...fetched('{{base}}/app.tar'), ...fetched('{{base}}/app.zip'),
      out('hello from the archive'), out('hello from the archive'), out('hello from the archive')])
  },
  {
    name: 'download: a checksum that does not match fails the task before the next step',
    task: { action: serial(download('/app.tgz', 'a', { checksum_algorithm: 'sha256', checksum_value: ZEROS }), sh('echo never')) },
    expect: failed(`download: checksum mismatch: sha256 is ${digest('/app.tgz', 'sha256')}, expected ${ZEROS}`, [sys('Downloading {{base}}/app.tgz...')])
  },
  {
    name: 'download: a URL that answers 404 fails the task',
    task: { action: download('/missing.tgz', 'a', { log_source: 'DL' }) },
    expect: failed('download: {{base}}/missing.tgz answered 404', [sys('Downloading {{base}}/missing.tgz...', 'DL')])
  },
  {
    name: 'upload: the file\'s bytes arrive as the body of a POST to `to`',
    task: {
      action: serial(
        sh("mkdir -p out && printf 'line1\\nline2' > out/u.txt"),
        { upload: { from: '/out/u.txt', to: '{{base}}/upload/u1', user: 'root', artifact: 'report' } },
        sh('echo after'))
    },
    expect: ok([sys('Uploaded report'), out('after')], { uploads: { '/upload/u1': 'line1\nline2' } })
  },
  {
    name: 'upload: a receiver that answers with an error fails the task',
    task: { action: serial(sh('echo x > u.txt'), { upload: { from: 'u.txt', to: '{{base}}/reject/u2', user: 'root' } }) },
    expect: failed('upload: {{base}}/reject/u2 answered 500', [])
  },
  {
    // A RegExp: the text is the file system library's (libuv's, Go's os), and it names the real path.
    name: 'upload: a file that does not exist fails the task',
    task: { action: { upload: { from: '/out/missing.txt', to: '{{base}}/upload/u3', user: 'root' } } },
    expect: failed(/^upload: ENOENT: no such file or directory, stat '\/.*\/out\/missing\.txt'$/, [])
  },
  {
    name: 'cached_dependencies are downloaded into `to`, checksum verified, before the action',
    task: {
      cached_dependencies: [
        { name: 'app bits', from: '{{base}}/app.tgz', to: '/deps/app', cache_key: 'app-1', checksum_algorithm: 'sha256', checksum_value: digest('/app.tgz', 'sha256') },
        { from: '{{base}}/file.txt', to: '/deps/plain', cache_key: 'plain-1', log_source: 'DEPS' }
      ],
      action: sh('cat deps/app/app/hello.txt deps/plain/file.txt')
    },
    expect: ok([...fetched('app bits'), ...fetched('{{base}}/file.txt', 'DEPS'), out('hello from the archive'), out('plain file contents')])
  },
  {
    name: 'image_layers: shared layers, then exclusive ones, each unpacked at destination_path; a SHA512 digest is verified',
    task: {
      image_layers: [
        { name: 'exclusive layer', url: '{{base}}/layer.tar', destination_path: '/layers/x', layer_type: 'EXCLUSIVE', media_type: 'TAR', digest_algorithm: 'SHA512', digest_value: digest('/layer.tar', 'sha512') },
        { url: '{{base}}/app.zip', destination_path: '/layers/s', layer_type: 'SHARED', media_type: 'ZIP' }
      ],
      action: sh('cat layers/x/layer/marker.txt layers/s/app/hello.txt')
    },
    expect: ok([...fetched('{{base}}/app.zip'), ...fetched('exclusive layer'), out('layer marker'), out('hello from the archive')])
  },
  {
    name: 'image_layers: a digest that does not match fails the task before the action',
    task: {
      image_layers: [{ url: '{{base}}/app.tgz', destination_path: '/layers/x', layer_type: 'EXCLUSIVE', media_type: 'TGZ', digest_algorithm: 'SHA256', digest_value: ZEROS }],
      action: sh('echo never')
    },
    expect: failed(`download: checksum mismatch: sha256 is ${digest('/app.tgz', 'sha256')}, expected ${ZEROS}`, [sys('Downloading {{base}}/app.tgz...')])
  }
]
