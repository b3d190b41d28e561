// The dashboard's API calls and its bearer token (kept for this tab only).
import { $ } from './dom.js'

const TOKEN_KEY = 'taskbbs.token'
let token = sessionStorage.getItem(TOKEN_KEY) || ''
let onTokenNeeded = () => {}

export function currentToken () { return token }

/** What to do when the page needs a (new) token: stop streaming, then show the form. */
export function whenTokenNeeded (fn) { onTokenNeeded = fn }

export function authHeaders (extra = {}) {
  return token ? { ...extra, authorization: `Bearer ${token}` } : extra
}

/** The answer to a 401: a first visit without a token only asks for one; a refused token says so. */
export function refused () {
  askForToken(token ? 'That token was not accepted.' : '')
}

/** An API call with the token; 401 asks for a token, other errors throw with the server's detail. */
export async function api (path, init = {}) {
  const res = await fetch(path, { ...init, headers: authHeaders({ accept: 'application/json', ...(init.headers || {}) }) })
  if (res.status === 401) {
    refused()
    throw new Error('unauthorized')
  }
  if (!res.ok) {
    let detail = `${res.status} ${res.statusText}`
    try { const p = await res.json(); detail = `${p.detail || p.title} (${res.status} ${p.code})` } catch {}
    throw new Error(detail)
  }
  return res.status === 204 ? null : res.json()
}

export function askForToken (message) {
  onTokenNeeded()
  $('main').hidden = true
  $('token-form').hidden = false
  $('token-error').textContent = message
  $('token').focus()
}

export function setToken (value) {
  token = value
  if (value) sessionStorage.setItem(TOKEN_KEY, value)
  else sessionStorage.removeItem(TOKEN_KEY)
}
