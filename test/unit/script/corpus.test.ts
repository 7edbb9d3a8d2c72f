import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildScript } from '../../../src/script/build-script.js';
import { REPO_ROOT } from '../../helpers/cli.js';
import { spokenScript } from '../../helpers/spoken-script.js';
import { SETTINGS } from './settings.js';

/**
 * Issues in the house styles of several platforms (markdown exports and pasted plain text),
 * each with an expected script written by hand and read aloud: test/fixtures/issues/corpus/
 * <name>.expected.md is the spec, never generated. It holds script.md without its header
 * comment (hashes) and the per-section estimate lines; a missing expectation fails.
 */
const CORPUS = join(REPO_ROOT, 'test', 'fixtures', 'issues', 'corpus');
const ISSUES = readdirSync(CORPUS).filter((f) => /\.(?:md|txt)$/.test(f) && !f.endsWith('.expected.md'));

it('has at least six issues in different house styles, markdown and plain text', () => {
  expect(ISSUES.length).toBeGreaterThanOrEqual(6);
  expect(ISSUES.some((f) => f.endsWith('.txt'))).toBe(true);
  expect(ISSUES.some((f) => f.endsWith('.md'))).toBe(true);
});

describe.each(ISSUES)('corpus issue %s', (file) => {
  const expectedFile = join(CORPUS, file.replace(/\.(?:md|txt)$/, '.expected.md'));
  const build = buildScript(readFileSync(join(CORPUS, file), 'utf8'), SETTINGS);
  it('reads exactly as the hand-checked script', () => {
    expect(existsSync(expectedFile), `${expectedFile} is missing: write the expected script by hand`).toBe(true);
    expect(spokenScript(build.scriptMd)).toBe(readFileSync(expectedFile, 'utf8'));
  });
  it('speaks no digit, URL, markup or platform chrome', () => {
    for (const s of build.doc.sections) {
      expect(s.text).not.toMatch(/\d|https?:|www\.|[<>*_`#|\\·]/);
      expect(s.text).not.toMatch(/min read|listen here|read online|share this|posted by|view this email/i);
    }
  });
});
