#!/usr/bin/env node
// Sharded back-catalog rebuild (issue 18): a 40-episode catalog (short generated episodes:
// three espeak-ng takes each, about 12 s of audio) built once by one `castline build`, and
// once as 4 `castline build --shard K/4` processes side by side plus the final `castline build`
// that writes the feed and site from the records. Prints wall time and CPU-seconds (user + sys
// of castline and every ffmpeg it ran, from bash's `times`, which counts all reaped
// descendants) per episode for both. On this 2-core machine the shards cannot be 4× faster;
// CPU-seconds per episode is what decides the cost on N runners.
// Run: `npm run bench -- shards` (BENCH_EPISODES=N to change the catalog size).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, copyFileSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir, availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixturePath, SPEECH } from '../test/fixtures/media/registry.mjs';

const repo = fileURLToPath(new URL('..', import.meta.url));
const cli = join(repo, 'bin', 'castline.js');
const EPISODES = Number(process.env.BENCH_EPISODES ?? 40);
const SHARDS = 4;

if (!existsSync(join(repo, 'lib', 'cli', 'main.js'))) {
  console.error('lib/ is missing: run `npm run build` first');
  process.exit(1);
}

function makeCatalog(root) {
  mkdirSync(root, { recursive: true });
  for (const entry of ['show.yaml', 'assets']) cpSync(join(repo, entry), join(root, entry), { recursive: true });
  for (let n = 1; n <= EPISODES; n++) {
    const id = `2024-${String(Math.ceil(n / 28)).padStart(2, '0')}-${String(((n - 1) % 28) + 1).padStart(2, '0')}-week-${n}`;
    const dir = join(root, 'episodes', id);
    mkdirSync(join(dir, 'audio'), { recursive: true });
    writeFileSync(join(dir, 'episode.yaml'), `title: Week ${n}\nnumber: ${n}\n`);
    writeFileSync(join(dir, 'script.md'), `# Week ${n}\n\n## Welcome {#intro}\n\n${SPEECH.intro}\n\n## The news {#news}\n\n${SPEECH.news}\n\n## Goodbye {#outro}\n\n${SPEECH.outro}\n`);
    for (const take of ['intro', 'news', 'outro']) copyFileSync(fixturePath(`take-${take}.wav`), join(dir, 'audio', `${take}.wav`));
  }
}

/** Run a bash snippet; wall seconds and the CPU seconds of everything it started. */
function timed(cwd, script) {
  const started = process.hrtime.bigint();
  const r = spawnSync('bash', ['-c', `${script}\ntimes`], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`bench step failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const lines = r.stdout.trim().split('\n');
  const children = lines.at(-1).trim().split(/\s+/).map((t) => {
    const m = /^(\d+)m([\d.]+)s$/.exec(t);
    return Number(m[1]) * 60 + Number(m[2]);
  });
  return { wall, cpu: children[0] + children[1], stderr: r.stderr };
}

const base = mkdtempSync(join(tmpdir(), 'castline-bench-shards-'));
try {
  const single = join(base, 'single');
  makeCatalog(single);
  const sharded = join(base, 'sharded');
  cpSync(single, sharded, { recursive: true, preserveTimestamps: true });
  const node = JSON.stringify(process.execPath);
  const load0 = loadavg()[0];
  const one = timed(single, `${node} ${JSON.stringify(cli)} build >/dev/null 2>build.log`);
  const load1 = loadavg()[0];
  const shards = timed(sharded, `for k in $(seq 1 ${SHARDS}); do ${node} ${JSON.stringify(cli)} build --shard $k/${SHARDS} >/dev/null 2>shard-$k.log & done; wait`);
  const final = timed(sharded, `${node} ${JSON.stringify(cli)} build >/dev/null 2>final.log`);
  const load2 = loadavg()[0];
  const upToDate = (readFileSync(join(sharded, 'final.log'), 'utf8').match(/: up to date/g) ?? []).length;
  if (upToDate !== EPISODES) throw new Error(`the final build rebuilt something: ${upToDate} of ${EPISODES} up to date`);
  if (!existsSync(join(sharded, 'dist', 'feed.xml'))) throw new Error('the final build wrote no feed');

  const row = (name, wall, cpu) => console.log(`${name.padEnd(38)}${`${wall.toFixed(1)} s`.padStart(9)}${`${(wall / EPISODES).toFixed(2)} s`.padStart(11)}${`${cpu.toFixed(1)} s`.padStart(10)}${`${(cpu / EPISODES).toFixed(2)} s`.padStart(11)}`);
  console.log(`${EPISODES} episodes (~12 s of speech each), ${availableParallelism()} cores, node ${process.version}`);
  console.log(`${'run'.padEnd(38)}${'wall'.padStart(9)}${'wall/ep'.padStart(11)}${'CPU'.padStart(10)}${'CPU/ep'.padStart(11)}`);
  row('one castline build (baseline)', one.wall, one.cpu);
  row(`${SHARDS} shards side by side`, shards.wall, shards.cpu);
  row('final castline build (feed + site)', final.wall, final.cpu);
  row(`${SHARDS} shards + final`, shards.wall + final.wall, shards.cpu + final.cpu);
  console.log(`sharded / single: wall ${((shards.wall + final.wall) / one.wall).toFixed(2)}×, CPU ${((shards.cpu + final.cpu) / one.cpu).toFixed(2)}×`);
  console.log(`load average (1 min) before/between/after: ${load0.toFixed(1)} / ${load1.toFixed(1)} / ${load2.toFixed(1)}`);
  console.log(`estimate for ${SHARDS} runners like this machine: each shard has ${(shards.cpu / SHARDS).toFixed(0)} CPU-s of work, so ~${(shards.cpu / SHARDS / 2).toFixed(0)} s on 2 free cores`);
} finally {
  rmSync(base, { recursive: true, force: true });
}
