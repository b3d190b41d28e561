import type pg from 'pg'
import { type Position, type StoredEvent, comparePositions, currentPosition, eventsInFlight, prunedAfter, readEvents } from '../store/events.ts'
import { CHANNELS, Listener } from '../store/notify.ts'
import { coalesced } from '../loops/coalesced.ts'

export interface EventHubOptions {
  pool: pg.Pool
  /** For the LISTEN connection, which cannot come from the pool. */
  databaseUrl: string
  /** Fallback read when no NOTIFY arrives (one lost while the listener reconnected). */
  pollIntervalMs?: number
  /** How long the LISTEN connection stays open after the last client left. */
  lingerMs?: number
  /** Events read per query. */
  batch?: number
  log?: { warn (obj: object, msg: string): void }
}

export interface SubscribeOptions {
  /** Only these domains; undefined for every domain. */
  domains?: readonly string[]
  /** Resume after this position (Last-Event-ID); undefined to start now. */
  from?: Position
  /**
   * Receives events in stream order, each once, with no gaps. While catching
   * up from the table the hub waits for a returned promise (backpressure);
   * live delivery does not wait, so a slow client must be cut off by its owner.
   */
  deliver (events: StoredEvent[]): void | Promise<void>
  /** Called when the hub closes (process shutting down). */
  end (): void
  /** Called before any resumed event when pruning deleted events after `from`: the client may have missed some. */
  gap? (): void
  /** Aborted when the client leaves, to stop a catch-up in progress. */
  signal?: AbortSignal
}

export interface Subscription {
  /** True when pruning deleted events after `from`: the client may have missed some and should re-list. */
  gap: boolean
  close (): void
}

interface Subscriber {
  o: SubscribeOptions
  domains?: ReadonlySet<string>
  /** The last position this subscriber was given (or skipped as filtered out). */
  cursor: Position
  /** Live events held back while the subscriber catches up from the table. */
  buffer?: StoredEvent[]
  /** The buffer outgrew its bound and was dropped: catch up from the table again. */
  overflowed?: boolean
  closed: boolean
}

/**
 * One LISTEN connection and one read position, shared by every client of this
 * replica. States: open (reading on NOTIFY, on a poll, and again shortly while
 * a running transaction holds events back) → closed. The hub opens a feed for
 * its first subscriber and closes it a while after the last one leaves, so an
 * idle replica holds no extra connection and runs no queries.
 */
class Feed {
  position: Position
  readonly subscribers = new Set<Subscriber>()
  private readonly o: Required<Omit<EventHubOptions, 'log'>> & Pick<EventHubOptions, 'log'>
  private listener?: Listener
  private retryMs = 0
  private retry?: NodeJS.Timeout
  private poll?: NodeJS.Timeout
  closed = false

  constructor (o: Feed['o'], position: Position) {
    this.o = o
    this.position = position
  }

  async open (): Promise<void> {
    this.listener = new Listener(this.o.databaseUrl, [CHANNELS.events], () => this.wake(), () => this.wake())
    await this.listener.start()
    this.poll = setInterval(() => this.wake(), this.o.pollIntervalMs)
    this.poll.unref()
    // Events committed between reading the position and LISTEN taking effect.
    this.wake()
  }

  /** Reads on; concurrent wake-ups fold into one more read. */
  wake (): void {
    if (!this.closed) this.readSoon()
  }

  private readonly readSoon = coalesced(async () => { if (!this.closed) await this.read() }, err => {
    this.o.log?.warn({ err }, 'reading task events failed; retrying')
    this.later(1000)
  })

  private async read (): Promise<void> {
    for (;;) {
      const batch = await readEvents(this.o.pool, { after: this.position, limit: this.o.batch })
      if (this.closed) return
      if (batch.length > 0) {
        // Position and delivery change together, in one tick: a subscriber that
        // joins between reads is caught up exactly to this position.
        this.position = batch[batch.length - 1].position
        for (const s of this.subscribers) offer(s, batch)
      }
      if (batch.length < this.o.batch) break
    }
    // A transaction older than a committed one still runs: its commit may
    // bring no NOTIFY of ours (it need not touch tasks), so look again soon.
    if (await eventsInFlight(this.o.pool, this.position)) {
      this.retryMs = Math.min(Math.max(this.retryMs * 2, 20), 1000)
      this.later(this.retryMs)
    } else {
      this.retryMs = 0
    }
  }

  private later (ms: number): void {
    if (this.retry || this.closed) return
    this.retry = setTimeout(() => { this.retry = undefined; this.wake() }, ms)
    this.retry.unref()
  }

  async close (): Promise<void> {
    this.closed = true
    clearTimeout(this.retry)
    clearInterval(this.poll)
    await this.listener?.close()
  }
}

