import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rm, stat, truncate } from 'node:fs/promises';
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
    expect(kinds.filter((k) => k === 'enclosure')).toHaveLength(2);
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

  it('says so when the live feed cannot be fetched at all', async () => {
    const run = await runCli(['verify', '--base-url', 'http://127.0.0.1:9/'], { cwd: show.root });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Cannot fetch the live feed http://127.0.0.1:9/feed.xml');
  }, 60_000);
});
