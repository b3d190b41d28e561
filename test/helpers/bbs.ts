import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { promisify } from 'node:util'

const run = promisify(execFile)
const MODULE = new URL('../bbs/', import.meta.url).pathname

/** Builds test/bbs/cmd/bbsdriver (the official BBS Go client at the versions test/bbs/go.mod pins); cached by go's build cache. */
export async function buildDriver (): Promise<string> {
  const out = join(MODULE, '.bin', 'bbsdriver')
  await run('go', ['build', '-o', out, './cmd/bbsdriver'], {
    cwd: MODULE, env: { ...process.env, GOFLAGS: '-mod=mod', CGO_ENABLED: '0' }, maxBuffer: 16 << 20
  })
  return out
}

export interface DriverAnswer {
  ok: boolean
  error?: { type: string, message: string }
  task?: Record<string, any>
  tasks?: Array<Record<string, any>>
  ping?: boolean
  event?: { type: string, task?: Record<string, any>, before?: Record<string, any>, after?: Record<string, any> }
  ms: number
}

/** One running driver: each call is one call of the Go client, answered in order. */
export class BbsDriver {
  private readonly child: ChildProcess
  private readonly answers: string[] = []
  private readonly waiting: Array<(line: string) => void> = []
  stderr = ''

  constructor (binary: string, args: string[]) {
    this.child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] })
    this.child.stderr!.on('data', d => { this.stderr += d })
    createInterface({ input: this.child.stdout! }).on('line', line => {
      const w = this.waiting.shift()
      if (w) w(line); else this.answers.push(line)
    })
  }

  call (command: Record<string, unknown>, timeoutMs = 30_000): Promise<DriverAnswer> {
    this.child.stdin!.write(JSON.stringify(command) + '\n')
    return new Promise((resolve, reject) => {
      const queued = this.answers.shift()
      if (queued !== undefined) { resolve(JSON.parse(queued)); return }
      const timer = setTimeout(() => reject(new Error(`no answer to ${command.op} within ${timeoutMs} ms; driver stderr:\n${this.stderr}`)), timeoutMs)
      this.waiting.push(line => { clearTimeout(timer); resolve(JSON.parse(line)) })
    })
  }

  close (): void { this.child.kill('SIGKILL') }
}

export interface Certificates {
  dir: string
  ca: string
  serverCert: string
  serverKey: string
  /** A client certificate per common name, signed by the CA. */
  client: (cn: string) => { cert: string, key: string }
  /** A client certificate signed by another CA. */
  rogue: { cert: string, key: string }
}

async function openssl (dir: string, ...args: string[]): Promise<void> {
  await run('openssl', args, { cwd: dir })
}

/** A CA, a server certificate for 127.0.0.1, client certificates for the given names, and one from a CA nobody trusts. */
export async function makeCertificates (clientNames: string[]): Promise<Certificates> {
  const dir = await mkdtemp(join(tmpdir(), 'taskbbs-bbs-certs-'))
  const ca = async (name: string) => {
    await openssl(dir, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.crt`)
  }
  const issue = async (caName: string, cn: string, ext: string) => {
    await writeFile(join(dir, `${cn}.ext`), ext)
    await openssl(dir, 'req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${cn}`, '-keyout', `${cn}.key`, '-out', `${cn}.csr`)
    await openssl(dir, 'x509', '-req', '-in', `${cn}.csr`, '-CA', `${caName}.crt`, '-CAkey', `${caName}.key`, '-CAcreateserial', '-days', '2', '-extfile', `${cn}.ext`, '-out', `${cn}.crt`)
  }
  await ca('test-ca')
  await ca('rogue-ca')
  await issue('test-ca', 'bbs-server', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n')
  for (const cn of clientNames) await issue('test-ca', cn, 'extendedKeyUsage=clientAuth\n')
  await issue('rogue-ca', 'rogue-client', 'extendedKeyUsage=clientAuth\n')
  const pair = (cn: string) => ({ cert: join(dir, `${cn}.crt`), key: join(dir, `${cn}.key`) })
  return {
    dir,
    ca: join(dir, 'test-ca.crt'),
    serverCert: join(dir, 'bbs-server.crt'),
    serverKey: join(dir, 'bbs-server.key'),
    client: pair,
    rogue: pair('rogue-client')
  }
}
