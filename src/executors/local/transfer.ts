import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, open, rename, rm, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { fileURLToPath } from 'node:url'
import { request } from 'undici'

export interface DownloadSpec {
  from: string
  toDir: string
  checksumAlgorithm?: string
  checksumValue?: string
  signal: AbortSignal
}

/** Largest download the local executor accepts; a runaway URL must not fill the disk. */
export const MAX_DOWNLOAD_BYTES = 1024 * 1024 * 1024

function run (file: string, args: string[], signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'ignore', 'pipe'], signal })
    let err = ''
    child.stderr.on('data', (d: Buffer) => { err += d.toString().slice(0, 2000) })
    child.on('error', reject)
    child.on('close', code => code === 0 ? resolve() : reject(new Error(`${file} exited with status ${code}: ${err.trim()}`)))
  })
}

async function sniff (path: string): Promise<'tgz' | 'tar' | 'zip' | 'file'> {
  const fh = await open(path, 'r')
  try {
    const buf = Buffer.alloc(512)
    const { bytesRead } = await fh.read(buf, 0, 512, 0)
    if (bytesRead >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) return 'tgz'
    if (bytesRead >= 4 && buf.readUInt32BE(0) === 0x504b0304) return 'zip'
    if (bytesRead >= 262 && buf.toString('latin1', 257, 262) === 'ustar') return 'tar'
    return 'file'
  } finally {
    await fh.close()
  }
}

/**
 * Fetches an http(s) or file URL into a directory, verifying the checksum
 * while streaming. Archives (tar, tgz, zip) are extracted into the directory,
 * as Diego's download action does; any other file is saved under its name.
 */
export async function download (spec: DownloadSpec): Promise<void> {
  await mkdir(spec.toDir, { recursive: true })
  const tmp = join(spec.toDir, `.taskbbs-download-${process.pid}-${Date.now()}`)
  const url = new URL(spec.from)
  const hash = spec.checksumAlgorithm ? createHash(spec.checksumAlgorithm) : undefined
  let size = 0
  const meter = async function * (source: AsyncIterable<Buffer>) {
    for await (const chunk of source) {
      size += chunk.length
      if (size > MAX_DOWNLOAD_BYTES) throw new Error(`download exceeds ${MAX_DOWNLOAD_BYTES} bytes`)
      hash?.update(chunk)
      yield chunk
    }
  }
  try {
    if (url.protocol === 'file:') {
      await pipeline(createReadStream(fileURLToPath(url)), meter, createWriteStream(tmp), { signal: spec.signal })
    } else {
      // undici follows no redirects unless told to, so the checked URL is the fetched one.
      const res = await request(url, { method: 'GET', signal: spec.signal })
      if (res.statusCode < 200 || res.statusCode > 299) {
        await res.body.dump()
        throw new Error(`${spec.from} answered ${res.statusCode}`)
      }
      await pipeline(res.body, meter, createWriteStream(tmp), { signal: spec.signal })
    }
    if (hash && spec.checksumValue) {
      const digest = hash.digest('hex')
      if (digest.toLowerCase() !== spec.checksumValue.toLowerCase()) {
        throw new Error(`checksum mismatch: ${spec.checksumAlgorithm} is ${digest}, expected ${spec.checksumValue}`)
      }
    }
    const kind = await sniff(tmp)
    if (kind === 'tgz') await run('tar', ['-xzf', tmp, '-C', spec.toDir], spec.signal)
    else if (kind === 'tar') await run('tar', ['-xf', tmp, '-C', spec.toDir], spec.signal)
    else if (kind === 'zip') await run('unzip', ['-o', '-q', tmp, '-d', spec.toDir], spec.signal)
    else {
      await rename(tmp, join(spec.toDir, basename(url.pathname) || 'download'))
      return
    }
  } finally {
    await rm(tmp, { force: true })
  }
}

/** POSTs a file from the task directory to an http(s) URL; any non-2xx answer is a failure. */
export async function upload (file: string, to: string, signal: AbortSignal): Promise<void> {
  const { size } = await stat(file)
  const res = await request(to, {
    method: 'POST',
    body: Readable.from(createReadStream(file)),
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
    signal
  })
  await res.body.dump()
  if (res.statusCode < 200 || res.statusCode > 299) throw new Error(`${to} answered ${res.statusCode}`)
}
