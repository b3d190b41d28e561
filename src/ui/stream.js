// The live view: GET /v1/events read with fetch (EventSource cannot send a
// token), resumed with Last-Event-ID after a drop.
import { authHeaders, refused } from './api.js'
import { $ } from './dom.js'
import { apply, loadTasks } from './state.js'

async function * sse (body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader()
  let text = ''
  for (;;) {
    const { value, done } = await reader.read()
    if (done) return
    text += value.replace(/\r\n?/g, '\n')
    let cut
    while ((cut = text.indexOf('\n\n')) >= 0) {
      const block = text.slice(0, cut)
      text = text.slice(cut + 2)
      const m = { event: 'message', data: [] }
      for (const line of block.split('\n')) {
        if (!line || line.startsWith(':')) continue
        const i = line.indexOf(':')
        const field = i < 0 ? line : line.slice(0, i)
        const v = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '')
        if (field === 'id') m.id = v
        else if (field === 'event') m.event = v
        else if (field === 'data') m.data.push(v)
      }
      if (m.data.length) yield { ...m, data: m.data.join('\n') }
    }
  }
}

function connection (state, text) {
  $('connection').dataset.state = state
  $('connection').textContent = text
}

export function connecting () { connection('connecting', 'connecting…') }

/**
 * Opens the stream first, then lists tasks, then applies the events that came
 * meanwhile: nothing is missed between the list and the stream. Reconnects
 * with Last-Event-ID, so nothing is missed or repeated across drops either.
 * `changed(guid)` is called after the page's state changed (guid: the task, or
 * null after a full list).
 */
export async function follow (signal, changed) {
  let lastId = ''
  let first = true
  while (!signal.aborted) {
    try {
      const headers = authHeaders({ accept: 'text/event-stream' })
      if (lastId) headers['last-event-id'] = lastId
      const res = await fetch('/v1/events', { headers, signal })
      if (res.status === 401) { refused(); return }
      if (!res.ok) throw new Error(`the event stream answered ${res.status}`)
      const pending = []
      let listing = null
      if (first) {
        first = false
        listing = loadTasks().then(() => {
          listing = null
          for (const e of pending.splice(0)) apply(e)
          changed(null)
        }, (err) => {
          listing = null
          if (err.message !== 'unauthorized') connection('reconnecting', `cannot list tasks: ${err.message}`)
        })
      }
      connection('live', 'live')
      // The list may still be loading: queue events until it is in.
      for await (const m of sse(res.body)) {
        if (m.id) lastId = m.id
        if (m.event === 'reset') { await loadTasks(); changed(null); continue }
        if (!m.event.startsWith('task_')) continue
        const event = JSON.parse(m.data)
        if (listing) pending.push(event)
        else { apply(event); changed(event.guid) }
      }
      await listing
    } catch (err) {
      if (signal.aborted) return
      if (err.message === 'unauthorized') return
      console.warn('event stream:', err)
    }
    connection('reconnecting', 'reconnecting…')
    await new Promise((resolve) => setTimeout(resolve, 2000))
  }
}
