// The taskbbs dashboard: tasks by domain and state, kept live from GET /v1/events.
// Plain JS modules, no build step, no framework: dom.js (helpers), api.js
// (calls and token), state.js (what the page knows), stream.js (the live
// stream), list.js (summary, filters, list) and detail.js (one task).
import { askForToken, currentToken, setToken, whenTokenNeeded } from './api.js'
import { drawDetail, refreshDetail, select } from './detail.js'
import { $ } from './dom.js'
import { connectDetail, render, restoreHash, view } from './list.js'
import { connecting, follow } from './stream.js'

let stream = null // AbortController of the event stream

whenTokenNeeded(() => stream?.abort())
connectDetail({ draw: drawDetail, select })

$('token-form').addEventListener('submit', (e) => {
  e.preventDefault()
  setToken($('token').value.trim())
  $('token').value = ''
  start()
})

$('forget-token').addEventListener('click', () => {
  setToken('')
  askForToken('')
})

function changed (guid) {
  render()
  if (view.selected && (guid === null || guid === view.selected)) refreshDetail()
}

function start () {
  $('token-form').hidden = true
  $('main').hidden = false
  $('forget-token').hidden = !currentToken()
  restoreHash()
  stream?.abort()
  stream = new AbortController()
  connecting()
  follow(stream.signal, changed)
}

setInterval(render, 5000) // keeps "updated … ago" current
start()
