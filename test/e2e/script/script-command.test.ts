import { readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempShow, runCli } from '../../helpers/cli.js';

/** `castline script` run as a user would, in a temporary copy of the example show. */
const ID = '2023-01-20-mlaisu';
let root: string;
let cleanup: () => Promise<void>;
const file = (name: string): string => join(root, 'episodes', ID, name);

beforeAll(async () => {
  ({ root, cleanup } = await makeTempShow({ episodes: [ID] }));
  await rm(file('script.md'), { force: true });
  await rm(file('notes.md'), { force: true });
});
afterAll(async () => cleanup());

describe('castline script', () => {
  it('writes script.md and notes.md and prints sections, estimates and notes as JSON', async () => {
    const r = await runCli(['script', ID, '--json'], { cwd: root });
    expect(r.stderr).toContain(`wrote episodes/${ID}/script.md`);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { sections: Array<{ id: string; title: string; text: string; estimateSeconds: number }>; totalSeconds: number; notes: { summary: string; markdown: string } };
    expect(out.sections.map((s) => s.id)).toEqual(['intro', 'superpositions-transformers', 'opportunities', 'outro']);
    expect(out.totalSeconds).toBe(out.sections.reduce((n, s) => n + s.estimateSeconds, 0));
    expect(out.notes.summary).toMatch(/^Welcome to this week/);
    // The example committed in the repo is exactly what the command generates.
    expect(await readFile(file('script.md'), 'utf8')).toBe(await readFile(join(process.cwd(), 'episodes', ID, 'script.md'), 'utf8'));
    expect(await readFile(file('notes.md'), 'utf8')).toBe(await readFile(join(process.cwd(), 'episodes', ID, 'notes.md'), 'utf8'));
  });

  it('regenerates an unedited script, refuses an edited one, and --force overwrites it', async () => {
    expect((await runCli(['script', ID], { cwd: root })).code).toBe(0);
    const edited = (await readFile(file('script.md'), 'utf8')).replace('In a recent Anthropic paper', 'In a recent and very good Anthropic paper');
    await writeFile(file('script.md'), edited);
    const refused = await runCli(['script', ID], { cwd: root });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`episodes/${ID}/script.md has your edits; castline script does not overwrite them`);
    expect(refused.stderr).toContain('--force');
    expect(refused.stderr).toContain('nothing was written');
    expect(refused.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(await readFile(file('script.md'), 'utf8')).toBe(edited);
    const forced = await runCli(['script', ID, '--force'], { cwd: root });
    expect(forced.code).toBe(0);
    expect(await readFile(file('script.md'), 'utf8')).not.toContain('very good');
  });

  it('guards an edited notes.md too', async () => {
    await writeFile(file('notes.md'), `${await readFile(file('notes.md'), 'utf8')}\nA host's extra line.\n`);
    const r = await runCli(['script', ID], { cwd: root });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('notes.md has your edits');
    expect((await runCli(['script', ID, '--force'], { cwd: root })).code).toBe(0);
  });

  it('--wpm changes the estimates; a bad --wpm is a clear error', async () => {
    const fast = JSON.parse((await runCli(['script', ID, '--wpm', '200', '--json'], { cwd: root })).stdout) as { totalSeconds: number };
    const slow = JSON.parse((await runCli(['script', ID, '--wpm', '100', '--json'], { cwd: root })).stdout) as { totalSeconds: number };
    expect(slow.totalSeconds).toBeGreaterThan(fast.totalSeconds * 1.8);
    const bad = await runCli(['script', ID, '--wpm', 'fast'], { cwd: root });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--wpm fast is not a reading speed');
  });

  it.each([
    ['an empty issue', '', /issue\.md is empty/],
    ['a binary issue', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), /is a binary file/],
    ['an issue with nothing to read', '![chart](chart.png)\n\nhttps://example.org/\n', /has no text to read aloud/],
  ])('refuses %s and writes nothing', async (_name, content, message) => {
    const issue = await readFile(file('issue.md'));
    const before = await readFile(file('script.md'), 'utf8');
    try {
      await writeFile(file('issue.md'), content);
      const r = await runCli(['script', ID, '--force'], { cwd: root });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toContain(`episodes/${ID}/issue.md`);
      expect(await readFile(file('script.md'), 'utf8')).toBe(before);
    } finally {
      await writeFile(file('issue.md'), issue);
    }
  });

  it('names the missing issue and the unknown episode', async () => {
    const issue = await readFile(file('issue.md'));
    await rm(file('issue.md'));
    try {
      const r = await runCli(['script', ID], { cwd: root });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`episodes/${ID}/issue.md is missing`);
    } finally {
      await writeFile(file('issue.md'), issue);
    }
    const unknown = await runCli(['script', '2023-01-21-mlaisu'], { cwd: root });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('did you mean "2023-01-20-mlaisu"');
    expect(existsSync(join(root, 'episodes', '2023-01-21-mlaisu'))).toBe(false);
  });
});

describe('castline check and the script', () => {
  it('reports a broken script.md as an error and a stale one as a warning', async () => {
    expect((await runCli(['script', ID, '--force'], { cwd: root })).code).toBe(0);
    const script = await readFile(file('script.md'), 'utf8');
    const issue = await readFile(file('issue.md'), 'utf8');
    try {
      await writeFile(file('issue.md'), `${issue}
One more line from the editor.
`);
      const stale = await runCli(['check', ID], { cwd: root });
      expect(stale.stderr).toContain(`warning: episodes/${ID}/script.md: was generated from an older issue.md`);
      expect(stale.stderr).toContain(`castline script ${ID} regenerates it`);
      await writeFile(file('script.md'), script.replace('## Opportunities {#opportunities}', '## Opportunities {#superpositions-transformers}'));
      const broken = await runCli(['check', ID], { cwd: root });
      expect(broken.code).toBe(1);
      expect(broken.stderr).toContain(`error: episodes/${ID}/script.md: two sections have the id "superpositions-transformers"`);
    } finally {
      await writeFile(file('script.md'), script);
      await writeFile(file('issue.md'), issue);
    }
  });
});

