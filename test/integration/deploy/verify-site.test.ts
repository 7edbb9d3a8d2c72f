import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse, stringify } from 'yaml';
import { loadValidShow } from '../../../src/config/load-show.js';
import { writeFeedAndSite } from '../../../src/pipeline/write-feed-and-site.js';
import { createReporter } from '../../../src/core/reporter.js';
import { join } from 'node:path';
import { requireTool, runCli } from '../../helpers/cli.js';
import { startNginx, type RunningServer } from '../../helpers/servers.js';
import { makeDeployShow } from './deploy-show.js';

// castline verify against nginx (Debian's) serving the deployed folder: what a host's VPS does.
// The host's nginx config from the README: WebVTT/SRT types and CORS for the text files.
const GOOD = `
    location ~ \\.(vtt|srt|json)$ {
      types { text/vtt vtt; application/x-subrip srt; application/json json; }
      add_header Access-Control-Allow-Origin "*";
    }
    location = /feed.xml { types { } default_type application/rss+xml; }`;
// A server that sends audio as a download: the fault podcatchers choke on.
const WRONG_TYPE = `${GOOD}
    location ~ \\.mp3$ { types { } default_type application/octet-stream; }`;

interface Result {
  ok: boolean;
  checked: { url: string; kind: string; status: number; bytes?: number; contentType?: string }[];
  problems: { url: string; kind: string; message: string; fix: string }[];
}

