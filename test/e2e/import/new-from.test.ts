import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runCli } from '../../helpers/cli.js';
import { spokenScript } from '../../helpers/spoken-script.js';
import { makeBareShow } from '../foundation/bare-show.js';
import { NEWSLETTER_FIXTURES, startNewsletterServer, type NewsletterServer } from './newsletter-server.js';

/**
 * `castline new <slug> --from …` through the real CLI against a local server that serves feeds
 * and pages written like Substack's, Ghost's, Buttondown's and WordPress's, and saved files.
 * The expected issue.md files (and, for the feeds, the script.md the host reads) in
 * test/fixtures/newsletters/expected/ were written by hand: a missing one fails the test.
 */

const EXPECTED = join(NEWSLETTER_FIXTURES, 'expected');
const expected = (name: string): Promise<string> => readFile(join(EXPECTED, name), 'utf8');

let server: NewsletterServer;
beforeAll(async () => {
  server = await startNewsletterServer();
});
afterAll(() => server.close());

describe('castline new --from imports', () => {
  let show: Awaited<ReturnType<typeof makeBareShow>>;
  beforeAll(async () => {
    show = await makeBareShow();
  });
  afterAll(() => show.cleanup());

  const episode = async (id: string): Promise<{ issue: string; yaml: Record<string, unknown> }> => ({
    issue: await readFile(join(show.root, 'episodes', id, 'issue.md'), 'utf8'),
    yaml: parse(await readFile(join(show.root, 'episodes', id, 'episode.yaml'), 'utf8')) as Record<string, unknown>,
  });

  it.each<[string, string, string, string, Record<string, unknown>]>([
    ['a Substack feed (content:encoded, picture-wrapped images, buttons)', '/substack/feed', 'substack-feed', '2024-02-09-substack-feed', { title: 'Issue #42: Sparse autoencoders grow up', date: '2024-02-09', source: { guid: 'https://gradientweekly.substack.com/p/issue-42-sparse-autoencoders', url: 'https://gradientweekly.substack.com/p/issue-42-sparse-autoencoders' } }],
    ['a WordPress feed (lazy images in figures, share buttons, "appeared first on"), dated in its own time zone', '/wordpress/feed/', 'wordpress-feed', '2024-03-03-wordpress-feed', { title: 'Robot Notes, March: hands, hearts and H100s', date: '2024-03-03', source: { guid: 'https://robotnotes.example.com/?p=1187', url: 'https://robotnotes.example.com/2024/03/robot-notes-march/' } }],
    ['a Ghost feed (kg cards, ?ref= links)', '/ghost/rss/', 'ghost-feed', '2024-03-12-ghost-feed', { title: 'Open Weights 18: the small-model spring', date: '2024-03-12', source: { guid: '65eef1c2a3b4c50001d2e3f4', url: 'https://openweights.example.com/open-weights-18/' } }],
    ['a Buttondown Atom feed (content type="html", view in browser, tracking pixel)', '/buttondown/rss', 'buttondown-feed', '2024-04-05-buttondown-feed', { title: 'Compiler Weekly No. 7: kernels all the way down', date: '2024-04-05', source: { guid: 'https://buttondown.com/compilerweekly/archive/compiler-weekly-no-7/', url: 'https://buttondown.com/compilerweekly/archive/compiler-weekly-no-7/' } }],
    ['a Substack issue page (scripts, header, subscribe widget, footer)', '/substack/p/issue-40-the-eval-crunch', 'substack-page', '2024-01-26-substack-page', { title: 'Issue #40: The eval crunch', date: '2024-01-26', source: { guid: 'https://gradientweekly.substack.com/p/issue-40-the-eval-crunch', url: 'https://gradientweekly.substack.com/p/issue-40-the-eval-crunch' } }],
    ['a Ghost issue page (relative image, CTA card)', '/ghost/open-weights-17/', 'ghost-page', '2024-02-27-ghost-page', { title: 'Open Weights 17: licences, explained', date: '2024-02-27', source: { guid: 'https://openweights.example.com/open-weights-17/', url: 'https://openweights.example.com/open-weights-17/' } }],
    ['a windows-1252 page declared by <meta http-equiv>', '/cafe/summer', 'windows-1252-page', '2026-01-05-windows-1252-page', { title: 'Café Notes: “l’été” edition', date: '2026-01-05' }],
  ])('%s', async (_what, path, slug, id, yaml) => {
    const args = ['new', slug, '--from', `${server.origin}${path}`, '--json'];
    if (!('source' in yaml)) args.push('--date', '2026-01-05');
    const result = await runCli(args, { cwd: show.root });
    expect(result.stderr).toContain(`✓ created episodes/${id}/`);
    expect(result.code).toBe(0);
    const made = await episode(id);
    expect(made.issue).toBe(await expected(`${slug}.issue.md`));
    expect(made.yaml).toMatchObject(yaml);
    if (path.endsWith('feed') || path.endsWith('feed/') || path.endsWith('rss') || path.endsWith('rss/')) {
      // The script the host reads from the imported issue, against a script written by hand.
      const script = await runCli(['script', id, '--no-download'], { cwd: show.root });
      expect(script.code).toBe(0);
      expect(spokenScript(await readFile(join(show.root, 'episodes', id, 'script.md'), 'utf8'))).toBe(await expected(`${slug}.script.md`));
    }
    if (!('source' in yaml)) {
      // The page has no canonical URL: its identity is where it was fetched.
      expect(made.yaml['source']).toEqual({ guid: `${server.origin}${path}`, url: `${server.origin}${path}` });
    }
  });

  it.each<[string, string, string, string, Record<string, unknown>]>([
    ['a saved Substack page (.html)', 'substack-page.html', 'saved-page', '2024-01-26-saved-page', { title: 'Issue #40: The eval crunch', source: { guid: 'https://gradientweekly.substack.com/p/issue-40-the-eval-crunch' } }],
    ['a saved Mailchimp email (.eml: quoted-printable HTML in layout tables, encoded subject)', 'mailchimp-email.eml', 'mailchimp-email', '2024-04-18-mailchimp-email', { title: 'Field Notes — the drone issue', date: '2024-04-18', source: { guid: '<a1b2c3d4e5f6.0.1713417302@mail123.atl41.mcdlv.net>' } }],
  ])('%s', async (_what, file, slug, id, yaml) => {
    // A fresh show: the same issue was imported by URL above (same canonical address = same guid).
    const fresh = await makeBareShow();
    try {
      const result = await runCli(['new', slug, '--from', join(NEWSLETTER_FIXTURES, file)], { cwd: fresh.root });
      expect(result.stderr).toContain(`✓ created episodes/${id}/`);
      expect(result.code).toBe(0);
      const dir = join(fresh.root, 'episodes', id);
      expect(await readFile(join(dir, 'issue.md'), 'utf8')).toBe(await expected(file.endsWith('.eml') ? 'mailchimp-email.issue.md' : 'substack-page.issue.md'));
      expect(parse(await readFile(join(dir, 'episode.yaml'), 'utf8'))).toMatchObject(yaml);
    } finally {
      await fresh.cleanup();
    }
  });

  it('knows a saved copy of an imported page by its canonical address', async () => {
    const result = await runCli(['new', 'saved-again', '--from', join(NEWSLETTER_FIXTURES, 'substack-page.html')], { cwd: show.root });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('is already episodes/2024-01-26-substack-page (source.guid in its episode.yaml)');
  });

  it('picks --item by title or guid, and refuses an item already imported', async () => {
    const byTitle = await runCli(['new', 'older', '--from', `${server.origin}/substack/feed`, '--item', 'issue #41: long context, short budgets'], { cwd: show.root });
    expect(byTitle.code).toBe(0);
    const older = await episode('2024-02-02-older');
    expect(older.issue).toMatch(/^# Issue #41: Long context, short budgets\n\nHello again\./);
    expect(older.yaml['source']).toMatchObject({ guid: 'https://gradientweekly.substack.com/p/issue-41-long-context' });

    const again = await runCli(['new', 'again', '--from', `${server.origin}/substack/feed`, '--item', 'https://gradientweekly.substack.com/p/issue-41-long-context'], { cwd: show.root });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('is already episodes/2024-02-02-older (source.guid in its episode.yaml)');
    expect(existsSync(join(show.root, 'episodes', '2024-02-02-again'))).toBe(false);

    const typo = await runCli(['new', 'typo', '--from', `${server.origin}/substack/feed`, '--item', 'Issue #41: Long context, short budget'], { cwd: show.root });
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('hint: did you mean --item "Issue #41: Long context, short budgets"?');
  });

  it('follows 5 redirects (the limit)', async () => {
    const fresh = await makeBareShow({ episodes: false });
    try {
      const result = await runCli(['new', 'hops', '--from', `${server.origin}/hop/4`, '--json'], { cwd: fresh.root });
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ id: '2024-01-26-hops', number: 1 });
      expect(await readFile(join(fresh.root, 'episodes', '2024-01-26-hops', 'issue.md'), 'utf8')).toBe(await expected('substack-page.issue.md'));
    } finally {
      await fresh.cleanup();
    }
  });

  it('sends castline\'s User-Agent', () => {
    expect(server.userAgents.length).toBeGreaterThan(0);
    for (const ua of server.userAgents) expect(ua).toMatch(/^castline\/\d+\.\d+\.\d+ \(/);
  });
});

