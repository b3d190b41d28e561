/**
 * Who may have how many callbacks in flight: fairness across receivers, and a
 * circuit breaker per receiver. Diego's rules for one task are not touched
 * (the worker applies them to every attempt it makes); this only decides which
 * due deliveries start now and which wait for a slot.
 *
 * Why: with one pool of slots and oldest-first claims, 200 callbacks to a
 * receiver that never answers held all 32 slots for the whole timeout, again
 * and again, and a healthy receiver's callbacks arrived after 58.5 s instead
 * of 0.3 s. Webhook services (Svix, Hookdeck) queue and throttle per
 * destination for the same reason. With this (test/callbacks/fairness.test.ts,
 * RELIABILITY.md) the healthy receiver's p99 stays at its figure with nothing
 * hanging, about 0.1 s here, whether the hanging receiver is on another port
 * or on another path of the same host:port.
 *
 * Two levels of key: the origin (scheme://host:port) and the destination (the
 * origin and the path). Each key is in one of three states:
 *
 *   unknown ──answer──▶ healthy ──N timeouts/connection errors in a row──▶ open
 *      │                   ▲                                                │
 *      └──N failures──▶ open ◀───────────── a probe fails ◀─────────────────┤
 *                          └─────────────── a probe answers ────────────────┘
 *
 * (an origin opens when that many of its destinations failed in a row: see
 * `record`) and may have in flight: unknown — `originSlots` (a quarter of the slots)
 * for an origin, half of that for a destination, so that a receiver seen for
 * the first time cannot take everything before we know whether it answers;
 * healthy — up to `healthySlots` (three quarters: a quarter always stays for
 * the others); open — one, a probe, until it answers again. Any HTTP answer
 * counts as an answer (503 too: the receiver is there and fast); only
 * timeouts and connection errors count against a key.
 *
 * Same origin: a hanging path and a healthy path of one host:port are two
 * destinations. The hanging one opens its own breaker and keeps one probe in
 * flight; the healthy one's answers keep the origin healthy, so it gets the
 * origin's slots. A dead host with a distinct path per task opens the origin's
 * breaker instead, since no path answers.
 */
export interface FairnessOptions {
  /** All slots of this worker. */
  concurrency: number
  /** In flight at once to an origin not yet known to answer. Default: a quarter of the slots. */
  originSlots?: number
  /** In flight at once to an origin (and to each of its destinations) that answers. Default: three quarters of the slots. */
  healthySlots?: number
  /** Timeouts or connection errors in a row that open a key's breaker. */
  breakerThreshold?: number
  /** A key with nothing in flight, no failure since its last answer and no use for this long is forgotten (default 1 min). */
  forgetAfterMs?: number
  /** A failing or open key with nothing in flight is forgotten after this long without use (default 10 min). */
  forgetFailingAfterMs?: number
}

export type Health = 'unknown' | 'healthy' | 'open'

interface Gate {
  inFlight: number
  /** Timeouts and connection errors since the last answer. */
  failures: number
  /** For an origin: the destinations among them; its breaker counts those, not attempts. */
  failedDestinations?: Set<string>
  health: Health
  usedAt: number
  /** For a destination: its origin. */
  origin?: string
}

export interface Candidate { id: string, origin: string, destination: string }

export interface OriginState { origin: string, inFlight: number, failures: number, open: boolean }

export class FairShare {
  readonly originSlots: number
  readonly destinationSlots: number
  readonly healthySlots: number
  readonly breakerThreshold: number
  private readonly forgetAfterMs: number
  private readonly forgetFailingAfterMs: number
  private readonly origins = new Map<string, Gate>()
  private readonly destinations = new Map<string, Gate>()
  // Kept up to date on every change, so that a claim reads them without walking every key
  // (with a path per task there is one destination per recent callback).
  private readonly fullOrigins = new Set<string>()
  private readonly fullDestinations = new Set<string>()
  private readonly openOrigins = new Set<string>()
  private readonly openDestinations = new Set<string>()
  private forgotAt = 0

  constructor (o: FairnessOptions) {
    this.originSlots = Math.max(1, Math.min(o.concurrency, o.originSlots ?? Math.ceil(o.concurrency / 4)))
    this.destinationSlots = Math.max(1, Math.ceil(this.originSlots / 2))
    this.healthySlots = Math.max(this.originSlots, Math.min(o.concurrency, o.healthySlots ?? Math.ceil(o.concurrency * 3 / 4)))
    this.breakerThreshold = Math.max(1, o.breakerThreshold ?? 3)
    this.forgetAfterMs = o.forgetAfterMs ?? 60_000
    this.forgetFailingAfterMs = o.forgetFailingAfterMs ?? 10 * 60_000
  }

  private refreshOrigin (key: string, g: Gate): void {
    toggle(this.fullOrigins, key, g.inFlight >= this.slots(g, this.originSlots))
    toggle(this.openOrigins, key, g.health === 'open')
  }

  private refreshDestination (key: string, g: Gate): void {
    toggle(this.fullDestinations, key, g.inFlight >= this.slots(g, this.destinationSlots))
    toggle(this.openDestinations, key, g.health === 'open')
  }

  private gate (map: Map<string, Gate>, key: string): Gate {
    let g = map.get(key)
    if (!g) map.set(key, g = { inFlight: 0, failures: 0, health: 'unknown', usedAt: Date.now() })
    return g
  }

  private slots (g: Gate | undefined, unknown: number): number {
    if (!g || g.health === 'unknown') return unknown
    return g.health === 'open' ? 1 : this.healthySlots
  }

  private originFree (origin: string): number {
    const g = this.origins.get(origin)
    return this.slots(g, this.originSlots) - (g?.inFlight ?? 0)
  }