describe.skipIf(!requireTool('nginx'))('castline verify (nginx serving the deployed site)', () => {
  let show: { root: string; cleanup: () => Promise<void> };
  let good: RunningServer & { origin: string };
  let wrong: RunningServer & { origin: string };
  const mp3 = 'episodes/2023-01-13-mlaisu/2023-01-13-mlaisu.mp3';
  beforeAll(async () => {
    show = await makeDeployShow({ target: 'local', path: 'public' });
    const deployed = await runCli(['deploy'], { cwd: show.root });
    if (deployed.code !== 0) throw new Error(deployed.stderr);
    good = await startNginx(join(show.root, 'public'), { server: GOOD });
    wrong = await startNginx(join(show.root, 'public'), { server: WRONG_TYPE });
  }, 120_000);
  afterAll(async () => {
    await good?.stop();
    await wrong?.stop();
    await show?.cleanup();
  });

  it('passes a correctly served site, checking every enclosure, transcript and image the feed names', async () => {
    const run = await runCli(['verify', '--base-url', `${good.origin}/`, '--json'], { cwd: show.root });
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as Result;
    expect(result.ok).toBe(true);
    const kinds = result.checked.map((c) => c.kind);
    // Two MP3 enclosures and the two MP4s offered as podcast:alternateEnclosure.
    expect(kinds.filter((k) => k === 'enclosure')).toHaveLength(4);
    const mp4 = mp3.replace(/\.mp3$/, '.mp4');
    expect(result.checked.find((c) => c.url === `${good.origin}/${mp4}`)).toMatchObject({ status: 200, contentType: 'video/mp4', bytes: (await stat(join(show.root, 'dist', mp4))).size });
    expect(kinds).toContain('transcript');
    expect(kinds).toContain('image');
    const enclosure = result.checked.find((c) => c.url === `${good.origin}/${mp3}`);
    expect(enclosure).toMatchObject({ status: 200, contentType: 'audio/mpeg', bytes: (await stat(join(show.root, 'dist', mp3))).size });
  }, 60_000);

  it('reports audio served with the wrong Content-Type, naming the URL and the fix', async () => {
    const run = await runCli(['verify', '--base-url', wrong.origin, '--json'], { cwd: show.root });
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout) as Result;
    const p = result.problems.find((x) => x.url === `${wrong.origin}/${mp3}`);
    expect(p?.message).toBe('is served as application/octet-stream, expected audio/mpeg');
    expect(p?.fix).toContain('audio/mpeg');
    expect(run.stderr).toContain(`✗ ${wrong.origin}/${mp3}: is served as application/octet-stream`);
    expect(run.stderr).toContain('2 problems on the live site');
  }, 60_000);

  it('reports a truncated upload and a missing file', async () => {
    const local = (await stat(join(show.root, 'dist', mp3))).size;
    await truncate(join(show.root, 'public', mp3), 1000);
    await rm(join(show.root, 'public', 'episodes', '2023-01-20-mlaisu', 'transcript.vtt'));
    const run = await runCli(['verify', '--base-url', good.origin, '--json'], { cwd: show.root });
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout) as Result;
    expect(result.problems.find((p) => p.url.endsWith(mp3))?.message).toBe(`Content-Length is 1000, the local file has ${local} bytes (truncated or stale upload)`);
    const missing = result.problems.find((p) => p.url.endsWith('2023-01-20-mlaisu/transcript.vtt'));
    expect(missing).toMatchObject({ message: 'answered HTTP 404', fix: expect.stringContaining('castline deploy') });
  }, 60_000);

  it('follows feed.enclosurePrefix: the prefix must redirect to the file, which is then checked', async () => {
    // An analytics redirector on loopback speaking OP3's documented rule (setup.htm): /e/<url
    // without https://> → https://<url>; /e/http://… → that http URL. One prefix goes wrong.
    const redirector = createServer((req, res) => {
      const rest = (req.url ?? '').replace(/^\/(e|wrong)\//, '');
      const target = /^https?:\/\//.test(rest) ? rest : `https://${rest}`;
      res.writeHead(302, { location: req.url?.startsWith('/wrong/') ? target.replace(/\.mp(3|4)$/, '.html') : target }).end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    const port = (redirector.address() as AddressInfo).port;
    const setPrefix = async (prefix: string | undefined): Promise<void> => {
      const yaml = join(show.root, 'show.yaml');
      const config = parse(await readFile(yaml, 'utf8')) as Record<string, any>;
      await writeFile(yaml, stringify({ ...config, feed: { ...(config['feed'] ?? {}), enclosurePrefix: prefix } }));
      // The feed stage writes the prefixed feed (what castline build ends with), deploy sends it.
      await writeFeedAndSite(await loadValidShow(show.root), { reporter: createReporter({ quiet: true, stderr: { write: () => true } as unknown as NodeJS.WritableStream }) });
      const built = await runCli(['deploy'], { cwd: show.root });
      if (built.code !== 0) throw new Error(built.stderr);
    };
    const mp3b = 'episodes/2023-01-20-mlaisu/2023-01-20-mlaisu.mp3';
    try {
      await setPrefix(`http://127.0.0.1:${port}/e/`);
      const feed = await readFile(join(show.root, 'dist/feed.xml'), 'utf8');
      expect(feed).toContain(`<enclosure url="http://127.0.0.1:${port}/e/example.org/mlaisu/${mp3b}"`);
      const ok = await runCli(['verify', '--base-url', `${good.origin}/`, '--json'], { cwd: show.root });
      const okResult = JSON.parse(ok.stdout) as Result;
      // (The test before this one truncated the other episode's MP3 and removed a transcript.)
      expect(okResult.problems.filter((p) => p.url.includes('2023-01-20-mlaisu') && p.kind === 'enclosure'), ok.stderr).toEqual([]);
      // The enclosure was fetched through the prefix, which led to the file nginx serves.
      expect(okResult.checked.find((c) => c.url === `http://127.0.0.1:${port}/e/${good.origin}/${mp3b}`)).toMatchObject({ status: 200, contentType: 'audio/mpeg' });

      await setPrefix(`http://127.0.0.1:${port}/wrong/`);
      const bad = await runCli(['verify', '--base-url', `${good.origin}/`, '--json'], { cwd: show.root });
      expect(bad.code).toBe(1);
      const problem = (JSON.parse(bad.stdout) as Result).problems.find((p) => p.url.endsWith(mp3b));
      expect(problem?.message).toBe(`the enclosure prefix leads to ${good.origin}/${mp3b.replace(/\.mp3$/, '.html')}, not to ${good.origin}/${mp3b}`);
      expect(problem?.fix).toContain('feed.enclosurePrefix');
    } finally {
      redirector.close();
      await setPrefix(undefined);
    }
  }, 120_000);

  it('says so when the live feed cannot be fetched at all', async () => {
    const run = await runCli(['verify', '--base-url', 'http://127.0.0.1:9/'], { cwd: show.root });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Cannot fetch the live feed http://127.0.0.1:9/feed.xml');
  }, 60_000);
});
