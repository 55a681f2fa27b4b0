import { toJsonSchema, toJsonSchemaDefs, type ConversionConfig, type JsonSchema } from '@valibot/to-json-schema';
import type * as v from 'valibot';
import * as contract from '../../lib/backend/schemas.js';

/**
 * The contract's valibot schemas as JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1),
 * converted by `@valibot/to-json-schema`. Every exported `…Schema` of lib/backend/schemas.ts
 * becomes a component named without the suffix, so a schema added there appears in the document
 * by itself, and every use of it elsewhere becomes a `$ref`.
 */

export const COMPONENT_PREFIX = '#/components/schemas/';

/**
 * `v.check` runs a function, which JSON Schema cannot hold: each check's rule is written here
 * once, as JSON Schema, keyed by the check's message. A check without an entry stops the generator.
 */
const CHECKS: Readonly<Record<string, JsonSchema>> = {
  'a comment needs text or attachments': oneFilled('text', 'attachments'),
  'a reason or an attachment is required': oneFilled('reason', 'attachments'),
};

/** `text` with something besides blanks, or a non-empty `list`, or both. */
function oneFilled(text: string, list: string): JsonSchema {
  return {
    anyOf: [
      { required: [text], properties: { [text]: { type: 'string', pattern: '\\S' } } },
      { required: [list], properties: { [list]: { type: 'array', minItems: 1 } } },
    ],
  };
}

/** The exported schemas of the contract, by component name (`RequestDetailsSchema` → `RequestDetails`). */
export function contractSchemas(): Record<string, v.GenericSchema> {
  const found: [string, v.GenericSchema][] = [];
  for (const [name, value] of Object.entries(contract)) {
    if (!name.endsWith('Schema') || !isSchema(value)) continue;
    found.push([name.slice(0, -'Schema'.length), value]);
  }
  return Object.fromEntries(found.sort(([a], [b]) => a.localeCompare(b)));
}

function isSchema(value: unknown): value is v.GenericSchema {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'schema';
}

/**
 * What a backend sends or receives, not what the bot makes of it: `typeMode: 'input'` stops at
 * each `transform` (e.g. `null` → undefined, a numeric comment id → string). `trim` only tidies a
 * string, so the lengths that follow it are kept (they count the trimmed text).
 */
function conversionConfig(definitions: Record<string, v.GenericSchema>): ConversionConfig {
  return {
    target: 'draft-2020-12',
    typeMode: 'input',
    errorMode: 'throw',
    definitions,
    ignoreActions: ['trim'],
    overrideRef: ({ referenceId }) => `${COMPONENT_PREFIX}${referenceId}`,
    overrideAction({ valibotAction, jsonSchema }) {
      // JSON Schema counts characters, not bytes: the bound in bytes is said in words, and
      // maxLength (never more characters than bytes) holds beside it.
      if (valibotAction.type === 'max_bytes') {
        const bytes = (valibotAction as { requirement?: unknown }).requirement as number;
        return { ...jsonSchema, maxLength: bytes, description: `At most ${bytes} bytes of UTF-8.` };
      }
      if (valibotAction.type !== 'check') return undefined;
      const message = (valibotAction as { message?: unknown }).message;
      const rule = typeof message === 'string' ? CHECKS[message] : undefined;
      if (rule === undefined) {
        throw new Error(`No JSON Schema for the check "${String(message)}": add its rule to CHECKS in tools/contract/json-schema.ts`);
      }
      // Beside the shape, not merged into it: generators read allOf as "this shape and this rule".
      return { allOf: [jsonSchema, rule] };
    },
  };
}

export interface ContractJsonSchemas {
  /** `components.schemas` of the document. */
  readonly components: Record<string, JsonSchema>;
  /** Any valibot schema as JSON Schema: a `$ref` when it is a component, else converted in place. */
  of(schema: v.GenericSchema): JsonSchema;
}

/** `extra`: schemas of the tools' own (e.g. the notify endpoint's answers), components too. */
export function contractJsonSchemas(extra: Readonly<Record<string, v.GenericSchema>> = {}): ContractJsonSchemas {
  const definitions = { ...contractSchemas(), ...extra };
  const config = conversionConfig(definitions);
  const components = toJsonSchemaDefs(definitions, config) as Record<string, JsonSchema>;
  const nameOf = new Map(Object.entries(definitions).map(([name, schema]) => [schema, name]));
  return {
    components,
    of(schema) {
      const name = nameOf.get(schema);
      if (name !== undefined) return { $ref: `${COMPONENT_PREFIX}${name}` };
      // The definitions are components already: drop the root's own copies of them.
      const { $schema: _dialect, $defs: _copies, ...rest } = toJsonSchema(schema, config) as JsonSchema & { $defs?: unknown };
      return rest;
    },
  };
}
