/** The longest line held while waiting for a newline (runner/PROTOCOL.md: 64 KiB). */
export const MAX_LINE_BYTES = 64 * 1024

/**
 * Splits a process's output into lines on '\n', working on bytes so that a
 * character split across two reads stays whole. A line longer than
 * MAX_LINE_BYTES is reported in pieces of at most that many bytes, each cut on
 * a character boundary; a line of exactly MAX_LINE_BYTES is one line, however
 * the reads fall (a piece is cut only once more bytes than that are held).
 */
export function lineSplitter (emit: (line: string) => void) {
  let rest = Buffer.alloc(0)
  return {
    push (chunk: Buffer) {
      let data = rest.length ? Buffer.concat([rest, chunk]) : chunk
      let nl: number
      while ((nl = data.indexOf(0x0a)) >= 0) {
        emitPieces(data.subarray(0, nl), emit)
        data = data.subarray(nl + 1)
      }
      while (data.length > MAX_LINE_BYTES) {
        const cut = boundary(data, MAX_LINE_BYTES)
        emit(data.subarray(0, cut).toString('utf8'))
        data = data.subarray(cut)
      }
      rest = Buffer.from(data)
    },
    end () {
      if (rest.length) emit(rest.toString('utf8'))
      rest = Buffer.alloc(0)
    }
  }
}

function emitPieces (line: Buffer, emit: (line: string) => void) {
  while (line.length > MAX_LINE_BYTES) {
    const cut = boundary(line, MAX_LINE_BYTES)
    emit(line.subarray(0, cut).toString('utf8'))
    line = line.subarray(cut)
  }
  emit(line.toString('utf8'))
}

/** The largest cut <= max that does not split a UTF-8 character (max itself for bytes that are not UTF-8). */
function boundary (b: Buffer, max: number): number {
  for (let cut = max; cut > max - 4 && cut > 0; cut--) {
    if ((b[cut] & 0xc0) !== 0x80) return cut
  }
  return max
}
