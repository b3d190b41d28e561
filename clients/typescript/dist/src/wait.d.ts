import type { components } from '../generated/taskbbs.ts';
import type { Connection } from './connect.ts';
export type Task = components['schemas']['Task'];
export declare class TaskRemovedError extends Error {
    readonly name = "TaskRemovedError";
    readonly code = "TASK_REMOVED";
    readonly guid: string;
    constructor(guid: string);
}
export interface WaitOptions {
    /** Give up with a TimeoutError (DOMException) after this long; 300 000 when absent. */
    timeoutMs?: number;
    /** Read the task again when the stream was quiet this long; 5000 when absent. */
    pollMs?: number;
    signal?: AbortSignal;
}
/**
 * The task once it is COMPLETED (or RESOLVING: completed, its callback under
 * way). Follows the events stream and reads the task again whenever the stream
 * was quiet for `pollMs`, since a change made while the stream was being
 * opened is not in it.
 */
export declare function waitForCompletion(client: Connection, guid: string, options?: WaitOptions): Promise<Task>;
