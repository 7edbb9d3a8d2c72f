import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CLI, requireTool, runCli } from '../../helpers/cli.js';
import { probeMedia } from '../../../src/media/ffmpeg/probe.js';

/** `castline init`, run as a new host would: through the real CLI, in an empty temp folder. */

const FLAGS = ['--title', 'Weekly: "Notes" & 100% {more}', '--author', 'Jo Host', '--email', 'jo@example.org', '--base-url', 'https://example.org/podcast'];

describe('castline init', () => {
  let base: string;
  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), 'castline-init-e2e-'));
  });
  afterEach(() => rm(base, { recursive: true, force: true }));

  it('makes a show folder from the flags that castline check passes at once', async () => {
    const result = await runCli(['init', 'my-show', ...FLAGS, '--yes', '--json'], { cwd: base });
    expect(result.code, result.stderr).toBe(0);
    const dir = join(base, 'my-show');
    const show = parse(await readFile(join(dir, 'show.yaml'), 'utf8')) as Record<string, any>;
    expect(show['title']).toBe('Weekly: "Notes" & 100% {more}');
    expect(show['owner']).toEqual({ name: 'Jo Host', email: 'jo@example.org' });
    expect(show['site']).toEqual({ baseUrl: 'https://example.org/podcast' });
    expect(show['language']).toBe('en');
    expect(show['categories']).toEqual(['News']);
    // The cover: a real 3000×3000 PNG drawn by the bundled ffmpeg (probed, not trusted).
    const cover = await probeMedia(join(dir, 'assets', 'cover.png'));
    const video = cover.streams.find((s) => s.codec_type === 'video');
    expect([video?.codec_name, video?.width, video?.height]).toEqual(['png', 3000, 3000]);
    for (const f of ['assets/background.png', 'assets/fonts/DejaVuSans-Bold.ttf', 'assets/fonts/LICENSE-DejaVu.txt', 'README.md', '.gitignore']) expect(existsSync(join(dir, f)), f).toBe(true);
    expect(await readFile(join(dir, '.gitignore'), 'utf8')).toMatch(/^dist\/$/m);
    expect((await readdir(join(dir, 'episodes'))).filter((e) => !e.startsWith('.'))).toEqual([]);
    // Not inside a repository, so init made one.
    expect(execFileSync('git', ['-C', dir, 'rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim()).toBe(dir);
    expect(JSON.parse(result.stdout).git).toBe('initialized');

    const check = await runCli(['check'], { cwd: dir });
    expect(check.code, check.stderr).toBe(0);
    expect(check.stderr).not.toMatch(/^(warning|error)/m);
    expect(check.stderr).toContain('no errors');
    // …and an episode made with `castline new` checks clean too.
    await writeFile(join(dir, 'issue.md'), '# First issue\n\nHello, listeners. This is the first issue.\n');
    expect((await runCli(['new', 'first', '--issue', 'issue.md', '--date', '2024-05-03'], { cwd: dir })).code).toBe(0);
    expect((await runCli(['check'], { cwd: dir })).code).toBe(0);
  });

  it('does not git init inside an existing repository', async () => {
    execFileSync('git', ['init', '--quiet', base]);
    const result = await runCli(['init', 'shows/mine', ...FLAGS, '--yes'], { cwd: base });
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(join(base, 'shows', 'mine', '.git'))).toBe(false);
    expect(existsSync(join(base, 'shows', 'mine', 'show.yaml'))).toBe(true);
  });

  it('--yes lists every missing required field and writes nothing', async () => {
    const result = await runCli(['init', 'x', '--title', 'Only a title', '--yes'], { cwd: base });
    expect(result.code).toBe(1);
    for (const flag of ['--author', '--email', '--base-url']) expect(result.stderr).toContain(flag);
    expect(result.stderr).not.toContain('--title (');
    expect(result.stderr).toContain('nothing was written');
    expect(existsSync(join(base, 'x'))).toBe(false);
  });

  it('refuses an invalid email and a non-https base URL, naming both', async () => {
    const result = await runCli(['init', 'x', '--title', 'T', '--author', 'A', '--email', 'jo-at-example', '--base-url', 'http://example.org/', '--yes'], { cwd: base });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--email "jo-at-example": owner\.email must be an email address/);
    expect(result.stderr).toMatch(/--base-url "http:\/\/example\.org\/": site\.baseUrl must start with https:\/\//);
    expect(existsSync(join(base, 'x'))).toBe(false);
  });

  it('never overwrites: an existing show.yaml is named and left as it was', async () => {
    await mkdir(join(base, 'old'));
    await writeFile(join(base, 'old', 'show.yaml'), 'title: mine\n');
    await writeFile(join(base, 'old', 'README.md'), 'my readme\n');
    const result = await runCli(['init', 'old', ...FLAGS, '--yes'], { cwd: base });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('old/show.yaml, old/README.md already exist; castline init never overwrites');
    expect(await readFile(join(base, 'old', 'show.yaml'), 'utf8')).toBe('title: mine\n');
    expect(await readdir(join(base, 'old'))).toEqual(['README.md', 'show.yaml']);
  });

  it('asks on a terminal (a real pseudo-terminal via script(1)), re-asking until the schema accepts', async () => {
    if (!requireTool('script')) return;
    const answers: [RegExp, string][] = [
      [/Show title: $/, 'Terminal Talk'],
      [/Author \(shown in podcast apps\): $/, 'Ana Host'],
      [/Owner email[^\n]*: $/, 'not-an-email'],
      [/owner\.email must be an email address[^\n]*\n[^\n]*Owner email[^\n]*: $/, 'ana@example.org'],
      [/an https URL\): $/, 'http://insecure.example.org/'],
      [/site\.baseUrl must start with https:\/\/[^\n]*\n[^\n]*an https URL\): $/, 'https://example.org/tt/'],
      [/Language \[en\]: $/, 'en-GB'],
      [/One-line description \[Terminal Talk: the newsletter, read aloud every week\.\]: $/, ''],
      [/Apple Podcasts category \[News\]: $/, 'Technologie'],
      [/"Technologie" is not an Apple Podcasts category[^\n]*\n[^\n]*category \[News\]: $/, 'Technology'],
    ];
    // script(1) gives the CLI a pseudo-terminal as stdin/stdout/stderr (a TTY, as on a host's
    // machine); what we write to script's stdin is typed into it.
    const child = spawn('script', ['-q', '-e', '-c', `${process.execPath} ${CLI} init tt`, '/dev/null'], { cwd: base, env: { ...process.env, NO_COLOR: '1', TERM: 'dumb' } });
    let out = '';
    let step = 0;
    const done = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d.replace(/\r/g, '');
      const next = answers[step];
      if (next && next[0].test(out)) {
        step += 1;
        child.stdin.write(`${next[1]}\r`);
        if (step === answers.length) child.stdin.end();
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const code = await done;
    clearTimeout(timer);
    expect(step, out).toBe(answers.length);
    expect(code, out).toBe(0);
    const show = parse(await readFile(join(base, 'tt', 'show.yaml'), 'utf8')) as Record<string, any>;
    expect([show['title'], show['author'], show['owner'].email, show['site'].baseUrl, show['language'], show['categories']]).toEqual([
      'Terminal Talk',
      'Ana Host',
      'ana@example.org',
      'https://example.org/tt/',
      'en-GB',
      ['Technology'],
    ]);
    expect(show['description']).toBe('Terminal Talk: the newsletter, read aloud every week.');
    expect((await runCli(['check'], { cwd: join(base, 'tt') })).code).toBe(0);
  });

  it('without a terminal and without --yes, it asks nothing and names what is missing', async () => {
    const result = await runCli(['init', 'x'], { cwd: base, input: 'Some Title\n' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/needs --title[^\n]*--author[^\n]*--email[^\n]*--base-url/);
    expect(result.stderr).toContain('standard input is not a terminal');
  });
});