  private destinationFree (destination: string): number {
    const g = this.destinations.get(destination)
    return this.slots(g, this.destinationSlots) - (g?.inFlight ?? 0)
  }

  /** Slots free now for a delivery to this destination (never more than its origin's). */
  freeFor (origin: string, destination: string): number {
    return Math.min(this.originFree(origin), this.destinationFree(destination))
  }

  /** Keys with no free slot, for the claim to skip; and keys whose breaker is open. */
  full (): { origins: string[], destinations: string[], open: string[] } {
    return { origins: [...this.fullOrigins], destinations: [...this.fullDestinations], open: [...this.openOrigins, ...this.openDestinations] }
  }

  /**
   * Chooses up to `room` of the candidates (oldest first) to start now:
   * round-robin over origins, so that the oldest work of every origin goes
   * before the second-oldest of any, within each origin's and destination's
   * free slots.
   */
  pick<C extends Candidate> (candidates: C[], room: number): C[] {
    const byOrigin = new Map<string, C[]>()
    for (const c of candidates) {
      const list = byOrigin.get(c.origin)
      if (list) list.push(c)
      else byOrigin.set(c.origin, [c])
    }
    const takenByOrigin = new Map<string, number>()
    const takenByDestination = new Map<string, number>()
    const chosen: C[] = []
    let progress = true
    while (chosen.length < room && progress) {
      progress = false
      for (const [origin, list] of byOrigin) {
        if (chosen.length >= room) break
        const byOriginNow = takenByOrigin.get(origin) ?? 0
        if (this.originFree(origin) - byOriginNow <= 0) continue
        const i = list.findIndex(c => this.destinationFree(c.destination) - (takenByDestination.get(c.destination) ?? 0) > 0)
        if (i < 0) continue
        const [c] = list.splice(i, 1)
        takenByOrigin.set(origin, byOriginNow + 1)
        takenByDestination.set(c.destination, (takenByDestination.get(c.destination) ?? 0) + 1)
        chosen.push(c)
        progress = true
      }
    }
    return chosen
  }

  /** A delivery to this destination starts: it holds a slot of both keys until `end`. */
  start (origin: string, destination: string): void {
    const now = Date.now()
    const o = this.gate(this.origins, origin)
    const d = this.gate(this.destinations, destination)
    d.origin = origin
    for (const g of [o, d]) {
      g.inFlight++
      g.usedAt = now
    }
    this.refreshOrigin(origin, o)
    this.refreshDestination(destination, d)
  }

  /**
   * One attempt's outcome: an HTTP answer (any status), or a timeout or
   * connection error. A destination opens after `breakerThreshold` failures
   * in a row; an origin after that many of its destinations failed with no
   * answer from any in between — so that one hanging path does not cut off
   * the other paths of a host that answers, while a dead host is still cut
   * off when each task has a path of its own.
   */
  record (origin: string, destination: string, outcome: 'answer' | 'failure'): void {
    const o = this.gate(this.origins, origin)
    const d = this.gate(this.destinations, destination)
    d.origin = origin
    if (outcome === 'answer') {
      for (const g of [o, d]) { g.failures = 0; g.health = 'healthy' }
      o.failedDestinations?.clear()
    } else {
      if (++d.failures >= this.breakerThreshold) d.health = 'open'
      o.failedDestinations ??= new Set()
      o.failedDestinations.add(destination)
      o.failures++
      if (o.failedDestinations.size >= this.breakerThreshold) o.health = 'open'
    }
    this.refreshOrigin(origin, o)
    this.refreshDestination(destination, d)
  }

  /** The delivery ended (resolved, waits for a retry, or given up): its slots are free. */
  end (origin: string, destination: string): void {
    const now = Date.now()
    const o = this.origins.get(origin)
    const d = this.destinations.get(destination)
    for (const g of [o, d]) {
      if (!g) continue
      g.inFlight = Math.max(0, g.inFlight - 1)
      g.usedAt = now
    }
    if (o) this.refreshOrigin(origin, o)
    if (d) this.refreshDestination(destination, d)
    this.forget(now)
  }

  originHealth (origin: string): Health {
    return this.origins.get(origin)?.health ?? 'unknown'
  }

  destinationHealth (destination: string): Health {
    return this.destinations.get(destination)?.health ?? 'unknown'
  }

  /** Per origin: deliveries in flight, failures since the last answer, and whether its breaker or one of its destinations' is open. */
  originStates (): OriginState[] {
    const withOpenDestination = new Set<string>()
    for (const k of this.openDestinations) {
      const origin = this.destinations.get(k)?.origin
      if (origin) withOpenDestination.add(origin)
    }
    return [...this.origins].map(([origin, g]) => ({ origin, inFlight: g.inFlight, failures: g.failures, open: g.health === 'open' || withOpenDestination.has(origin) }))
  }

  private forget (now: number): void {
    if (now - this.forgotAt < Math.min(10_000, this.forgetAfterMs)) return
    this.forgotAt = now
    const stale = (g: Gate) => g.inFlight === 0 && now - g.usedAt > (g.failures > 0 || g.health === 'open' ? this.forgetFailingAfterMs : this.forgetAfterMs)
    for (const [k, g] of this.origins) {
      if (!stale(g)) continue
      this.origins.delete(k)
      this.fullOrigins.delete(k)
      this.openOrigins.delete(k)
    }
    for (const [k, g] of this.destinations) {
      if (!stale(g)) continue
      this.destinations.delete(k)
      this.fullDestinations.delete(k)
      this.openDestinations.delete(k)
    }
  }

  /** Keys remembered, origins and destinations: bounded by the forget horizons. */
  get size (): number {
    return this.origins.size + this.destinations.size
  }
}

function toggle (set: Set<string>, key: string, on: boolean): void {
  if (on) set.add(key)
  else set.delete(key)
}
