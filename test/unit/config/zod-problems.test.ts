import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { knownKeysAt, zodIssuesToProblems } from '../../../src/config/zod-problems.js';
import { ShowSchema } from '../../../src/config/show-schema.js';
import { EpisodeSchema } from '../../../src/config/episode-schema.js';

function problemsFor(schema: z.ZodType, data: unknown, file = 'x.yaml'): string[] {
  const result = schema.safeParse(data);
  if (result.success) return [];
  return zodIssuesToProblems(result.error, schema, data, file).map((p) => `${p.file} → ${p.path}: ${p.message}${p.hint ? ` [hint: ${p.hint}]` : ''}`);
}

describe('knownKeysAt', () => {
  it('sees through optional/default/prefault wrappers, arrays and records', () => {
    expect(knownKeysAt(ShowSchema, [])).toContain('title');
    expect(knownKeysAt(ShowSchema, ['owner'])).toEqual(['name', 'email']);
    expect(knownKeysAt(ShowSchema, ['audio'])).toContain('loudness');
    expect(knownKeysAt(ShowSchema, ['podcast', 'persons', 0])).toEqual(['name', 'role', 'href', 'img']);
    expect(knownKeysAt(EpisodeSchema, ['corrections', 2])).toEqual(['date', 'text']);
    expect(knownKeysAt(ShowSchema, ['categories', 0])).toEqual(['category', 'subcategory']);
    expect(knownKeysAt(ShowSchema, ['title'])).toEqual([]);
  });
});

describe('zodIssuesToProblems', () => {
  const schema = z.strictObject({
    title: z.string(),
    explicit: z.boolean().optional(),
    count: z.number().optional(),
    nested: z.strictObject({ email: z.string().email('must be an email address') }).optional(),
    list: z.array(z.strictObject({ date: z.string() })).optional(),
  });

  it('names unknown keys with a did-you-mean and the fix', () => {
    expect(problemsFor(schema, { titel: 'x' })).toEqual([
      'x.yaml → title: is required',
      'x.yaml → titel: unknown key "titel" (did you mean "title"?) [hint: rename it to "title"]',
    ]);
  });

  it('lists the known keys when nothing is close', () => {
    expect(problemsFor(schema, { title: 'x', zzzzzzzz: 1 })).toEqual(['x.yaml → zzzzzzzz: unknown key "zzzzzzzz" [hint: remove it; known keys here: title, explicit, count, nested, list]']);
  });

  it('uses dot paths with array indexes and quotes the bad value', () => {
    expect(problemsFor(schema, { title: 'x', nested: { email: 'nope' }, list: [{ date: '1' }, { date: 2 }] })).toEqual([
      'x.yaml → nested.email: must be an email address (got "nope")',
      'x.yaml → list[1].date: must be text (got 2) [hint: put it in quotes]',
    ]);
  });

  it('words type errors for hosts, with the quoting hint YAML usually needs', () => {
    expect(problemsFor(schema, { title: 'x', explicit: 'no', count: '3' })).toEqual([
      'x.yaml → explicit: must be true or false (got "no") [hint: write it without quotes]',
      'x.yaml → count: must be a number (got "3") [hint: write it without quotes]',
    ]);
  });

  it('lists the allowed values, with a did-you-mean for a near miss', () => {
    const choice = z.strictObject({ privacy: z.enum(['private', 'unlisted', 'public']), rate: z.literal([44100, 48000]).optional() });
    expect(problemsFor(choice, { privacy: 'pubic', rate: 44000 })).toEqual([
      'x.yaml → privacy: must be one of "private", "unlisted", "public" (got "pubic") [hint: did you mean "public"?]',
      'x.yaml → rate: must be one of 44100, 48000 (got 44000)',
    ]);
  });

  it('shortens long values', () => {
    const [line] = problemsFor(schema, { title: 'x'.repeat(10), count: 'y'.repeat(100) });
    expect(line).toMatch(/\(got "y+\.\.\.\)/);
    expect(line!.length).toBeLessThan(160);
  });

  it('passes the schema-specific hint through', () => {
    const result = schema.safeParse({});
    if (result.success) throw new Error('expected failure');
    const [problem] = zodIssuesToProblems(result.error, schema, {}, 'f', () => 'custom hint');
    expect(problem).toMatchObject({ severity: 'error', code: 'schema', file: 'f', path: 'title', message: 'is required', hint: 'custom hint' });
  });
});
