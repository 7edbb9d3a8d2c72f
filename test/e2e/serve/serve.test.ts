import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadValidShow } from '../../../src/config/load-show.js';
import { writeFeedAndSite } from '../../../src/pipeline/write-feed-and-site.js';
import { createReporter } from '../../../src/core/reporter.js';
import { requireTool, runCli } from '../../helpers/cli.js';
import { makeBuiltShow, testNotes } from '../../integration/feed/built-show.js';
import { startServe } from './start-serve.js';

const hasCurl = requireTool('curl');
const hasGpo = requireTool('gpo');
const quiet = createReporter({ quiet: true, stderr: { write: () => true } as unknown as NodeJS.WritableStream });
const ID = '2023-01-20-mlaisu';

let show: { root: string; cleanup: () => Promise<void> };
let server: Awaited<ReturnType<typeof startServe>>;
let mp3: Buffer;

beforeAll(async () => {
  show = await makeBuiltShow();
  await writeFeedAndSite(await loadValidShow(show.root), { reporter: quiet, now: new Date('2023-02-01T00:00:00Z'), loadNotes: testNotes });
  mp3 = await readFile(join(show.root, `dist/episodes/${ID}/${ID}.mp3`));
  server = await startServe(show.root);
});
afterAll(async () => {
  await server?.stop();
  await show?.cleanup();
});

function curl(args: string[]): { status: number; headers: Record<string, string>; body: Buffer } {
  const out = execFileSync('curl', ['-s', '-D', '-', '--path-as-is', ...args], { maxBuffer: 64 << 20 });
  const split = out.indexOf('\r\n\r\n');
  const head = out.subarray(0, split).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of head.slice(1)) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  return { status: Number(head[0]?.split(' ')[1]), headers, body: out.subarray(split + 4) };
}

describe('castline serve', () => {
  it('prints the feed URL and serves the feed with every baseUrl link rewritten to itself', async () => {
    expect(server.feedUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/feed\.xml$/);
    const res = await fetch(server.feedUrl);
    expect(res.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    const xml = await res.text();
    expect(xml).not.toContain('https://example.org/mlaisu/');
    expect(xml).toContain(`<enclosure url="${server.origin}episodes/${ID}/${ID}.mp3" length="${mp3.length}" type="audio/mpeg"/>`);
    const page = await (await fetch(`${server.origin}episodes/${ID}/`)).text();
    expect(page).toContain(`<link rel="canonical" href="${server.origin}episodes/${ID}/">`);
  });

  it('answers with the right types', async () => {
    const types: [string, string][] = [
      ['', 'text/html; charset=utf-8'],
      [`episodes/${ID}/${ID}.mp3`, 'audio/mpeg'],
      [`episodes/${ID}/chapters.json`, 'application/json'],
      [`episodes/${ID}/transcript.vtt`, 'text/vtt; charset=utf-8'],
      ['cover.png', 'image/png'],
      ['castline.css', 'text/css; charset=utf-8'],
    ];
    for (const [path, type] of types) {
      const res = await fetch(server.origin + path, { method: 'HEAD' });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toBe(type);
    }
  });

  it.runIf(hasCurl)('serves byte ranges to curl -r: 206 with the right bytes, 416 past the end, HEAD with the length', () => {
    const url = `${server.origin}episodes/${ID}/${ID}.mp3`;
    const part = curl(['-r', '100-1099', url]);
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 100-1099/${mp3.length}`);
    expect(part.headers['accept-ranges']).toBe('bytes');
    expect(part.body.equals(mp3.subarray(100, 1100))).toBe(true);
    const tail = curl(['-r', '-500', url]);
    expect(tail.status).toBe(206);
    expect(tail.body.equals(mp3.subarray(mp3.length - 500))).toBe(true);
    const past = curl(['-r', `${mp3.length}-`, url]);
    expect(past.status).toBe(416);
    expect(past.headers['content-range']).toBe(`bytes */${mp3.length}`);
    const head = curl(['-I', '-o', '/dev/null', url]);
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(mp3.length));
    const whole = curl([url]);
    expect(whole.body.equals(mp3)).toBe(true);
  });

  it.runIf(hasCurl)('never serves a file outside dist/', () => {
    for (const path of ['../show.yaml', '%2e%2e/show.yaml', '%2E%2E%2Fshow.yaml', 'episodes/..%2f..%2fshow.yaml', '..%5cshow.yaml', `episodes/${ID}/../../../show.yaml`, '.%2e/show.yaml']) {
      const res = curl([server.origin + path]);
      expect(res.status, path).toBe(404);
    }
    // An absolute path as the request target, with curl's own normalisation off.
    const abs = curl(['--request-target', '/etc/passwd', server.origin]);
    expect(abs.status).toBe(404);
    const absolute = curl(['--request-target', `http://127.0.0.1/../show.yaml`, server.origin]);
    expect(absolute.status).toBe(404);
  });

  it.runIf(hasGpo)('lets gPodder subscribe, and download the episode byte for byte', async () => {
    const home = await mkdtemp(join(tmpdir(), 'castline-gpo-'));
    try {
      const env = { ...process.env, HOME: home, GPODDER_HOME: join(home, 'gpodder'), GPODDER_DOWNLOAD_DIR: join(home, 'downloads') };
      for (const args of [['subscribe', server.feedUrl], ['update'], ['download']]) {
        const r = spawnSync('gpo', args, { env, encoding: 'utf8', timeout: 60_000 });
        expect(r.status, `gpo ${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(0);
      }
      const folder = join(home, 'downloads', 'ML & AI Safety Update');
      expect((await readdir(folder)).sort()).toEqual(['2023-01-13-mlaisu.mp3', `${ID}.mp3`]);
      expect((await readFile(join(folder, `${ID}.mp3`))).equals(mp3)).toBe(true);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  it('says which port is busy and what to do', async () => {
    const port = new URL(server.origin).port;
    const r = await runCli(['serve', '--port', port], { cwd: show.root, timeoutMs: 20_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Cannot listen on 127.0.0.1:${port} (EADDRINUSE)`);
    expect(r.stderr).toContain('--port 0 for any free port');
  });

  it('refuses to start without a built site, with a hint', async () => {
    const empty = await makeBuiltShow({ episodes: [] });
    try {
      const r = await runCli(['serve', '--port', '0'], { cwd: empty.root, timeoutMs: 20_000 });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/Nothing to serve: .*dist\/feed\.xml does not exist/);
      expect(r.stderr).toContain('hint: run castline build first');
    } finally {
      await empty.cleanup();
    }
  });
});
