import createClient, {} from 'openapi-fetch';
export const DEFAULT_URL = 'http://127.0.0.1:8080';
/** Each request fails after this long rather than waiting forever; the events stream is bounded by its own signal and idle timeout. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** An openapi-fetch client of the taskbbs API, typed by the generated `paths`. */
export function connect(options = {}) {
    const env = typeof process === 'undefined' ? {} : process.env;
    const baseUrl = (options.baseUrl ?? env.TASKBBS_URL) || DEFAULT_URL;
    const token = (options.token ?? env.TASKBBS_TOKEN) || undefined;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const client = createClient({
        baseUrl,
        headers: token ? { authorization: `Bearer ${token}` } : {},
        fetch: timeoutMs > 0
            ? request => fetch(request, { signal: AbortSignal.any([request.signal, AbortSignal.timeout(timeoutMs)]) })
            : request => fetch(request)
    });
    return Object.assign(client, { baseUrl, token });
}
