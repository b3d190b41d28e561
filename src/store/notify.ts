import pg from 'pg'

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