describe('show.yaml newsletter.feed: castline new with no source', () => {
  it('imports the newest item not yet an episode, then the next, then says nothing is new', async () => {
    const show = await makeBareShow();
    try {
      const showYaml = parse(await readFile(join(show.root, 'show.yaml'), 'utf8')) as Record<string, unknown>;
      await writeFile(join(show.root, 'show.yaml'), stringify({ ...showYaml, newsletter: { feed: `${server.origin}/substack/feed` } }));
      const first = await runCli(['new', 'first'], { cwd: show.root });
      expect(first.code).toBe(0);
      expect(await readFile(join(show.root, 'episodes', '2024-02-09-first', 'issue.md'), 'utf8')).toBe(await expected('substack-feed.issue.md'));
      const second = await runCli(['new', 'second'], { cwd: show.root });
      expect(second.code).toBe(0);
      expect(await readFile(join(show.root, 'episodes', '2024-02-02-second', 'issue.md'), 'utf8')).toMatch(/^# Issue #41/);
      const before = await readdir(join(show.root, 'episodes'));
      const third = await runCli(['new', 'third'], { cwd: show.root });
      expect(third.code).toBe(1);
      expect(third.stderr.split('\n')[0]).toBe(`Every item in the feed ${server.origin}/substack/feed is already an episode (newest: "Issue #42: Sparse autoencoders grow up")`);
      expect(await readdir(join(show.root, 'episodes'))).toEqual(before);
      const check = await runCli(['check'], { cwd: show.root });
      expect(check.stderr).not.toMatch(/^error:/m);
    } finally {
      await show.cleanup();
    }
  });
});

describe.concurrent('castline new --from refuses bad input, and writes nothing', () => {
  let show: Awaited<ReturnType<typeof makeBareShow>>;
  let before: string[];
  beforeAll(async () => {
    show = await makeBareShow();
    before = await readdir(join(show.root, 'episodes'));
  });
  afterAll(() => show.cleanup());

  it.for<[string, string, RegExp, Record<string, string>?]>([
    ['a feed with no items', '/empty/feed', /^The feed http:\/\/127\.0\.0\.1:\d+\/empty\/feed \("Brand New Letter"\) has no items\n {2}hint: /],
    ['a page with no article (a sign-in wall)', '/substack/sign-in', /^http:\/\/127\.0\.0\.1:\d+\/substack\/sign-in has no newsletter issue on it: after removing the page's menus, buttons and footers only \d+ words of text are left\n {2}hint: pass the address of one issue/],
    ['a non-UTF-8 page that declares no charset', '/cafe/undeclared', /^http:\/\/127\.0\.0\.1:\d+\/cafe\/undeclared is not valid UTF-8 text \(the charset comes from the default \(nothing declared\)\)\n {2}hint: the page probably uses another character set/],
    ['an enormous page', '/huge', /^http:\/\/127\.0\.0\.1:\d+\/huge is larger than the 20 MiB castline reads from one address\n {2}hint: /],
    ['a page that never answers', '/slow', /^Fetching http:\/\/127\.0\.0\.1:\d+\/slow took longer than 0\.8 s and was stopped\n {2}hint: /, { CASTLINE_FETCH_TIMEOUT_MS: '800' }],
    ['more than 5 redirects', '/hop/5', /^http:\/\/127\.0\.0\.1:\d+\/hop\/5 redirected more than 5 times \(last to http:\/\/127\.0\.0\.1:\d+\/hop\/0\)\n {2}hint: /],
    ['a missing page', '/nope', /^http:\/\/127\.0\.0\.1:\d+\/nope answered HTTP 404 Not Found\n {2}hint: the address does not exist/],
  ])('%s', async ([_what, path, message, env], { expect }) => {
    const result = await runCli(['new', 'bad', '--from', `${server.origin}${path}`, '--date', '2026-01-05'], { cwd: show.root, env });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(await readdir(join(show.root, 'episodes'))).toEqual(before);
  });

  it.for<[string, string[], string]>([
    ['--issue and --from together', ['--issue', 'x.md', '--from', 'y.html'], 'Pass either --issue or --from, not both'],
    ['--item with a page', ['--from', join(NEWSLETTER_FIXTURES, 'ghost-page.html'), '--item', 'x'], `--item picks an item from a feed, but ${join(NEWSLETTER_FIXTURES, 'ghost-page.html')} is not a feed`],
    ['a missing file', ['--from', 'nope.eml'], 'Cannot read nope.eml: it does not exist'],
  ])('%s', async ([_what, args, first], { expect }) => {
    const result = await runCli(['new', 'bad', ...args], { cwd: show.root });
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n')[0]).toBe(first);
    expect(await readdir(join(show.root, 'episodes'))).toEqual(before);
  });
});
