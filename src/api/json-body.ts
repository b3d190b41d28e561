/**
 * The request body parser. JSON.parse accepts what a strict API should not:
 * duplicate keys (the last silently wins), unbounded nesting (a deep body can
 * exhaust the validator's stack) and prototype keys. This scanner walks the text
 * once before JSON.parse and refuses those with a message naming where.
 */
export const MAX_JSON_DEPTH = 128

export class JsonBodyError extends Error {
  readonly statusCode = 400
  readonly code = 'BAD_REQUEST'
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

function readString (text: string, start: number): number {
  // Returns the index just past the closing quote.
  let i = start + 1
  while (i < text.length) {
    const c = text.charCodeAt(i)
    if (c === 0x5c) i += 2
    else if (c === 0x22) return i + 1
    else i++
  }
  return -1
}

export function parseJsonBody (text: string): unknown {
  if (text.trim() === '') return undefined
  const objects: Array<Set<string> | null> = []
  let expectKey = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '"') {
      const end = readString(text, i)
      if (end < 0) break // JSON.parse reports it
      const top = objects.at(-1)
      if (expectKey && top) {
        let key: string
        try { key = JSON.parse(text.slice(i, end)) as string } catch { break }
        if (top.has(key)) throw new JsonBodyError(`duplicate key "${key}" at offset ${i}`)
        if (FORBIDDEN_KEYS.has(key)) throw new JsonBodyError(`key "${key}" is not allowed (offset ${i})`)
        top.add(key)
        expectKey = false
      }
      i = end - 1
    } else if (c === '{' || c === '[') {
      objects.push(c === '{' ? new Set() : null)
      if (objects.length > MAX_JSON_DEPTH) throw new JsonBodyError(`the body nests deeper than ${MAX_JSON_DEPTH} levels`)
      expectKey = c === '{'
    } else if (c === '}' || c === ']') {
      objects.pop()
      expectKey = false
    } else if (c === ',') {
      expectKey = objects.at(-1) != null
    }
  }
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new JsonBodyError(`the body is not valid JSON: ${(err as Error).message}`)
  }
}
