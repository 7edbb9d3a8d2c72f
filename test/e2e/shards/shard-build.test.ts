import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, requireTool, runCli } from '../../helpers/cli.js';
import { makeShardShow } from './shard-show.js';

/**
 * `castline build --shard K/N` (issue 18): N shard processes side by side in one show folder,
 * then the final `castline build`, give the same build records, media bytes and feed as one
 * plain `castline build` of a copy of the same show; and a shard killed with SIGKILL midway
 * completes when it is run again alone.
 */

interface BuildJson {
  shard?: { index: number; count: number };
  episodes: { id: string; status: string }[];
  feed?: unknown;
}

/** SHA-256 of every file under dist/episodes, by path (build.json compared apart). */
function mediaHashes(root: string): Record<string, string> {
  const dir = join(root, 'dist', 'episodes');
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile() || e.name === 'build.json') continue;
    const path = join(e.parentPath, e.name);
    out[path.slice(dir.length + 1)] = createHash('sha256').update(readFileSync(path)).digest('hex');
  }
  return out;
}

/** Fields of a build record that say when or how long, not what: they differ run to run. */
const TIMING_KEYS = new Set(['builtAt', 'mtimeMs', 'seconds', 'probeSeconds', 'wallSeconds']);

/** A build record without its timing fields (TIMING_KEYS), at any depth. */
function record(root: string, id: string): unknown {
  const strip = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(strip) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([k]) => !TIMING_KEYS.has(k)).map(([k, x]) => [k, strip(x)])) : v;
  return strip(JSON.parse(readFileSync(join(root, 'dist', 'episodes', id, 'build.json'), 'utf8')));
}

/** Item GUIDs are random UUIDs minted once per checkout: the feeds must match apart from them. */
const feedWithoutGuids = (root: string): string => readFileSync(join(root, 'dist', 'feed.xml'), 'utf8').replace(/<guid isPermaLink="false">[^<]+<\/guid>/g, '<guid/>');

function build(root: string, args: string[]): Promise<{ code: number; json: BuildJson | undefined; stderr: string }> {
  return runCli(['build', ...args, '--json'], { cwd: root, env: { CASTLINE_JOBS: '2' } }).then((r) => {
    let json: BuildJson | undefined;
    try {
      json = JSON.parse(r.stdout) as BuildJson;
    } catch {
      json = undefined;
    }
    return { code: r.code, json, stderr: r.stderr };
  });
}

