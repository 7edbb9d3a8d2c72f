import { z } from 'zod';
import { tableCell } from '../core/readme-section.js';
import { APPLE_CATEGORIES } from './apple-categories.js';
import { EpisodeSchema } from './episode-schema.js';
import { ShowSchema } from './show-schema.js';

/**
 * The README's configuration reference, generated from the zod schemas (the single source of
 * truth, STYLE §5) through zod 4's `z.toJSONSchema`, so the reference cannot drift: a unit
 * test compares the README with this text, and `npm run docs:config` rewrites it.
 */

/** The subset of JSON Schema (draft 2020-12) that zod emits for our schemas. */
interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
}

export interface ConfigRow {
  key: string;
  type: string;
  need: string;
  description: string;
}

/** Input side: what a host writes in YAML (before defaults and transforms). */
function toJson(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

const FORMATS: Record<string, string> = { email: 'email', uri: 'URL', 'date-time': 'ISO 8601 date-time' };

export function describeType(s: JsonSchema): string {
  if (s.anyOf) {
    if (s.anyOf.every((o) => o.const !== undefined)) return s.anyOf.map((o) => `\`${String(o.const)}\``).join(' \\| ');
    return s.anyOf.map(describeType).join(' or ');
  }
  if (s.enum) return s.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  switch (s.type) {
    case 'string':
      return (s.format && FORMATS[s.format]) ?? 'text';
    case 'number':
    case 'integer': {
      const name = s.type === 'integer' ? 'integer' : 'number';
      if (s.minimum !== undefined && s.maximum !== undefined) return `${name} ${s.minimum} to ${s.maximum}`;
      if (s.minimum !== undefined) return `${name} ≥ ${s.minimum}`;
      if (s.exclusiveMinimum !== undefined) return `${name} > ${s.exclusiveMinimum}`;
      return name;
    }
    case 'boolean':
      return '`true` \\| `false`';
    case 'array':
      return `list of ${s.items ? describeType(s.items) : 'values'}`;
    case 'object':
      if (s.properties) return 'object';
      if (typeof s.additionalProperties === 'object') return `map of ${describeType(s.additionalProperties)}`;
      return 'object';
    default:
      return 'any';
  }
}

function describeNeed(s: JsonSchema, required: boolean): string {
  if (required) return 'required';
  const d = s.default;
  if (d === undefined || (typeof d === 'object' && d !== null && Object.keys(d).length === 0)) return 'optional';
  return `default \`${JSON.stringify(d)}\``;
}

/** Every key of an object schema as rows, nested objects as `a.b`, lists of objects as `a[].b`. */
export function configRows(schema: JsonSchema, prefix = ''): ConfigRow[] {
  const rows: ConfigRow[] = [];
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    rows.push({ key: path, type: describeType(prop), need: describeNeed(prop, schema.required?.includes(key) ?? false), description: tableCell(prop.description ?? '') });
    if (prop.type === 'object' && prop.properties) rows.push(...configRows(prop, path));
    if (prop.type === 'array' && prop.items?.properties) rows.push(...configRows(prop.items, `${path}[]`));
  }
  return rows;
}

function table(rows: readonly ConfigRow[]): string {
  const lines = ['| key | type | required / default | description |', '|---|---|---|---|'];
  for (const r of rows) lines.push(`| \`${r.key}\` | ${r.type} | ${r.need} | ${r.description} |`);
  return lines.join('\n');
}

function categoryList(): string {
  return Object.entries(APPLE_CATEGORIES)
    .map(([category, subs]) => `- **${category}**${subs.length ? `: ${subs.join(', ')}` : ''}`)
    .join('\n');
}

/** The body of the README's `config` section (between its markers). */
export function renderConfigDocs(): string {
  return [
    '## Configuration reference',
    '',
    'Generated from the zod schemas in `src/config/` by `npm run docs:config`; a test fails when',
    'this section and the schemas differ. Paths are relative to the show folder (episode paths',
    'to the episode folder) and may not leave it. `castline check` names any bad key as',
    '`file → key: message`, with a did-you-mean for misspelt keys.',
    '',
    '### show.yaml',
    '',
    table(configRows(toJson(ShowSchema))),
    '',
    '### episode.yaml',
    '',
    table(configRows(toJson(EpisodeSchema))),
    '',
    '`published.yaml` is written by `castline build`/`publish` (GUID, YouTube id, upload',
    'session, hashes of what was pushed); commit it and do not edit it by hand.',
    '',
    '### Apple Podcasts categories',
    '',
    '`categories` takes up to three of these (Apple\'s list, which Spotify also uses): a',
    'category name (`- Technology`), or a category with one of its subcategories',
    '(`- {category: Science, subcategory: Natural Sciences}`).',
    '',
    categoryList(),
  ].join('\n');
}
