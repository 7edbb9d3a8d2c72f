import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmod, cp, mkdtemp, readFile, readdir, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { parse, stringify } from 'yaml';
import { getBinaries } from '../../../src/media/ffmpeg/binaries.js';
import { makeTempShow, requireTool, runCli } from '../../helpers/cli.js';
import { MOTO_CREDENTIALS, startMoto, startNginx, startSshd, type RunningServer } from '../../helpers/servers.js';
import { startFaultProxy, type FaultProxy } from '../../helpers/fault-proxy.mjs';

// A fresh clone of the show folder (no dist/, as in CI) publishes incrementally: castline
// reads the build records back from the deploy target, keeps episodes deployed with the same
// inputs there, and encodes and uploads nothing for them. The example show is built ONCE
// (real ffmpeg) and deployed to each real target: a folder, moto_server (S3) and sshd (SFTP).
// Encodes are counted by running ffmpeg through a logging wrapper (CASTLINE_FFMPEG).
const EPISODES = ['2023-01-13-mlaisu', '2023-01-20-mlaisu'];
const BUCKET = 'castline-fresh-clone';
/** The README's nginx types for the text files. */
const NGINX_TYPES = `
    location ~ \\.(vtt|srt|json)$ { types { text/vtt vtt; application/x-subrip srt; application/json json; } }
    location = /feed.xml { types { } default_type application/rss+xml; }`;

interface PublishJson {
  deploy?: { uploaded: string[]; unchanged: number };
  feed?: { episodes: string[] };
  ok: boolean;
}

