#!/usr/bin/env node
// The ffmpeg runner: castline's runFfmpeg (fluent-ffmpeg spawning the argument list, issue 11)
// against a bare child_process.spawn of the same list (what the runner did before), measured in
// the same run and interleaved so machine load hits both alike:
//   1. cold: a fresh Node process running one short job (fluent-ffmpeg asks the binary for its
//      formats and encoders once per process before the first run);
//   2. warm: N short runs in one process (per-run overhead: spawn, events, line splitting);
//   3. PCM: decoding 10 minutes of MP3 to raw samples on stdout (the captions decode).
// Prints medians and ratios; exits 1 when the runner costs more than the targets below.
// Run: `npm run build && node scripts/bench-runner.mjs` (BENCH_RUNS=N for the warm run count).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const lib = fileURLToPath(new URL('../lib/media/ffmpeg/run-ffmpeg.js', import.meta.url));
if (!existsSync(lib)) {
  console.error('lib/ is missing: run `npm run build` first');
  process.exit(1);
}
const { runFfmpeg } = await import(pathToFileURL(lib).href);
const { getBinaries } = await import(pathToFileURL(fileURLToPath(new URL('../lib/media/ffmpeg/binaries.js', import.meta.url))).href);
const { envelopeDecodeArgs } = await import(pathToFileURL(fileURLToPath(new URL('../lib/captions/decode-envelope.js', import.meta.url))).href);
const { ffmpeg } = getBinaries();
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const PCM_RUNS = 9;
// cold is a fixed cost once per castline process (two short ffmpeg queries), so its target is
// in milliseconds; per-run costs are ratios.
const TARGET = { coldExtraMs: 600, warm: 1.1, pcm: 1.15 };

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const now = () => Number(process.hrtime.bigint()) / 1e6;

/** The previous runner, reduced to what it did per run: spawn, progress on stdout, stderr kept. */
function spawnDirect(args, onStdout) {
  const full = ['-hide_banner', '-nostdin', '-nostats', ...(onStdout ? [] : ['-progress', 'pipe:1']), ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, full, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    if (onStdout) child.stdout.on('data', onStdout);
    else child.stdout.setEncoding('utf8').on('data', () => {});
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stderr) : reject(new Error(`exit ${code}: ${stderr.slice(-300)}`))));
  });
}

const SHORT = ['-f', 'lavfi', '-i', 'sine=d=0.5', '-f', 'null', '-'];

// 1. cold start
const coldRunner = `const { runFfmpeg } = await import(${JSON.stringify(pathToFileURL(lib).href)}); await runFfmpeg(${JSON.stringify(SHORT)}, { label: 'x' });`;
const coldDirect = `import { spawnSync } from 'node:child_process'; const r = spawnSync(${JSON.stringify(ffmpeg)}, ['-hide_banner', '-nostdin', '-nostats', '-progress', 'pipe:1', ...${JSON.stringify(SHORT)}]); if (r.status) process.exit(1);`;
const cold = { runner: [], direct: [] };
for (let i = 0; i < 7; i++) {
  for (const [name, code] of [['direct', coldDirect], ['runner', coldRunner]]) {
    const t = now();
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) throw new Error(`${name} cold run failed: ${r.stderr}`);
    cold[name].push(now() - t);
  }
}

// 2. warm per-run
const warm = { runner: [], direct: [] };
await runFfmpeg(SHORT, { label: 'warm-up' });
for (let i = 0; i < RUNS; i++) {
  for (const name of i % 2 ? ['runner', 'direct'] : ['direct', 'runner']) {
    const t = now();
    await (name === 'direct' ? spawnDirect(SHORT) : runFfmpeg(SHORT, { label: 'warm' }));
    warm[name].push(now() - t);
  }
}

// 3. PCM on stdout
const dir = await mkdtemp(join(tmpdir(), 'castline-bench-runner-'));
const pcm = { runner: [], direct: [] };
let bytes = { runner: 0, direct: 0 };
try {
  const mp3 = join(dir, 'ten-minutes.mp3');
  execFileSync(ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', 'sine=f=220:d=600', '-ac', '1', '-c:a', 'libmp3lame', '-b:a', '64k', '-y', mp3]);
  const args = envelopeDecodeArgs(mp3);
  const ways = {
    direct: () => spawnDirect(args, (c) => (bytes.direct += c.length)),
    runner: () => runFfmpeg(args, { label: 'pcm', onStdout: (c) => (bytes.runner += c.length) }),
  };
  for (let i = 0; i < PCM_RUNS; i++) {
    bytes = { runner: 0, direct: 0 };
    // Alternate which goes first, so a load spike does not always hit the same one.
    for (const name of i % 2 ? ['runner', 'direct'] : ['direct', 'runner']) {
      const t = now();
      await ways[name]();
      pcm[name].push(now() - t);
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
if (bytes.runner !== bytes.direct) throw new Error(`PCM bytes differ: runner ${bytes.runner}, direct ${bytes.direct}`);

let failed = false;
const row = (what, m, target) => {
  const d = median(m.direct);
  const r = median(m.runner);
  const ratio = r / d;
  const over = target.ratio !== undefined ? ratio > target.ratio : r - d > target.extraMs;
  failed ||= over;
  const goal = target.ratio !== undefined ? `≤ ${target.ratio}×` : `≤ +${target.extraMs} ms`;
  console.log(`${what.padEnd(44)} spawn ${d.toFixed(1).padStart(7)} ms   runFfmpeg ${r.toFixed(1).padStart(7)} ms   ${ratio.toFixed(2)}× (${r >= d ? '+' : ''}${(r - d).toFixed(1)} ms)   target ${goal}${over ? '  OVER' : ''}`);
};
console.log(`ffmpeg runner: fluent-ffmpeg (runFfmpeg) vs bare spawn, medians`);
row('cold: new Node process, one 0.5 s job', cold, { extraMs: TARGET.coldExtraMs });
row(`warm: one 0.5 s job (${RUNS} runs)`, warm, { ratio: TARGET.warm });
row(`PCM: 10 min MP3 → ${(bytes.runner / 1e6).toFixed(1)} MB on stdout (${PCM_RUNS} runs)`, pcm, { ratio: TARGET.pcm });
console.log(`load average during the run: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
process.exit(failed ? 1 : 0);
