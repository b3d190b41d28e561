import type { components } from '../generated/taskbbs.ts';
export type TaskCallback = components['schemas']['TaskCallback'];
/** Standard Webhooks' window: older or newer messages are refused as replays. */
export declare const CALLBACK_TOLERANCE_S: number;
export declare class InvalidSignatureError extends Error {
    readonly name = "InvalidSignatureError";
    readonly code = "INVALID_SIGNATURE";
}
type Headers = Record<string, string | string[] | undefined> | {
    get(name: string): string | null;
};
/**
 * A completion callback's body, parsed, when its Standard Webhooks headers
 * (webhook-id, webhook-timestamp, webhook-signature "v1,<base64 HMAC-SHA256 of
 * id.timestamp.body>") sign `body`, the raw bytes received, with the server's
 * TASKBBS_CALLBACK_SIGNING_SECRET (`whsec_` + base64 key); else InvalidSignatureError.
 * `headers`: Node's IncomingHttpHeaders (lower-case names) or a fetch Headers.
 */
export declare function verifyCallback(secret: string, body: string | Uint8Array, headers: Headers, now?: Date): TaskCallback;
export {};