describe.skipIf(!requireTool('moto_server') || !requireTool('sshd', '/usr/sbin/sshd') || !requireTool('nginx'))('a fresh clone publishes incrementally', () => {
  let built: { root: string; cleanup: () => Promise<void> };
  let work: string;
  let ffmpegLog: string;
  let wrapperEnv: Record<string, string>;
  let moto: RunningServer & { endpoint: string };
  let proxy: FaultProxy;
  let sshd: RunningServer & { user: string; userKey: string; fingerprint: string };
  let s3: S3Client;

  /**
   * ffmpeg runs that read an input and wrote a file (an encode). The input checks decode to
   * `-f null -`; fluent-ffmpeg's capability queries (-formats, -encoders) read nothing.
   */
  const encodes = async (): Promise<string[]> => {
    const lines = (await readFile(ffmpegLog, 'utf8').catch(() => '')).split('\n').filter(Boolean);
    return lines.filter((l) => / -i /.test(` ${l}`) && !l.trimEnd().endsWith('-f null -'));
  };

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'castline-fresh-clone-'));
    ffmpegLog = join(work, 'ffmpeg.log');
    const wrapper = join(work, 'ffmpeg-logged');
    await writeFile(wrapper, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${ffmpegLog}'\nexec '${getBinaries().ffmpeg}' "$@"\n`);
    await chmod(wrapper, 0o755);
    wrapperEnv = { CASTLINE_FFMPEG: wrapper };
    [moto, sshd, built] = await Promise.all([startMoto(), startSshd(), makeTempShow({ episodes: EPISODES })]);
    proxy = await startFaultProxy(moto.endpoint);
    s3 = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    // No YouTube section: publish builds, writes the feed and deploys.
    const showYaml = join(built.root, 'show.yaml');
    const config = parse(await readFile(showYaml, 'utf8')) as Record<string, unknown>;
    delete config['youtube'];
    await writeFile(showYaml, stringify(config));
    const build = await runCli(['build'], { cwd: built.root, env: wrapperEnv });
    expect(build.code, build.stderr).toBe(0);
    // The counter works: the full build encoded both episodes.
    expect((await encodes()).filter((l) => l.includes('.mp3')).length).toBeGreaterThanOrEqual(2);
  }, 300_000);
  afterAll(async () => {
    s3?.destroy();
    await proxy?.close();
    await Promise.all([moto?.stop(), sshd?.stop(), built?.cleanup()]);
    if (work) await rm(work, { recursive: true, force: true });
  });

  /** A copy of the built show deploying to `deploy`; `withDist: false` is the fresh clone. */
  const copyShow = async (name: string, deploy: Record<string, unknown>, withDist: boolean): Promise<string> => {
    const root = join(work, name);
    for (const entry of ['show.yaml', 'assets', 'episodes', ...(withDist ? ['dist'] : [])]) await cp(join(built.root, entry), join(root, entry), { recursive: true, preserveTimestamps: true });
    const config = parse(await readFile(join(root, 'show.yaml'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(root, 'show.yaml'), stringify({ ...config, deploy }));
    return root;
  };

  const addCorrection = async (root: string, id: string): Promise<void> => {
    const file = join(root, 'episodes', id, 'episode.yaml');
    const ep = parse(await readFile(file, 'utf8')) as { corrections?: unknown[] };
    await writeFile(file, stringify({ ...ep, corrections: [...(ep.corrections ?? []), { date: '2023-02-01', text: 'A second correction, added in CI.' }] }));
  };

  /** Every file under a folder with its mtime (what an SFTP or folder target holds). */
  const mtimes = async (dir: string): Promise<Map<string, number>> => {
    const out = new Map<string, number>();
    for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
      if (e.isFile()) out.set(relative(dir, join(e.parentPath, e.name)), (await stat(join(e.parentPath, e.name))).mtimeMs);
    }
    return out;
  };

  const targets = [
    { name: 'local', deploy: (): Record<string, unknown> => ({ target: 'local', path: join(work, 'www-local') }), env: (): Record<string, string> => ({}) },
    {
      name: 'sftp',
      deploy: (): Record<string, unknown> => ({ target: 'sftp', host: '127.0.0.1', port: sshd.port, user: sshd.user, path: join(work, 'www-sftp'), hostKey: sshd.fingerprint }),
      env: (): Record<string, string> => ({ CASTLINE_SFTP_KEY: sshd.userKey, SSH_AUTH_SOCK: '' }),
    },
  ];

  for (const t of targets) {
    it(`${t.name}: publish from a clone without dist/ encodes nothing, rewrites no file on the target, and writes the same feed; a correction sends its page and the feed`, async () => {
      const original = await copyShow(`${t.name}-original`, t.deploy(), true);
      const first = await runCli(['deploy', '--json'], { cwd: original, env: { ...wrapperEnv, ...t.env() } });
      expect(first.code, first.stderr).toBe(0);
      const site = String(t.deploy()['path']);
      const before = await mtimes(site);
      expect([...before.keys()]).toContain(`.castline/builds/${EPISODES[0]}.json`);

      const clone = await copyShow(`${t.name}-clone`, t.deploy(), false);
      await rm(ffmpegLog, { force: true });
      const run = await runCli(['publish', '--no-verify', '--json'], { cwd: clone, env: { ...wrapperEnv, ...t.env() } });
      expect(run.code, run.stderr).toBe(0);
      expect(await encodes()).toEqual([]);
      for (const id of EPISODES) expect(run.stderr).toContain(`${id}: deployed to`);
      const result = JSON.parse(run.stdout) as PublishJson;
      expect(result.feed && 'episodes' in result.feed ? result.feed.episodes.sort() : []).toEqual([...EPISODES].sort());
      expect(result.deploy?.uploaded).toEqual([]);
      expect(await readFile(join(clone, 'dist', 'feed.xml'))).toEqual(await readFile(join(original, 'dist', 'feed.xml')));
      expect(await mtimes(site)).toEqual(before);

      await addCorrection(clone, EPISODES[0]!);
      const corrected = await runCli(['deploy', '--json'], { cwd: clone, env: t.env() });
      expect(corrected.code, corrected.stderr).toBe(0);
      // The index lists titles, not corrections: its bytes are the same, so it is not sent.
      expect((JSON.parse(corrected.stdout) as { uploaded: string[] }).uploaded).toEqual([`episodes/${EPISODES[0]}/index.html`, 'feed.xml']);
      expect(await readFile(join(site, 'feed.xml'), 'utf8')).toContain('A second correction, added in CI.');

      if (t.name === 'local') {
        // castline verify from the clone: the kept MP3's size comes from its build record,
        // so a truncated file on the server is still caught without the MP3 in dist/.
        const nginx = await startNginx(site, { server: NGINX_TYPES });
        try {
          const verified = await runCli(['verify', '--base-url', nginx.origin, '--json'], { cwd: clone });
          expect(verified.code, verified.stderr + verified.stdout).toBe(0);
          const mp3 = `episodes/${EPISODES[0]}/${EPISODES[0]}.mp3`;
          const size = (await stat(join(site, mp3))).size;
          await truncate(join(site, mp3), size - 1000);
          const bad = await runCli(['verify', '--base-url', nginx.origin, '--json'], { cwd: clone });
          expect(bad.code).toBe(1);
          const problems = (JSON.parse(bad.stdout) as { problems: { url: string; message: string }[] }).problems;
          expect(problems.find((p) => p.url.endsWith(mp3))?.message).toContain(`the local file has ${size} bytes`);
        } finally {
          await nginx.stop();
        }
      }
    }, 180_000);
  }

  it('s3: zero PUTs from the clone, the same feed; a correction PUTs its page and the feed; a file the target lost is rebuilt and sent', async () => {
    const deploy = { target: 's3', bucket: BUCKET, prefix: 'show', endpoint: proxy.endpoint, forcePathStyle: true, region: 'us-east-1' };
    const env = { ...MOTO_CREDENTIALS, AWS_EC2_METADATA_DISABLED: 'true' };
    const original = await copyShow('s3-original', deploy, true);
    const first = await runCli(['deploy', '--json'], { cwd: original, env });
    expect(first.code, first.stderr).toBe(0);
    const etags = async (): Promise<Map<string, string>> => {
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'show/' }));
      return new Map((listed.Contents ?? []).map((o) => [o.Key!, `${o.ETag} ${o.LastModified?.toISOString()}`]));
    };
    const before = await etags();

    const clone = await copyShow('s3-clone', deploy, false);
    await rm(ffmpegLog, { force: true });
    proxy.reset();
    const run = await runCli(['publish', '--no-verify', '--json'], { cwd: clone, env: { ...env, ...wrapperEnv } });
    expect(run.code, run.stderr).toBe(0);
    expect(await encodes()).toEqual([]);
    expect(proxy.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD')).toEqual([]);
    // Read back: the deploy record, the two build records and their small outputs; never the media.
    const gets = proxy.requests.filter((r) => r.method === 'GET').map((r) => decodeURIComponent(r.url.split('?')[0]!));
    expect(gets).toContain(`/${BUCKET}/show/.castline/builds/${EPISODES[1]}.json`);
    expect(gets.filter((g) => /\.(mp3|mp4)$/.test(g))).toEqual([]);
    expect((JSON.parse(run.stdout) as PublishJson).deploy?.uploaded).toEqual([]);
    expect(await readFile(join(clone, 'dist', 'feed.xml'))).toEqual(await readFile(join(original, 'dist', 'feed.xml')));
    expect(await etags()).toEqual(before);

    await addCorrection(clone, EPISODES[1]!);
    proxy.reset();
    const corrected = await runCli(['publish', '--no-verify', '--json'], { cwd: clone, env });
    expect(corrected.code, corrected.stderr).toBe(0);
    const puts = proxy.requests.filter((r) => r.method === 'PUT').map((r) => decodeURIComponent(r.url.split('?')[0]!).replace(`/${BUCKET}/show/`, ''));
    // The record without the two files about to be replaced, the page, the feed, the new record.
    expect(puts).toEqual(['.castline/deploy.json', `episodes/${EPISODES[1]}/index.html`, 'feed.xml', '.castline/deploy.json']);

    // A deploy killed after it dropped a replaced file from the record leaves the record
    // without it: a new clone must not trust that episode, so it is encoded and sent again.
    const recordKey = 'show/.castline/deploy.json';
    const out = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: recordKey }));
    const record = JSON.parse(await out.Body!.transformToString()) as { files: Record<string, unknown> };
    const lost = `episodes/${EPISODES[0]}/${EPISODES[0]}.mp3`;
    delete record.files[lost];
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: recordKey, Body: JSON.stringify(record), ContentType: 'application/json' }));
    const again = await copyShow('s3-clone-2', deploy, false);
    await addCorrection(again, EPISODES[1]!);
    await rm(ffmpegLog, { force: true });
    proxy.reset();
    const rebuilt = await runCli(['publish', '--no-verify', '--json'], { cwd: again, env: { ...env, ...wrapperEnv } });
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(rebuilt.stderr).toContain(`does not have ${lost}`);
    const encoded = await encodes();
    expect(encoded.some((l) => l.includes(`${EPISODES[0]}.mp3`))).toBe(true);
    expect(encoded.filter((l) => l.includes(EPISODES[1]!))).toEqual([]);
    const sent = (JSON.parse(rebuilt.stdout) as PublishJson).deploy?.uploaded ?? [];
    expect(sent).toContain(lost);
    expect(sent.filter((rel) => rel.includes(EPISODES[1]!))).toEqual([]);
  }, 300_000);
});
