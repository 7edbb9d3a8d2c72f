import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli, REPO_ROOT } from '../../helpers/cli.js';
import { makeBareShow } from './bare-show.js';

/** `castline new <slug> --issue <file|->`, run as a host would in a copy of the example show. */

const episodesIn = (root: string): Promise<string[]> => readdir(join(root, 'episodes'));

describe('castline new creates', () => {
  let show: Awaited<ReturnType<typeof makeBareShow>>;
  beforeEach(async () => {
    show = await makeBareShow();
  });
  afterEach(() => show.cleanup());

  it('scaffolds issue.md, episode.yaml (title from the issue, next number) and audio/, and the result checks clean', async () => {
    const issue = join(show.root, 'pasted.md');
    await writeFile(issue, '# Interpretability week\r\n\r\nSome news.\r\n');
    const result = await runCli(['new', 'interp-week', '--issue', 'pasted.md', '--date', '2023-01-27', '--json'], { cwd: show.root });
    expect(result.stderr).toContain('✓ created episodes/2023-01-27-interp-week/ (issue.md, episode.yaml, audio/)');
    expect(result.stderr).toContain('next: castline script 2023-01-27-interp-week');
    expect(result.code).toBe(0);
    const dir = join(show.root, 'episodes', '2023-01-27-interp-week');
    expect(JSON.parse(result.stdout)).toEqual({ id: '2023-01-27-interp-week', dir, title: 'Interpretability week', number: 3, date: '2023-01-27' });
    expect(await readFile(join(dir, 'issue.md'), 'utf8')).toBe('# Interpretability week\n\nSome news.\n');
    expect(parse(await readFile(join(dir, 'episode.yaml'), 'utf8'))).toEqual({ title: 'Interpretability week', number: 3, date: '2023-01-27' });
    expect(existsSync(join(dir, 'audio'))).toBe(true);
    const check = await runCli(['check'], { cwd: show.root });
    expect(check.stderr).not.toMatch(/^error:/m);
    expect(check.code).toBe(0);
  });

  it('reads the issue from standard input with `-` and takes --title', async () => {
    const seed = await readFile(join(REPO_ROOT, 'episodes', '2023-01-20-mlaisu', 'issue.md'), 'utf8');
    const result = await runCli(['new', 'from-stdin', '--issue', '-', '--date', '2023-01-27', '--title', 'Stdin: the episode'], { cwd: show.root, input: seed });
    expect(result.code).toBe(0);
    const dir = join(show.root, 'episodes', '2023-01-27-from-stdin');
    expect(await readFile(join(dir, 'issue.md'), 'utf8')).toBe(seed.endsWith('\n') ? seed : `${seed}\n`);
    expect(parse(await readFile(join(dir, 'episode.yaml'), 'utf8'))).toMatchObject({ title: 'Stdin: the episode', number: 3 });
  });

  it('numbers the first episode of an empty show 1 and works from a subfolder', async () => {
    const empty = await makeBareShow({ episodes: false });
    try {
      await writeFile(join(empty.root, 'assets', 'issue.txt'), 'First Issue\n\nHello listeners.\n');
      const result = await runCli(['new', 'first', '--issue', 'issue.txt', '--date', '2023-01-06'], { cwd: join(empty.root, 'assets') });
      expect(result.code).toBe(0);
      expect(parse(await readFile(join(empty.root, 'episodes', '2023-01-06-first', 'episode.yaml'), 'utf8'))).toEqual({ title: 'First Issue', number: 1, date: '2023-01-06' });
    } finally {
      await empty.cleanup();
    }
  });
});

describe.concurrent('castline new refuses, and creates nothing', () => {
  // These runs only read the show, so they share one copy and run side by side.
  let show: Awaited<ReturnType<typeof makeBareShow>>;
  beforeAll(async () => {
    show = await makeBareShow();
    await writeFile(join(show.root, 'empty.md'), '');
  });
  afterAll(() => show.cleanup());

  it('refuses to overwrite an existing episode and leaves it untouched', async ({ expect }) => {
    const dir = join(show.root, 'episodes', '2023-01-20-mlaisu');
    const before = await readFile(join(dir, 'issue.md'), 'utf8');
    const result = await runCli(['new', 'mlaisu', '--issue', '-', '--date', '2023-01-20'], { cwd: show.root, input: 'Other text\n' });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('episodes/2023-01-20-mlaisu already exists; castline new never overwrites\n  hint: pick another slug or date, or edit the existing folder\n');
    expect(await readFile(join(dir, 'issue.md'), 'utf8')).toBe(before);
  });

  it.for(['../escape', 'My Episode', 'a/b', 'trailing-', 'UPPER'])('refuses the slug %j and creates nothing', async (slug, { expect }) => {
    const before = await episodesIn(show.root);
    const result = await runCli(['new', slug, '--issue', '-', '--date', '2023-01-27'], { cwd: show.root, input: 'text\n' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`"${slug}" is not a usable episode slug\n  hint: use lowercase letters, digits and single dashes`);
    expect(await episodesIn(show.root)).toEqual(before);
  });

  it('refuses an impossible --date', async ({ expect }) => {
    const result = await runCli(['new', 'x', '--issue', '-', '--date', '2023-02-30'], { cwd: show.root, input: 'text\n' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--date "2023-02-30" is not a real date written YYYY-MM-DD');
  });

  it.for<[string, string, string]>([
    ['a binary file', 'assets/cover.png', 'The issue assets/cover.png is a binary file, not text'],
    ['an empty file', 'empty.md', 'The issue empty.md is empty'],
    ['a missing file', 'nope.md', 'Cannot read the issue file nope.md: it does not exist'],
  ])('refuses %s as the issue and creates nothing', async ([_what, issue, message], { expect }) => {
    const before = await episodesIn(show.root);
    const result = await runCli(['new', 'broken-issue', '--issue', issue, '--date', '2023-01-27'], { cwd: show.root });
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n')[0]).toBe(message);
    expect(result.stderr).toMatch(/\n {2}hint: /);
    expect(await episodesIn(show.root)).toEqual(before);
  });

  it('refuses an empty standard input', async ({ expect }) => {
    const result = await runCli(['new', 'nothing', '--issue', '-', '--date', '2023-01-27'], { cwd: show.root, input: '' });
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n')[0]).toBe('The issue standard input is empty');
    expect(existsSync(join(show.root, 'episodes', '2023-01-27-nothing'))).toBe(false);
  });

  it('needs --issue, --from or newsletter.feed', async ({ expect }) => {
    const before = await episodesIn(show.root);
    const result = await runCli(['new', 'x'], { cwd: show.root });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('castline new needs the issue: --issue <file|->, --from <feed|url|file>, or newsletter.feed in show.yaml');
    expect(await episodesIn(show.root)).toEqual(before);
  });
});