describe.skipIf(!requireTool('espeak-ng'))('castline build --shard K/N', () => {
  let show: Awaited<ReturnType<typeof makeShardShow>>;
  let base: string;
  let single: string;
  let sharded: string;
  let killed: string;

  beforeAll(async () => {
    // Shard 1 of 2 gets three episodes so that one can be finished and another not yet
    // started when it is killed (two episodes build at a time).
    show = await makeShardShow({ count: 2, perShard: 3 });
    base = await mkdtemp(join(tmpdir(), 'castline-shards-'));
    single = join(base, 'single');
    sharded = join(base, 'sharded');
    killed = join(base, 'killed');
    for (const dir of [single, sharded, killed]) await cp(show.root, dir, { recursive: true, preserveTimestamps: true });
    const one = await build(single, []);
    expect(one.code, one.stderr).toBe(0);
  }, 600_000);
  afterAll(async () => {
    await show?.cleanup();
    await rm(base, { recursive: true, force: true });
  });

  it('N shards side by side plus the final build match one build: records, media hashes, feed', async () => {
    const [a, b] = await Promise.all([build(sharded, ['--shard', '1/2']), build(sharded, ['--shard', '2/2'])]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const one = a.json?.episodes.map((e) => e.id) ?? [];
    const two = b.json?.episodes.map((e) => e.id) ?? [];
    // Each shard built its share only, the shares are disjoint and cover the show.
    expect(one.length).toBe(3);
    expect(two.length).toBe(3);
    expect([...one, ...two].sort()).toEqual(show.ids);
    expect(a.json?.episodes.every((e) => e.status === 'built')).toBe(true);
    // A shard writes only its episodes' outputs: no feed, no site, no GUIDs in the show folder.
    expect(a.stderr).toContain('shard 1/2: feed and site not written');
    expect(readdirSync(join(sharded, 'dist')).sort()).toEqual(['episodes']);
    expect(show.ids.filter((id) => existsSync(join(sharded, 'episodes', id, 'published.yaml')))).toEqual([]);

    const final = await build(sharded, []);
    expect(final.code, final.stderr).toBe(0);
    expect(final.json?.episodes.map((e) => e.status)).toEqual(show.ids.map(() => 'unchanged'));

    expect(mediaHashes(sharded)).toEqual(mediaHashes(single));
    expect(Object.keys(mediaHashes(single)).length).toBeGreaterThanOrEqual(6 * 6);
    for (const id of show.ids) expect(record(sharded, id), id).toEqual(record(single, id));
    expect(feedWithoutGuids(sharded)).toBe(feedWithoutGuids(single));
  }, 600_000);

  it('a shard killed with SIGKILL midway completes when run again alone', async () => {
    // The whole process group, ffmpeg children included, as when a runner dies.
    const child = spawn(process.execPath, [CLI, 'build', '--shard', '1/2'], { cwd: killed, detached: true, stdio: 'ignore', env: { ...process.env, CASTLINE_JOBS: '2' } });
    const mine = show.ids.filter((id) => existsSync(join(single, 'dist', 'episodes', id)));
    const shardOne = (await build(killed, ['--shard', '1/2', '--dry-run'])).json?.episodes.map((e) => e.id) ?? [];
    expect(shardOne.length).toBe(3);
    expect(mine.length).toBe(6);
    const done = (): string[] => shardOne.filter((id) => existsSync(join(killed, 'dist', 'episodes', id, 'build.json')));
    const started = Date.now();
    while (done().length === 0 && Date.now() - started < 300_000) await new Promise((r) => setTimeout(r, 100));
    process.kill(-child.pid!, 'SIGKILL');
    await new Promise((r) => child.on('close', r));
    const finishedBeforeKill = done();
    expect(finishedBeforeKill.length).toBeGreaterThanOrEqual(1);
    expect(finishedBeforeKill.length, 'the kill came after the whole shard had finished').toBeLessThan(3);

    const rerun = await build(killed, ['--shard', '1/2']);
    expect(rerun.code, rerun.stderr).toBe(0);
    const status = Object.fromEntries(rerun.json?.episodes.map((e) => [e.id, e.status]) ?? []);
    for (const id of finishedBeforeKill) expect(status[id], id).toBe('unchanged');
    for (const id of shardOne.filter((i) => !finishedBeforeKill.includes(i))) expect(status[id], id).toBe('built');
    const hashes = mediaHashes(killed);
    const expected = mediaHashes(single);
    for (const id of shardOne) {
      // The episode pages (index.html) are the site's, written by the final build, not a shard.
      const outputs = Object.entries(expected).filter(([p]) => p.startsWith(`${id}/`) && !p.endsWith('index.html'));
      expect(outputs.length).toBeGreaterThanOrEqual(6);
      for (const [path, hash] of outputs) expect(hashes[path], path).toBe(hash);
      expect(record(killed, id)).toEqual(record(single, id));
    }
    // Nothing half-written is left: no temp files.
    expect(readdirSync(join(killed, 'dist'), { recursive: true }).map(String).filter((f) => /\.tmp|\.partial/.test(f))).toEqual([]);
  }, 600_000);

  it('castline plan --json --shards 2 lists what is left to build, why, and in which shard', async () => {
    // After the kill test, shard 1's episodes are built in `killed` and shard 2's are not.
    const r = await runCli(['plan', '--shards', '2', '--json'], { cwd: killed });
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as { shards: number; rebuild: string[]; episodes: { id: string; rebuild: boolean; reasons: { output: string; reason: string }[]; shard: number }[] };
    expect(plan.shards).toBe(2);
    const built = show.ids.filter((id) => existsSync(join(killed, 'dist', 'episodes', id, 'build.json')));
    expect(built.length).toBe(3);
    expect(plan.rebuild).toEqual(show.ids.filter((id) => !built.includes(id)));
    for (const e of plan.episodes) {
      expect(e.shard, e.id).toBe(built.includes(e.id) ? 1 : 2);
      expect(e.reasons.map((x) => x.output), e.id).toEqual(built.includes(e.id) ? [] : ['mp3', 'mp4', 'thumbnail', 'chapters', 'captions']);
      if (e.rebuild) expect(e.reasons.every((x) => x.reason === 'not built before')).toBe(true);
    }
    // Nothing was written by planning.
    expect(show.ids.filter((id) => !built.includes(id) && existsSync(join(killed, 'dist', 'episodes', id)))).toEqual([]);
    const bad = await runCli(['build', '--shard', '3/2'], { cwd: killed });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--shard "3/2" is not a shard');
  });
});
