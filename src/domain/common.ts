import Type from 'typebox'

/**
 * Bounds every string and array so that no single request can make the server
 * hold or store unbounded data. Generous next to what Diego clients send.
 */
export const LIMITS = {
  shortString: 255,
  pathString: 4096,
  longString: 65536,
  items: 1024
} as const

// Control characters are refused in names: Postgres cannot store NUL in text or
// jsonb, and CR/LF in a URL or header value is an injection vector.
const PRINTABLE = '^[^\\u0000-\\u001f\\u007f]*$'

export const Name = (description: string) =>
  Type.String({ minLength: 1, maxLength: LIMITS.shortString, pattern: PRINTABLE, description })

export const Path = (description: string) =>
  Type.String({ minLength: 1, maxLength: LIMITS.pathString, pattern: PRINTABLE, description })

export const Text = (description: string, maxLength: number = LIMITS.longString) =>
  Type.String({ maxLength, description })

export const Url = (description: string) =>
  Type.String({ minLength: 1, maxLength: LIMITS.pathString, pattern: PRINTABLE, format: 'uri', description })

export const LogSource = Type.Optional(Type.String({
  maxLength: LIMITS.shortString, pattern: PRINTABLE,
  description: 'Overrides the task log_source for log lines of this action.'
}))

export const EnvironmentVariable = Type.Object({
  name: Type.String({ minLength: 1, maxLength: LIMITS.shortString, pattern: '^[^=\\u0000-\\u001f\\u007f]+$', description: 'Variable name; no "=" or control characters.' }),
  value: Type.String({ maxLength: LIMITS.longString, description: 'Variable value.' })
}, { additionalProperties: false })

export const EnvironmentVariables = Type.Array(EnvironmentVariable, { maxItems: LIMITS.items })

/** Diego's volume-mounted files: written into the container before its processes start. */
export const VolumeMountedFiles = Type.Array(Type.Object({
  path: Path('Where the file is written, relative to the container\'s volume-mounted-files directory.'),
  content: Type.String({ maxLength: LIMITS.longString, description: 'The file\'s content.' })
}, { additionalProperties: false }), { maxItems: 64, description: 'Files written into the container before the action runs.' })

// BBS takes checksum and digest values as opaque strings (the seed's own example
// sends "the-checksum" and "some digest"); a wrong one fails the download, not
// the desire. Executors must pass it on as data, never into a shell.
export const ChecksumValue = (description: string) =>
  Type.String({ minLength: 1, maxLength: 256, pattern: PRINTABLE, description })

export const ChecksumAlgorithm = StringEnum(['md5', 'sha1', 'sha256'], {
  description: 'Checksum algorithm; set together with checksum_value.'
})

/** A closed set of strings, emitted as `{type: string, enum: [...]}` so that client generators make a proper enum. */
export function StringEnum<const T extends readonly string[]> (values: T, options: { description?: string, $id?: string, default?: T[number] } = {}) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options })
}
