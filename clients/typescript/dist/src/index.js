export { connect, DEFAULT_TIMEOUT_MS, DEFAULT_URL } from "./connect.js";
export { DEFAULT_IDLE_TIMEOUT_MS, EventStreamError, followEvents, IdleTimeoutError } from "./events.js";
export { TaskRemovedError, waitForCompletion } from "./wait.js";
export { CALLBACK_TOLERANCE_S, InvalidSignatureError, verifyCallback } from "./webhooks.js";
