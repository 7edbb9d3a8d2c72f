import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, hasErrors, ProblemsError, type Problem } from '../../../src/core/errors.js';
import { hashValue, sha256, sha256File, stableStringify } from '../../../src/core/hash.js';

describe('hash', () => {
  it('sha256 matches the known digest of "abc" (FIPS 180-2 test vector)', () => {
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hashValue ignores key order and undefined values, but not array order', () => {
    expect(hashValue({ a: 1, b: { c: [1, 2], d: 'x' } })).toBe(hashValue({ b: { d: 'x', c: [1, 2] }, a: 1, e: undefined }));
    expect(hashValue({ c: [1, 2] })).not.toBe(hashValue({ c: [2, 1] }));
    expect(stableStringify({ b: 1, a: [null, 'x'] })).toBe('{"a":[null,"x"],"b":1}');
  });

  it('sha256File equals sha256 of the content', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'castline-hash-'));
    try {
      const data = Buffer.alloc(200_000, 7);
      await writeFile(join(dir, 'f'), data);
      expect(await sha256File(join(dir, 'f'))).toBe(sha256(data));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('problems', () => {
  const err: Problem = { severity: 'error', code: 'schema', file: 'show.yaml', path: 'owner.email', message: 'must be an email address', hint: 'fix it' };
  const warn: Problem = { severity: 'warning', code: 'no-issue', file: 'episodes/x/issue.md', message: 'no issue.md' };

  it('formats as `file → path: message` with the hint on its own line', () => {
    expect(formatProblem(err)).toBe('error: show.yaml → owner.email: must be an email address\n    hint: fix it');
    expect(formatProblem(warn)).toBe('warning: episodes/x/issue.md: no issue.md');
  });

  it('counts only errors in the summary', () => {
    expect(hasErrors([warn])).toBe(false);
    expect(hasErrors([warn, err])).toBe(true);
    expect(new ProblemsError([err, warn, { ...err, path: 'language' }]).message).toBe('2 problems found');
    expect(new ProblemsError([err]).message).toBe('1 problem found');
  });
});
