import { Ajv, type ErrorObject, type AnySchema } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifySchemaCompiler } from 'fastify'
import type { FieldError } from '../domain/errors.ts'

/**
 * Two validators: bodies are checked strictly (no type coercion, unknown fields
 * refused, every error reported); query strings and path parameters arrive as
 * text, so numbers there are coerced. Both know the shared schemas by $id.
 */
export function buildValidatorCompiler (shared: AnySchema[]): FastifySchemaCompiler<AnySchema> {
  const make = (coerceTypes: boolean) => {
    const ajv = new Ajv({ allErrors: true, coerceTypes, useDefaults: true, removeAdditional: false, verbose: true, strict: false })
    addFormats.default(ajv)
    for (const s of shared) ajv.addSchema(s)
    return ajv
  }
  const strict = make(false)
  const coercing = make(true)
  return ({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema)
}

function fieldOf (instancePath: string): string {
  const parts = instancePath.split('/').slice(1).map(p => p.replace(/~1/g, '/').replace(/~0/g, '~'))
  let out = ''
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : (out === '' ? p : `.${p}`)
  return out
}

/** Turns the validator's errors into one message per field, in the API's words. */
export function toFieldErrors (errors: ErrorObject[], part: string): FieldError[] {
  const byField = new Map<string, { messages: string[], allowed: unknown[] }>()
  const note = (field: string) => {
    let entry = byField.get(field)
    if (!entry) { entry = { messages: [], allowed: [] }; byField.set(field, entry) }
    return entry
  }
  for (const e of errors) {
    const base = fieldOf(e.instancePath)
    const child = (name: string) => (base === '' ? name : `${base}.${name}`)
    const description = (e.parentSchema as { description?: string } | undefined)?.description
    switch (e.keyword) {
      case 'required':
        note(child((e.params as { missingProperty: string }).missingProperty)).messages.push('is required')
        break
      case 'additionalProperties':
        note(child((e.params as { additionalProperty: string }).additionalProperty)).messages.push('is not a known field')
        break
      case 'const':
        note(base).allowed.push((e.params as { allowedValue: unknown }).allowedValue)
        break
      case 'enum':
        note(base).allowed.push(...(e.params as { allowedValues: unknown[] }).allowedValues)
        break
      case 'minLength':
        note(base).messages.push((e.params as { limit: number }).limit === 1 ? 'must not be empty' : e.message ?? 'is too short')
        break
      case 'anyOf':
        break
      case 'minProperties':
      case 'maxProperties':
        note(base).messages.push(description ? `must be ${description[0].toLowerCase()}${description.slice(1)}` : e.message ?? 'is invalid')
        break
      case 'pattern':
        note(base).messages.push(description ? `is not valid: ${description}` : `must match ${(e.params as { pattern: string }).pattern}`)
        break
      default:
        note(base).messages.push(e.message ?? 'is invalid')
    }
  }
  const out: FieldError[] = []
  for (const [field, { messages, allowed }] of byField) {
    const name = field === '' ? `(${part})` : (part === 'body' ? field : `${part}.${field}`)
    if (allowed.length) out.push({ field: name, message: `must be one of ${allowed.map(a => JSON.stringify(a)).join(', ')}` })
    for (const m of new Set(messages)) out.push({ field: name, message: m })
  }
  return out
}

/** A body validator outside a route (the BBS routes decode protobuf, then judge the result with the JSON schema). */
export function bodyValidator (shared: AnySchema[], ref: string): (value: unknown) => FieldError[] {
  const validate = buildValidatorCompiler(shared)({ schema: { $ref: ref }, httpPart: 'body', method: 'POST', url: '' }) as ((v: unknown) => boolean) & { errors?: ErrorObject[] | null }
  return (value) => validate(value) ? [] : toFieldErrors(validate.errors ?? [], 'body')
}
