import Type, { type Static } from 'typebox'

const Seconds = (def: number, description: string, minimum = 0.001) =>
  Type.Number({ default: def, minimum, maximum: 31_536_000, description: `${description} In seconds (fractions allowed).` })

/**
 * Every environment variable taskbbs reads, with its default and meaning. This
 * one schema validates the environment at start, prints `--help` and is the
 * source of the README's configuration table.
 */
export const ConfigSchema = Type.Object({
  TASKBBS_MODE: Type.Union([Type.Literal('development'), Type.Literal('production')], {
    default: 'development',
    description: 'development relaxes safety defaults for a laptop (loopback callbacks allowed); production enforces them.'
  }),
  TASKBBS_HOST: Type.String({ default: '127.0.0.1', minLength: 1, description: 'Address the HTTP server listens on; 0.0.0.0 in a container.' }),
  TASKBBS_PORT: Type.Integer({ default: 8080, minimum: 0, maximum: 65535, description: 'HTTP port; 0 picks a free one.' }),
  DATABASE_URL: Type.String({ default: '', description: 'PostgreSQL connection string. Empty: start an embedded PostgreSQL in a fresh temporary directory.' }),
  TASKBBS_PG_POOL_MAX: Type.Integer({ default: 10, minimum: 1, maximum: 1000, description: 'Connections in the database pool.' }),
  TASKBBS_BODY_LIMIT_BYTES: Type.Integer({ default: 1_048_576, minimum: 1024, maximum: 104_857_600, description: 'Largest request body accepted; larger ones get 413.' }),
  TASKBBS_ALLOW_PRIVILEGED: Type.Boolean({ default: false, description: 'Accept tasks with privileged: true.' }),
  TASKBBS_LOG_LEVEL: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map(l => Type.Literal(l)), {
    default: 'info', description: 'Log level of the JSON logs on stdout.'
  }),
  TASKBBS_SHUTDOWN_TIMEOUT: Seconds(30, 'On SIGTERM, how long running work may take to finish before it is handed back.')
}, { additionalProperties: false })

export type Config = Static<typeof ConfigSchema>
