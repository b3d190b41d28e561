import type { components } from '../generated/taskbbs.ts';
import type { Connection } from './connect.ts';
export type TaskEvent = components['schemas']['TaskEvent'];
/** Events after the Last-Event-ID sent were pruned: list tasks again, then read on. */
export interface Reset {
    type: 'reset';
    reason: string;
}
/**
 * The server sends a comment every TASKBBS_EVENTS_HEARTBEAT_INTERVAL (15 s by
 * default), so a stream silent for this long is taken as dead.
 */
export declare const DEFAULT_IDLE_TIMEOUT_MS = 60000;
export declare class IdleTimeoutError extends Error {
    readonly name = "IdleTimeoutError";
    readonly code = "EVENTS_IDLE";
    constructor(ms: number);
}
export declare class EventStreamError extends Error {
    readonly name = "EventStreamError";
    readonly code = "EVENTS_REFUSED";
    readonly status: number;
    readonly body: string;
    constructor(status: number, body: string);
}
export interface FollowOptions {
    domain?: string;
    /** Resume after this event id ("0-0": from the oldest event kept). */
    lastEventId?: string;
    /** Ends the stream (the generator then throws the signal's reason). */
    signal?: AbortSignal;
    /** Throw IdleTimeoutError when no line, heartbeats included, came for this long. */
    idleTimeoutMs?: number;
}
/**
 * GET /v1/events as typed events: each TaskEvent (its `id` is the position to
 * resume from) and a Reset when a resumed stream may have missed events.
 * Leaving the loop closes the connection.
 */
export declare function followEvents(client: Connection, options?: FollowOptions): AsyncGenerator<TaskEvent | Reset>;
