/**
 * The server sends a comment every TASKBBS_EVENTS_HEARTBEAT_INTERVAL (15 s by
 * default), so a stream silent for this long is taken as dead.
 */
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
export class IdleTimeoutError extends Error {
    name = 'IdleTimeoutError';
    code = 'EVENTS_IDLE';
    constructor(ms) { super(`the events stream was silent for ${ms} ms`); }
}
export class EventStreamError extends Error {
    name = 'EventStreamError';
    code = 'EVENTS_REFUSED';
    status;
    body;
    constructor(status, body) {
        super(`GET /v1/events answered ${status}: ${body}`);
        this.status = status;
        this.body = body;
    }
}
/**
 * GET /v1/events as typed events: each TaskEvent (its `id` is the position to
 * resume from) and a Reset when a resumed stream may have missed events.
 * Leaving the loop closes the connection.
 */
export async function* followEvents(client, options = {}) {
    const idleMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    const stop = new AbortController();
    const idle = new AbortController();
    let timer;
    const arm = () => { clearTimeout(timer); timer = setTimeout(() => idle.abort(new IdleTimeoutError(idleMs)), idleMs); };
    const signal = AbortSignal.any([stop.signal, idle.signal, ...(options.signal ? [options.signal] : [])]);
    const url = new URL('/v1/events', client.baseUrl);
    if (options.domain !== undefined)
        url.searchParams.set('domain', options.domain);
    const headers = { accept: 'text/event-stream' };
    if (client.token)
        headers.authorization = `Bearer ${client.token}`;
    if (options.lastEventId !== undefined)
        headers['last-event-id'] = options.lastEventId;
    try {
        arm();
        const response = await fetch(url, { headers, signal });
        if (response.status !== 200 || !response.body)
            throw new EventStreamError(response.status, await response.text());
        const decoder = new TextDecoder();
        let buffered = '';
        let event = 'message';
        let data = [];
        for await (const chunk of response.body) {
            arm();
            buffered += decoder.decode(chunk, { stream: true });
            let end;
            while ((end = buffered.search(/\r?\n/)) >= 0) {
                const line = buffered.slice(0, end);
                buffered = buffered.slice(buffered[end] === '\r' ? end + 2 : end + 1);
                if (line === '') {
                    if (data.length > 0) {
                        const payload = JSON.parse(data.join('\n'));
                        yield event === 'reset' ? { type: 'reset', reason: String(payload.reason ?? '') } : payload;
                    }
                    event = 'message';
                    data = [];
                }
                else if (!line.startsWith(':')) {
                    const colon = line.indexOf(':');
                    const name = colon < 0 ? line : line.slice(0, colon);
                    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
                    if (name === 'event')
                        event = value;
                    else if (name === 'data')
                        data.push(value);
                }
            }
        }
    }
    catch (err) {
        if (signal.aborted)
            throw signal.reason;
        throw err;
    }
    finally {
        clearTimeout(timer);
        stop.abort();
    }
}