// Live events kept per subscriber while it catches up; past this it reads them from the table instead.
const MAX_BUFFERED = 10_000

function visible (s: Subscriber, e: StoredEvent): boolean {
  return (!s.domains || s.domains.has(e.domain)) && comparePositions(e.position, s.cursor) > 0
}

function offer (s: Subscriber, batch: StoredEvent[]): void {
  if (s.closed) return
  const events = batch.filter(e => visible(s, e))
  if (events.length === 0) return
  if (s.buffer) {
    if (s.buffer.length + events.length > MAX_BUFFERED) { s.buffer = []; s.overflowed = true } else s.buffer.push(...events)
    return
  }
  s.cursor = events[events.length - 1].position
  s.o.deliver(events)
}

/**
 * Fans task change events out to server-sent-event clients. A client that
 * resumes reads the events it missed from the table, then joins the live feed
 * at exactly the position it caught up to.
 */
export class EventHub {
  private readonly o: Feed['o']
  private feed?: Promise<Feed>
  private linger?: NodeJS.Timeout
  private closed = false

  constructor (options: EventHubOptions) {
    this.o = { pollIntervalMs: 5000, lingerMs: 30_000, batch: 500, ...options }
  }

  get subscriberCount (): number {
    return this.current?.subscribers.size ?? 0
  }

  private current?: Feed

  private openFeed (): Promise<Feed> {
    this.feed ??= (async () => {
      const feed = new Feed(this.o, await currentPosition(this.o.pool))
      try {
        await feed.open()
      } catch (err) {
        await feed.close()
        throw err
      }
      this.current = feed
      return feed
    })().catch(err => { this.feed = undefined; throw err })
    return this.feed
  }

  /** Opens the LISTEN connection if need be; throws when the database cannot be reached. */
  async ready (): Promise<void> {
    if (this.closed) throw new Error('the event hub is closed')
    await this.openFeed()
  }

  async subscribe (o: SubscribeOptions): Promise<Subscription> {
    if (this.closed) throw new Error('the event hub is closed')
    let feed = await this.openFeed()
    // The linger may have closed this feed while we waited for it.
    while (feed.closed) {
      if (this.closed) throw new Error('the event hub is closed')
      feed = await this.openFeed()
    }
    clearTimeout(this.linger)
    const s: Subscriber = { o, cursor: feed.position, closed: false, ...(o.domains ? { domains: new Set(o.domains) } : {}) }
    const subscription: Subscription = { gap: false, close: () => this.leave(feed, s) }
    feed.subscribers.add(s)
    if (!o.from) return subscription

    // Everything up to the feed's position now comes from the table; anything
    // the feed reads later is past it and waits in the buffer meanwhile.
    let upTo = feed.position
    s.cursor = o.from
    s.buffer = []
    try {
      if (await prunedAfter(this.o.pool, o.from)) {
        subscription.gap = true
        o.gap?.()
      }
      for (;;) {
        while (!s.closed && !o.signal?.aborted && comparePositions(s.cursor, upTo) < 0) {
          const events = await readEvents(this.o.pool, { after: s.cursor, upTo, domains: o.domains, limit: this.o.batch })
          if (events.length === 0) { s.cursor = upTo; break }
          s.cursor = events[events.length - 1].position
          if (!s.closed) await o.deliver(events)
        }
        if (!s.overflowed) break
        // The live feed ran far ahead meanwhile: read up to where it is now.
        s.overflowed = false
        s.buffer = []
        upTo = feed.position
      }
    } catch (err) {
      this.leave(feed, s)
      throw err
    }
    const buffered = s.buffer
    s.buffer = undefined
    offer(s, buffered)
    return subscription
  }

  private leave (feed: Feed, s: Subscriber): void {
    s.closed = true
    feed.subscribers.delete(s)
    if (feed.subscribers.size > 0 || this.closed || this.current !== feed) return
    clearTimeout(this.linger)
    this.linger = setTimeout(() => {
      if (feed.subscribers.size > 0 || this.current !== feed) return
      this.current = undefined
      this.feed = undefined
      feed.close().catch(() => {})
    }, this.o.lingerMs)
    this.linger.unref()
  }

  /** Ends every subscriber's stream and the LISTEN connection. */
  async close (): Promise<void> {
    this.closed = true
    clearTimeout(this.linger)
    const feed = await this.feed?.catch(() => undefined)
    this.feed = undefined
    this.current = undefined
    if (!feed) return
    for (const s of [...feed.subscribers]) {
      s.closed = true
      s.o.end()
    }
    feed.subscribers.clear()
    await feed.close()
  }
}
