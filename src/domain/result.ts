import { MAX_RESULT_BYTES } from './task-definition.ts'

/**
 * The result of a task: "Diego only returns the first 10 kilobytes of the
 * ResultFile". The cut falls on a character boundary, so a result is always
 * whole UTF-8 text and never ends in half a character. `head` is the start of
 * the file, at least one byte longer than the limit when the file is (the byte
 * after the cut tells whether a character straddles it).
 */
export function resultText (head: Uint8Array, max: number = MAX_RESULT_BYTES): string {
  let end = head.length
  if (end > max) {
    end = max
    // Step back over continuation bytes (10xxxxxx) to the start of the cut character.
    while (end > 0 && (head[end] & 0xc0) === 0x80) end--
  }
  return new TextDecoder().decode(head.subarray(0, end))
}
