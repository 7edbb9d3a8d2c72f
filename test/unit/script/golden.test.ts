import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildScript, type ScriptSettings } from '../../../src/script/build-script.js';
import { REPO_ROOT } from '../../helpers/cli.js';
import { SETTINGS } from './settings.js';

/**
 * Golden files: the whole script.md and notes.md for each fixture issue. They were reviewed by
 * reading them aloud; a change in output shows up as a diff here. UPDATE_GOLDEN=1 rewrites them.
 */
const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'issues');


function golden(name: string, actual: string): void {
  const file = join(FIXTURES, name);
  if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(file, actual);
  // A missing golden file fails: writing it here would make the test pass on whatever the
  // code printed. Review the output, then create it with UPDATE_GOLDEN=1.
  if (!existsSync(file)) expect.fail(`golden file ${name} is missing: run UPDATE_GOLDEN=1 npx vitest run test/unit/script/golden.test.ts and review the diff`);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

const CASES: Array<[string, string, Partial<ScriptSettings>]> = [
  ['episode issue (plain text)', join(REPO_ROOT, 'episodes', '2023-01-20-mlaisu', 'issue.md'), {}],
  ['whole seed with the reader comment (plain text)', join(FIXTURES, 'seed.txt'), {}],
  ['seed with urls: speak', join(REPO_ROOT, 'episodes', '2023-01-20-mlaisu', 'issue.md'), { urls: 'speak' }],
  ['markdown with tables, images, footnotes, HTML', join(FIXTURES, 'rich.md'), {}],
  ['plain text with a list and addresses', join(FIXTURES, 'plain-nested.txt'), {}],
];
const SLUGS = ['episode-issue', 'seed', 'episode-issue-speak', 'rich', 'plain-nested'];

describe.each(CASES.map((c, i) => [...c, SLUGS[i] ?? String(i)] as const))('golden: %s', (_name, file, overrides, slug) => {
  const build = buildScript(readFileSync(file, 'utf8'), { ...SETTINGS, ...overrides });
  it('script.md', () => golden(`${slug}.script.md`, build.scriptMd));
  it('notes.md', () => golden(`${slug}.notes.md`, build.notesMd));
  it('speaks no URL, markdown or HTML', () => {
    for (const s of build.doc.sections) {
      expect(s.text).not.toMatch(/https?:|www\.|\w\.(com|org|pub|training)\b/);
      expect(s.text).not.toMatch(/[<>*_`#|\\[\]]|\]\(|!\[/);
      expect(s.text).not.toMatch(/\p{Extended_Pictographic}/u);
      expect(s.text).not.toMatch(/\d/);
    }
  });
});

describe('the seed issue', () => {
  const build = buildScript(readFileSync(join(REPO_ROOT, 'episodes', '2023-01-20-mlaisu', 'issue.md'), 'utf8'), SETTINGS);
  it('has intro, the two sections with text, and outro; "Other research news" is noted, not a chapter', () => {
    expect(build.doc.sections.map((s) => [s.id, s.title, s.kind])).toEqual([
      ['intro', 'Intro', 'intro'],
      ['superpositions-transformers', 'Superpositions & Transformers', 'body'],
      ['opportunities', 'Opportunities', 'body'],
      ['outro', 'Outro', 'outro'],
    ]);
    expect(build.doc.sections[1]?.cues.join(' ')).toContain('"Other research news" section had nothing to read');
    expect(build.notices.join('\n')).toContain('Other research news');
  });
  it('drops the "Watch … on YouTube" chrome and the sign-off, keeps the hackathon sign-up', () => {
    const all = build.doc.sections.map((s) => s.text).join('\n');
    expect(all).not.toMatch(/Watch this week/);
    expect(all).not.toMatch(/Thank you for joining/);
    expect(all).toContain('sign up with the link in the show notes and join the Discord');
    expect(build.notes.markdown).not.toMatch(/Watch this week/);
  });
  it('greets once: the issue\'s own welcome becomes "In this episode"', () => {
    expect(build.doc.sections[0]?.paragraphs).toEqual([
      'Welcome to ML and AI Safety Update, episode two.',
      expect.stringMatching(/^In this episode, we dive into overfitting/),
    ]);
  });
  it('keeps every address in the notes as a link', () => {
    expect(build.notes.links.map((l) => l.url)).toEqual(['https://ais.pub/mechint', 'https://aisafety.training']);
    expect(build.notes.summary).toMatch(/^Welcome to this week’s ML & AI Safety Report/);
    expect(build.notes.chapters.map((c) => c.title)).toEqual(['Intro', 'Superpositions & Transformers', 'Opportunities', 'Outro']);
  });
  it('estimates time from words at the show\'s WPM', () => {
    // 196 spoken words at 155 words per minute: 75.9 s, rounded to 76.
    const body = build.doc.sections[1];
    expect([body?.words, body?.estimateSeconds]).toEqual([196, 76]);
    expect(build.doc.sections.map((s) => s.estimateSeconds)).toEqual([20, 76, 10, 7]);
    expect(build.doc.totalSeconds).toBe(113);
    const slow = buildScript(readFileSync(join(REPO_ROOT, 'episodes', '2023-01-20-mlaisu', 'issue.md'), 'utf8'), { ...SETTINGS, wpm: 100 });
    expect(slow.doc.totalSeconds).toBeGreaterThan(build.doc.totalSeconds);
  });
});

describe('the committed example scripts', () => {
  it.each(['2023-01-20-mlaisu', '2023-01-13-mlaisu'])('%s/script.md parses and is unedited', async (id) => {
    const { parseScriptMd } = await import('../../../src/script/read-script.js');
    const doc = parseScriptMd(readFileSync(join(REPO_ROOT, 'episodes', id, 'script.md'), 'utf8'), `episodes/${id}/script.md`);
    expect(doc.edited).toBe(false);
    expect(doc.episodeId).toBe(id);
    expect(doc.sections[0]?.kind).toBe('intro');
    expect(doc.sections.at(-1)?.kind).toBe('outro');
  });
});
