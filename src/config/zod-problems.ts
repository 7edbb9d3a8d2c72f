import { z } from 'zod';
import type { Problem } from '../core/errors.js';
import { didYouMean } from '../core/did-you-mean.js';

type AnySchema = z.ZodType;

/** Unwrap optional/default/pipe wrappers to find an object's known keys at a path. */
type Inspectable = { _zod?: { def: Record<string, unknown> } } | undefined;

function unwrap(schema: unknown): Inspectable {
  let s = schema as Inspectable;
  for (let i = 0; i < 20 && s?._zod; i++) {
    const def = s._zod.def;
    const type = def['type'];
    if (type === 'optional' || type === 'default' || type === 'prefault' || type === 'nullable' || type === 'readonly' || type === 'catch') {
      s = def['innerType'] as typeof s;
    } else if (type === 'pipe') {
      s = def['in'] as typeof s;
    } else {
      break;
    }
  }
  return s;
}

export function knownKeysAt(schema: AnySchema, path: readonly PropertyKey[]): string[] {
  let s = unwrap(schema);
  for (const key of path) {
    if (!s?._zod) return [];
    const def = s._zod.def;
    if (def['type'] === 'object') s = unwrap((def['shape'] as Record<string, unknown>)[String(key)]);
    else if (def['type'] === 'array') s = unwrap(def['element']);
    else if (def['type'] === 'record') s = unwrap(def['valueType']);
    else return [];
  }
  if (s?._zod?.def['type'] === 'object') return Object.keys(s._zod.def['shape'] as object);
  if (s?._zod?.def['type'] === 'union') {
    for (const option of s._zod.def['options'] as AnySchema[]) {
      const keys = knownKeysAt(option, []);
      if (keys.length) return keys;
    }
  }
  return [];
}

const TYPE_WORDS: Record<string, string> = {
  boolean: 'true or false',
  number: 'a number',
  int: 'a whole number',
  string: 'text',
  array: 'a list',
  object: 'a mapping of keys to values',
  record: 'a mapping of keys to values',
};

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = data;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key as string];
  }
  return v;
}

function showValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  if (s === undefined) return String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/**
 * Turn zod issues into `file → dot.path: message` problems: zod's own `toDotPath` for the
 * path, the bad value quoted, and a did-you-mean for unknown keys.
 */
export function zodIssuesToProblems(
  error: z.ZodError,
  schema: AnySchema,
  data: unknown,
  file: string,
  hintFor?: (issue: z.core.$ZodIssue) => string | undefined,
): Problem[] {
  const problems: Problem[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(schema, issue.path);
      for (const key of issue.keys) {
        const guess = didYouMean(key, known);
        problems.push({
          severity: 'error',
          code: 'unknown-key',
          file,
          path: z.core.toDotPath([...issue.path, key]),
          message: `unknown key "${key}"${guess ? ` (did you mean "${guess}"?)` : ''}`,
          hint: guess ? `rename it to "${guess}"` : `remove it; known keys here: ${known.join(', ')}`,
        });
      }
      continue;
    }
    const value = valueAt(data, issue.path);
    let message = issue.message;
    let hint = hintFor?.(issue);
    if (issue.code === 'invalid_type' && value === undefined) message = message.includes('required') ? message : 'is required';
    else if (issue.code === 'invalid_type' && message.startsWith('Invalid input')) {
      // zod's default wording ("Invalid input: expected boolean, received string") in the
      // host's terms, with the usual cause: YAML quotes turning a value into text.
      message = `must be ${TYPE_WORDS[issue.expected] ?? issue.expected}`;
      if (typeof value === 'string' && ['boolean', 'number', 'int'].includes(issue.expected)) hint ??= 'write it without quotes';
      if (issue.expected === 'string' && (typeof value === 'number' || typeof value === 'boolean')) hint ??= 'put it in quotes';
    }
    if (issue.code === 'invalid_value' && message.startsWith('Invalid option')) {
      message = `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
      const guess = typeof value === 'string' ? didYouMean(value, issue.values.filter((v): v is string => typeof v === 'string')) : undefined;
      if (guess) hint ??= `did you mean "${guess}"?`;
    }
    if (issue.code === 'invalid_format' && issue.format === 'datetime' && message.startsWith('Invalid')) {
      message = 'must be an ISO 8601 date-time with a time zone, like "2023-01-20T09:00:00+01:00"';
    }
    problems.push({
      severity: 'error',
      code: 'schema',
      file,
      path: z.core.toDotPath(issue.path),
      message: value === undefined ? message : `${message} (got ${showValue(value)})`,
      hint,
    });
  }
  return problems;
}
