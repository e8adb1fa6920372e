import { ZodType } from 'zod';
import type { TestApp } from '../support/api.ts';

// Reading the app's own OpenAPI document: its operations, and a plausible value for a schema.

export interface Operation {
  method: string;
  /** The template as the document names it, under /api: /api/entries/{id}/like */
  path: string;
  params: Array<{ name: string; in: 'path' | 'query' }>;
  /** The request body's media type, if it takes one. */
  bodyType: string | null;
  bodySchema: Schema | null;
}

export interface Schema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  additionalProperties?: boolean | Schema;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  format?: string;
  default?: unknown;
}

interface Doc {
  servers?: Array<{ url: string }>;
  paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }>; requestBody?: { content: Record<string, { schema?: Schema }> } }>>;
  components?: { schemas?: Record<string, Schema> };
}

export async function loadDoc(t: TestApp): Promise<{ doc: Doc; operations: Operation[] }> {
  const res = await t.req('GET', '/api/openapi.json');
  if (res.status !== 200) throw new Error(`openapi.json: ${res.status}`);
  const doc = (await res.json()) as Doc;
  const prefix = doc.servers?.[0]?.url ?? '';
  const operations: Operation[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const content = op.requestBody?.content ?? {};
      const bodyType = Object.keys(content)[0] ?? null;
      operations.push({
        method: method.toUpperCase(),
        path: `${prefix}${path}`,
        params: (op.parameters ?? []).filter((p) => p.in === 'path' || p.in === 'query').map((p) => ({ name: p.name, in: p.in as 'path' | 'query' })),
        bodyType,
        bodySchema: bodyType ? (content[bodyType]!.schema ?? null) : null,
      });
    }
  }
  return { doc, operations };
}

/** Follow $ref and take the first branch of a union, so a value can be made. */
export function resolve(doc: Doc, s: Schema | undefined): Schema {
  let schema = s ?? {};
  for (let i = 0; i < 10; i++) {
    if (schema.$ref) schema = doc.components?.schemas?.[schema.$ref.split('/').pop()!] ?? {};
    else if (schema.anyOf?.length) schema = schema.anyOf.find((x) => (x as Schema).type !== 'null') ?? schema.anyOf[0]!;
    else if (schema.oneOf?.length) schema = schema.oneOf[0]!;
    else if (schema.allOf?.length) schema = Object.assign({}, ...schema.allOf.map((x) => resolve(doc, x)));
    else break;
  }
  return schema;
}

/** Values the project's patterns accept, by field name, where a generic string would not do. */
const KNOWN: Record<string, unknown> = {
  phone: '13900000101',
  code: '123456',
  villageId: '350582102207',
  villageIds: ['350582102207'],
  idempotencyKey: 'fuzz-key-0001',
  reason: '经核实属于刷票行为。',
  to: 'inspecting',
  kind: 'overview',
};

/** A plausible value for a schema: required fields filled, strings within their lengths. */
export function sample(doc: Doc, s: Schema | undefined, name = '', depth = 0): unknown {
  if (name in KNOWN) return KNOWN[name];
  const schema = resolve(doc, s);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  const type = Array.isArray(schema.type) ? schema.type.find((x) => x !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      if (depth > 4) return out;
      for (const [k, v] of Object.entries(schema.properties ?? {})) out[k] = sample(doc, v, k, depth + 1);
      return out;
    }
    case 'array':
      return depth > 4 ? [] : [sample(doc, schema.items, name, depth + 1)];
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'string':
      return '测试'.padEnd(Math.max(2, schema.minLength ?? 2), '试').slice(0, schema.maxLength ?? 40);
    default:
      return {};
  }
}

/**
 * The JSON answers each route declares, as zod schemas from the app's own registry (the same
 * objects the web's types are inferred from), by `METHOD /api/path status`.
 */
export function answerContracts(t: TestApp): Map<string, ZodType> {
  const contracts = new Map<string, ZodType>();
  for (const d of t.app.openAPIRegistry.definitions) {
    if (d.type !== 'route') continue;
    for (const [status, answer] of Object.entries(d.route.responses)) {
      const schema = (answer as { content?: Record<string, { schema?: unknown }> }).content?.['application/json']?.schema;
      if (schema instanceof ZodType) contracts.set(`${d.route.method.toUpperCase()} ${d.route.path} ${status}`, schema);
    }
  }
  return contracts;
}

/**
 * The keys an answer carries that its contract does not declare, by path (`.entries[0].phone`).
 * zod lets such keys through a parse; this is how a field added to an answer without being
 * declared — a phone number on a public page, say — is caught. An object declared open
 * (`catchall`) and a record may carry any key.
 */
export function undeclaredKeys(schema: ZodType, value: unknown, path = ''): string[] {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  const inner = (key: string) => def[key] as ZodType;
  switch (def.type) {
    case 'object': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
      const shape = def['shape'] as Record<string, ZodType>;
      const open = def['catchall'] !== undefined && (def['catchall'] as { _zod: { def: { type: string } } })._zod.def.type !== 'never';
      return Object.entries(value).flatMap(([k, v]) => (k in shape ? undeclaredKeys(shape[k]!, v, `${path}.${k}`) : open ? [] : [`${path}.${k}`]));
    }
    case 'array':
      return Array.isArray(value) ? value.flatMap((v, i) => undeclaredKeys(inner('element'), v, `${path}[${i}]`)) : [];
    case 'nullable':
    case 'optional':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return value === null || value === undefined ? [] : undeclaredKeys(inner('innerType'), value, path);
    case 'union': {
      // the option the value fits, with the fewest undeclared keys
      const options = def['options'] as ZodType[];
      const fitting = options.filter((o) => o.safeParse(value).success);
      return (fitting.length ? fitting : options).map((o) => undeclaredKeys(o, value, path)).sort((a, b) => a.length - b.length)[0] ?? [];
    }
    case 'pipe':
      return undeclaredKeys(inner('in'), value, path);
    case 'lazy':
      return undeclaredKeys((def['getter'] as () => ZodType)(), value, path);
    default:
      return [];
  }
}
