import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { CastlineError, type Problem } from '../../../src/core/errors.js';
import { ERROR_AREAS, ERRORS, type ErrorCode } from '../../../src/core/errors-data.js';
import { YouTubeApiError } from '../../../src/youtube/youtube-error.js';

const SRC = fileURLToPath(new URL('../../../src/', import.meta.url));
const CATALOGUE = join(SRC, 'core', 'errors-data.ts');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? sourceFiles(path) : e.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every src file but the catalogue itself, with comments left in (a code named only in a comment is not "used", but none is). */
const sources = sourceFiles(SRC)
  .filter((f) => f !== CATALOGUE)
  .map((f) => ({ file: relative(SRC, f), text: readFileSync(f, 'utf8') }));

const codes = Object.keys(ERRORS) as ErrorCode[];

describe('error catalogue', () => {
  it('lists every code thrown or reported in src', () => {
    // Literal codes at the places that create errors and problems; the type system already
    // rejects unknown ones, this also catches a cast (`as ErrorCode`) sneaking one in.
    const used = new Set<string>();
    for (const { file, text } of sources) {
      for (const m of text.matchAll(/new (?:CastlineError|YouTubeApiError)\(\s*'([^']+)'/g)) used.add(m[1]!);
      // `code: '…'` in Problem literals; zod's own issue codes (ctx.addIssue) are not ours.
      if (file.endsWith('show-schema.ts')) continue;
      for (const m of text.matchAll(/\bcode: '([^']+)'/g)) used.add(m[1]!);
      for (const m of text.matchAll(/\bcode === 'ENOENT' \? '([^']+)' : '([^']+)'/g)) used.add(m[1]!).add(m[2]!);
    }
    expect(used.size).toBeGreaterThan(50);
    expect([...used].filter((c) => !(c in ERRORS))).toEqual([]);
  });

  it('has no entry that src never uses', () => {
    const unused = codes.filter((code) => !sources.some(({ text }) => text.includes(`'${code}'`)));
    expect(unused).toEqual([]);
  });

  it('gives every entry a title, a message and a non-empty hint, in a known area', () => {
    for (const code of codes) {
      const e = ERRORS[code] as (typeof ERRORS)[ErrorCode] & { cases?: readonly { message: string; hint: string }[] };
      expect(code, code).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(e.title.trim(), code).not.toBe('');
      expect(e.message.trim(), code).not.toBe('');
      expect(e.hint.trim().length, code).toBeGreaterThan(8);
      expect(Object.keys(ERROR_AREAS), code).toContain(e.area);
      for (const c of e.cases ?? []) expect(c.hint.trim(), `${code}: ${c.message}`).not.toBe('');
    }
  });

  it('prints the catalogue hint when the throw site gives none, and the site\'s own hint otherwise', () => {
    expect(new CastlineError('measure-failed', 'ffmpeg printed no loudness summary for a.wav').hint).toMatch(/--debug/);
    expect(new CastlineError('bad-port', '--port x is not a port number', { hint: 'use 8080' }).hint).toBe('use 8080');
    expect(new YouTubeApiError('youtube-failed', 'x', { reason: 'noVideoId', stopsRun: false }).hint).toMatch(/rerun castline publish/);
  });

  it('rejects unknown codes at compile time', () => {
    expectTypeOf<'cover-not-square'>().toMatchTypeOf<ErrorCode>();
    expectTypeOf<'cover-not-sqaure'>().not.toMatchTypeOf<ErrorCode>();
    // `npm run typecheck` fails if any of these lines compiles (tsd-style expect-error checks).
    // @ts-expect-error a typo is not a code
    expect(() => new CastlineError('cover-not-sqaure', 'x')).not.toThrow();
    // @ts-expect-error nor is a code invented at the throw site
    const problem: Problem = { severity: 'error', code: 'made-up', file: 'show.yaml', message: 'x' };
    expect(problem.file).toBe('show.yaml');
    // @ts-expect-error YouTube's errors take catalogue codes too
    expect(new YouTubeApiError('youtube-oops', 'x', { reason: 'r', stopsRun: false }).code).toBe('youtube-oops');
  });
});
