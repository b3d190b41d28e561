import { type Client } from 'openapi-fetch';
import type { paths } from '../generated/taskbbs.ts';
export declare const DEFAULT_URL = "http://127.0.0.1:8080";
/** Each request fails after this long rather than waiting forever; the events stream is bounded by its own signal and idle timeout. */
export declare const DEFAULT_TIMEOUT_MS = 30000;
export interface ConnectOptions {
    /** The server; else TASKBBS_URL, else http://127.0.0.1:8080. */
    baseUrl?: string;
    /** A bearer token; else TASKBBS_TOKEN; none when both are empty. */
    token?: string;
    /** Per request; DEFAULT_TIMEOUT_MS when absent, no limit when 0. */
    timeoutMs?: number;
}
/** The server and token a Connection talks to, for the calls openapi-fetch does not make (the events stream). */
export interface Connection extends Client<paths> {
    readonly baseUrl: string;
    readonly token: string | undefined;
}
/** An openapi-fetch client of the taskbbs API, typed by the generated `paths`. */
export declare function connect(options?: ConnectOptions): Connection;
