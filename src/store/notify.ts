import pg from 'pg'
import { GroupCommit } from '../loops/group-commit.ts'

/** Channels taskbbs NOTIFYs on. Payloads are task guids; listeners use them only as a wake-up. */
export const CHANNELS = {
  desired: 'taskbbs_task_desired',
  cancelled: 'taskbbs_task_cancelled',
  /** Sent by the trigger of migration 0003 when a completed task has a callback to deliver. */
  callbackReady: 'taskbbs_callback_ready',
  /** Sent by the task_events trigger (migrations/0004) on every task change; empty payload. */
  events: 'taskbbs_task_events'
} as const

export type Channel = typeof CHANNELS[keyof typeof CHANNELS]

/**
 * One dedicated connection that LISTENs and reconnects when the database goes
 * away. After a reconnect it calls onReconnect, since notifications sent while
 * it was down are lost and the caller must look for missed work.
 */
export class Listener {
  private client?: pg.Client
  private closed = false
  private retry?: NodeJS.Timeout
  private readonly url: string
  private readonly channels: Channel[]
  private readonly onNotify: (channel: string, payload: string) => void
  private readonly onReconnect: () => void

  constructor (url: string, channels: Channel[], onNotify: (channel: string, payload: string) => void, onReconnect: () => void = () => {}) {
    this.url = url
    this.channels = channels
    this.onNotify = onNotify
    this.onReconnect = onReconnect
  }

  async start (): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, application_name: 'taskbbs-listener' })
    client.on('notification', n => this.onNotify(n.channel, n.payload ?? ''))
    client.on('error', () => this.reconnectSoon())
    client.on('end', () => this.reconnectSoon())
    await client.connect()
    for (const ch of this.channels) await client.query(`LISTEN ${ch}`)
    this.client = client
  }

  private reconnectSoon (): void {
    if (this.closed || this.retry) return
    this.client = undefined
    this.retry = setTimeout(() => {
      this.retry = undefined
      this.start().then(() => this.onReconnect(), () => this.reconnectSoon())
    }, 500)
  }

  async close (): Promise<void> {
    this.closed = true
    clearTimeout(this.retry)
    await this.client?.end().catch(() => {})
  }
}

/**
 * The wake-ups of desires inserted with notifyAfterCommit, sent after their
 * commit: the first at once, those arriving meanwhile together in the next
 * (one transaction of NOTIFYs per batch, so notifying commits no longer
 * serialize the desires themselves; migrations/0005). A wake-up lost to a
 * crash between the two is made up by the schedulers' and event streams' polls.
 */
export class AfterCommitNotifier {
  private readonly batch: GroupCommit<void>
  private readonly onError: (err: unknown) => void

  constructor (db: pg.Pool, onError: (err: unknown) => void) {
    this.onError = onError
    this.batch = new GroupCommit<void>(async () => {
      // A notification is not data: its commit need not wait for the WAL flush
      // (nor hold the notify lock through one). Listeners hear it at commit.
      await db.query(`SELECT set_config('synchronous_commit', 'off', true), pg_notify('${CHANNELS.desired}', ''), pg_notify('${CHANNELS.events}', '')`)
    })
  }

  /** Does not wait: the desire is committed, and its answer need not wait for the wake-up. */
  desired (): void {
    this.batch.add().catch(this.onError)
  }

  /** Resolves when every wake-up asked for so far is sent. */
  drain (): Promise<void> { return this.batch.drain() }
}
