#!/usr/bin/env node
// Media build speed (issues 4 and 14). One synthetic episode — five takes of espeak-ng speech
// (default 12 minutes each, cut from the example takes at different offsets), one per
// section — built several ways in ONE run, so the ratios compare like with like on this
// machine now:
//   castline  — `castline build --force` as the CLI runs it (read/hash/probe, cleanup, the
//               analysis, the loudness probes, MP3 | AAC | still clips in parallel, mux, ID3,
//               thumbnail, captions, re-measured outputs), three times: cleanup off
//               (highpass/dehum false), the default chain (high-pass + hum probe, inline),
//               and everything on (denoise medium, leveler, trimSilence; its cost reported);
//   limit     — the fastest hand-written command lines for the same outputs: one ebur128 pass
//               (no true peak: the limiter is always on) while the clips encode, MP3 | AAC |
//               thumbnail in parallel, a stream-copy mux (no checks, no captions);
//   naive     — loudnorm two-pass analysis, then one process with asplit writing the MP3 and
//               a 25 fps MP4 from a looped PNG (on an excerpt, scaled).
// Then a no-op `castline build` of a 100-episode show (target ≤ 1 s).
// Targets: castline ≤ 1.15× limit, ≥ 3× faster than naive, ≥ 45× realtime.
// Env: BENCH_TAKES (default 5), BENCH_TAKE_MINUTES (default 12), BENCH_SKIP_NAIVE=1,
// BENCH_SKIP_CLEANUP=1, BENCH_SKIP_NOOP=1, BENCH_NOOP_EPISODES (default 100), BENCH_ROUNDS (default 2:
// limit, default, off interleaved, the fastest of each compared); BENCH_TRACE=1 prints
// each castline build's ffmpeg runs (start–end, waits for a core); BENCH_CASTLINE_ONLY=1 runs
// castline alone with its trace (for work on the schedule; no ratios).
// Run: `npm run bench -- media`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = fileURLToPath(new URL('..', import.meta.url));
const lib = (p) => new URL(`../lib/${p}`, import.meta.url).href;
if (!existsSync(fileURLToPath(lib('pipeline/build-episode.js')))) {
  console.error('lib/ is missing: run `npm run build` first');
  process.exit(1);
}
const TAKES = Number(process.env.BENCH_TAKES ?? 5);
const TAKE_MINUTES = Number(process.env.BENCH_TAKE_MINUTES ?? 12);
const MINUTES = TAKES * TAKE_MINUTES;
const SECONDS = MINUTES * 60;
const NOOP_EPISODES = Number(process.env.BENCH_NOOP_EPISODES ?? 100);
const CHAPTERS = TAKES;

const { getBinaries } = await import(lib('media/ffmpeg/binaries.js'));
const { loadValidShow } = await import(lib('config/load-show.js'));
const { readScript } = await import(lib('script/read-script.js'));
const { readEpisodeInputs } = await import(lib('pipeline/read-episode-inputs.js'));
const { buildEpisode } = await import(lib('pipeline/build-episode.js'));
const { buildCaptions } = await import(lib('captions/index.js'));
const { ffmpeg } = getBinaries();

function run(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err = (err + d).slice(-20000)));
    child.on('close', (code) => (code === 0 ? resolve(err) : reject(new Error(`ffmpeg ${args.join(' ')} failed: ${err.slice(-800)}`))));
  });
}
const time = async (fn) => {
  const t = performance.now();
  await fn();
  return (performance.now() - t) / 1000;
};

// ---- the synthetic episode -------------------------------------------------------------
const cache = join(root, 'test-artifacts', 'bench-media');
mkdirSync(cache, { recursive: true });
const rename = (await import('node:fs')).renameSync;
async function makeBase() {
  const base = join(cache, 'base.wav');
  if (existsSync(base)) return base;
  const takesDir = join(root, 'episodes', '2023-01-20-mlaisu', 'audio');
  const takes = readdirSync(takesDir).filter((f) => f.endsWith('.ogg')).sort().map((f) => join(takesDir, f));
  if (!takes.length) throw new Error('no example takes: run node scripts/make-example-audio.mjs');
  await run([...takes.flatMap((t) => ['-i', t]), '-filter_complex', `${takes.map((_, i) => `[${i}:a]`).join('')}concat=n=${takes.length}:v=0:a=1[a]`, '-map', '[a]', '-ar', '44100', '-ac', '1', '-y', `${base}.tmp.wav`]);
  rename(`${base}.tmp.wav`, base);
  return base;
}
/** Take `i`: `minutes` of the example speech looped, starting 17·i s in (so no two takes are alike). */
async function makeTake(i, minutes) {
  const file = join(cache, `take-${i}-${minutes}min.wav`);
  if (existsSync(file)) return file;
  await run(['-stream_loop', '-1', '-i', await makeBase(), '-af', `atrim=start=${i * 17}:duration=${minutes * 60},asetpts=N/SR/TB`, '-ar', '44100', '-ac', '1', '-c:a', 'pcm_s16le', '-y', `${file}.tmp.wav`]);
  rename(`${file}.tmp.wav`, file);
  return file;
}
const takes = [];
for (let i = 0; i < TAKES; i++) takes.push(await makeTake(i, TAKE_MINUTES));
// The naive recipe decodes and scales a 3000² PNG 25 times a second: on a busy 2-core machine
// an hour of it takes hours, so it runs on an excerpt and is scaled linearly to the episode
// (its cost is per frame and per sample: linear in length). BENCH_NAIVE_MINUTES sets it.
const NAIVE_MINUTES = Math.min(MINUTES, Number(process.env.BENCH_NAIVE_MINUTES ?? 3));
const naiveSource = await makeTake(0, NAIVE_MINUTES);

const showDir = await mkdtemp(join(tmpdir(), 'castline-bench-media-'));
const showYaml = readFileSync(join(root, 'show.yaml'), 'utf8');
await cp(join(root, 'assets'), join(showDir, 'assets'), { recursive: true });
const ID = '2024-01-05-bench';
const epDir = join(showDir, 'episodes', ID);
await mkdir(join(epDir, 'audio'), { recursive: true });
await writeFile(join(epDir, 'episode.yaml'), `title: A ${MINUTES}-minute benchmark episode with ${CHAPTERS} sections\nnumber: 1\n`);
const chapterLen = SECONDS / CHAPTERS;
const titles = Array.from({ length: CHAPTERS }, (_, i) => `Chapter ${i + 1}: research news & opportunities`);
await writeFile(join(epDir, 'script.md'), `# Bench\n\n${titles.map((t, i) => `## ${t} {#c${i + 1}}\n\n${'Words to read aloud in this section. '.repeat(40)}\n`).join('\n')}`);
for (const [i, t] of takes.entries()) await symlink(t, join(epDir, 'audio', `c${i + 1}.wav`));

const out = join(showDir, 'out');
await mkdir(out, { recursive: true });
const font = join(showDir, 'assets/fonts/DejaVuSans-Bold.ttf');
const bg = join(showDir, 'assets/background.png');
const cover = join(showDir, 'assets/cover.png');

// ---- castline --------------------------------------------------------------------------
const CLEANUP = {
  off: '  cleanup:\n    highpass: false\n    dehum: false\n',
  default: '',
  on: '  cleanup:\n    denoise: medium\n    leveler: true\n    trimSilence: true\n',
};
/** A progress sink that keeps when each task finished (seconds from the start of the build). */
function timeline() {
  const t0 = performance.now();
  const done = [];
  return {
    done,
    start: (label) => ({ update() {}, finish: (note) => done.push({ label: label.replace(`${ID} `, ''), at: (performance.now() - t0) / 1000, note }) }),
    close() {},
  };
}
async function castline(cleanup) {
  await rm(join(showDir, 'dist'), { recursive: true, force: true });
  await writeFile(join(showDir, 'show.yaml'), showYaml.replace(/^audio:\n/m, `audio:\n${CLEANUP[cleanup]}`));
  const progress = timeline();
  const traceFile = join(out, `trace-${cleanup}.jsonl`);
  await rm(traceFile, { force: true });
  process.env.CASTLINE_TRACE_FFMPEG = traceFile;
  const t = performance.now();
  const show = await loadValidShow(showDir);
  const ep = show.episodes.find((e) => e.id === ID);
  const read = await readEpisodeInputs(show, ep, readScript);
  await buildEpisode({ show, inputs: read.inputs, force: true, progress, buildCaptions, warn: () => {} });
  const seconds = (performance.now() - t) / 1000;
  delete process.env.CASTLINE_TRACE_FFMPEG;
  // Each ffmpeg run of the build: label start–end (waited for a core), seconds from the build's start.
  const at = (x) => (x - t / 1000).toFixed(1);
  const trace = existsSync(traceFile)
    ? readFileSync(traceFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).map((r) => `${r.label} ${at(r.started)}–${at(r.ended)}${r.started - r.queued > 0.5 ? ` (waited ${(r.started - r.queued).toFixed(1)})` : ''}`)
    : [];
  const rec = JSON.parse(readFileSync(join(showDir, 'dist', 'episodes', ID, 'build.json'), 'utf8'));
  // Outside the timing: each output metered whole by ebur128 with true peak, by this script.
  const whole = async (f) => {
    const log = await run(['-i', join(showDir, 'dist', 'episodes', ID, f), '-map', '0:a:0', '-af', 'ebur128=peak=true:framelog=verbose', '-f', 'null', '-']);
    const sum = log.slice(log.lastIndexOf('Summary:'));
    return `${/I:\s+(-?[\d.]+)/.exec(sum)[1]} LUFS / ${/Peak:\s+(-?[\d.]+)/.exec(sum)[1]} dBTP`;
  };
  const [mp3, mp4] = await Promise.all([whole(`${ID}.mp3`), whole(`${ID}.mp4`)]);
  if (process.env.BENCH_TRACE) console.log(`  ffmpeg runs (${cleanup}): ${trace.join('; ')}`);
  return { seconds, rec, done: progress.done, measured: `MP3 ${mp3}, MP4 ${mp4}` };
}

// ---- the limit: hand-written, same outputs ---------------------------------------------
async function limit() {
  const clipFrames = 60;
  const inputs = takes.flatMap((t) => ['-i', t]);
  const join5 = `${takes.map((_, i) => `[${i}:a]`).join('')}concat=n=${takes.length}:v=0:a=1`;
  const measure = run([...inputs, '-filter_complex', `${join5},ebur128=framelog=verbose[m]`, '-map', '[m]', '-f', 'null', '-']);
  const clips = [];
  for (let i = 0; i < CHAPTERS; i++) {
    clips.push(
      run(['-framerate', '1', '-i', bg, '-vf', `scale=1920:1080:force_original_aspect_ratio=increase,crop=1920:1080,setsar=1,drawtext=fontfile=${font}:text=Chapter ${i + 1}:fontsize=90:fontcolor=white:x=(w-text_w)/2:y=(h-text_h)/2,format=yuv420p,loop=loop=${clipFrames - 1}:size=1:start=0`, '-frames:v', String(clipFrames), '-r', '1', '-c:v', 'libx264', '-profile:v', 'high', '-preset', 'medium', '-tune', 'stillimage', '-crf', '20', '-g', String(clipFrames), '-bf', '0', '-an', '-y', join(out, `clip${i}.mp4`)]),
    );
  }
  const log = await measure;
  const summary = log.slice(log.lastIndexOf('Summary:'));
  const I = Number(/I:\s+(-?[\d.]+)/.exec(summary)[1]);
  const gain = (-16 - I).toFixed(2);
  const af = `volume=${gain}dB,alimiter=limit=0.7328:level=0`;
  const meta = [';FFMETADATA1', 'title=Bench', ...titles.flatMap((t, i) => ['[CHAPTER]', 'TIMEBASE=1/1000', `START=${Math.round(i * chapterLen * 1000)}`, `END=${Math.round((i + 1) * chapterLen * 1000)}`, `title=${t}`])].join('\n');
  await writeFile(join(out, 'meta.txt'), meta);
  const mp3 = run([...inputs, '-i', join(out, 'meta.txt'), '-filter_complex', `${join5},${af}[a]`, '-map', '[a]', '-map_metadata', String(takes.length), '-c:a', 'libmp3lame', '-b:a', '128k', '-id3v2_version', '3', '-y', join(out, 'limit.mp3')]);
  const aac = run([...inputs, '-filter_complex', `${join5},${af},aresample=48000[a]`, '-map', '[a]', '-c:a', 'aac', '-b:a', '128k', '-y', join(out, 'limit.m4a')]);
  const thumb = run(['-i', bg, '-vf', `scale=1280:720:force_original_aspect_ratio=increase,crop=1280:720,drawtext=fontfile=${font}:text=Bench:fontsize=90:fontcolor=white:x=(w-text_w)/2:y=(h-text_h)/2`, '-frames:v', '1', '-y', join(out, 'limit.jpg')]);
  await Promise.all(clips);
  const perChapter = Math.round(chapterLen);
  const list = ['ffconcat version 1.0'];
  for (let i = 0; i < CHAPTERS; i++) {
    for (let k = 0; k < Math.floor(perChapter / clipFrames); k++) list.push(`file '${join(out, `clip${i}.mp4`)}'`);
    if (perChapter % clipFrames) list.push(`file '${join(out, `clip${i}.mp4`)}'`, `outpoint ${perChapter % clipFrames}`);
  }
  await writeFile(join(out, 'list.ffconcat'), `${list.join('\n')}\n`);
  await aac;
  await run(['-f', 'concat', '-safe', '0', '-i', join(out, 'list.ffconcat'), '-i', join(out, 'limit.m4a'), '-i', join(out, 'meta.txt'), '-map', '0:v', '-map', '1:a', '-map_chapters', '2', '-c', 'copy', '-t', String(SECONDS), '-movflags', '+faststart', '-y', join(out, 'limit.mp4')]);
  await Promise.all([mp3, thumb]);
}

// ---- naive: loudnorm two-pass, one process, 25 fps from a looped PNG ----------------------
async function naive() {
  const source = naiveSource;
  const SECONDS = NAIVE_MINUTES * 60;
  const log = await run(['-i', source, '-af', 'loudnorm=I=-16:TP=-1:LRA=11:print_format=json', '-f', 'null', '-']);
  const j = JSON.parse(log.slice(log.lastIndexOf('{'), log.lastIndexOf('}') + 1));
  const ln = `loudnorm=I=-16:TP=-1:LRA=11:measured_I=${j.input_i}:measured_TP=${j.input_tp}:measured_LRA=${j.input_lra}:measured_thresh=${j.input_thresh}:offset=${j.target_offset}:linear=true`;
  await run([
    '-loop', '1', '-framerate', '25', '-i', cover, '-i', source,
    '-filter_complex', `[1:a]${ln},aresample=48000,asplit=2[a1][a2];[0:v]scale=1920:1080:force_original_aspect_ratio=decrease,pad=1920:1080:(ow-iw)/2:(oh-ih)/2,format=yuv420p[v]`,
    '-map', '[a1]', '-c:a', 'libmp3lame', '-b:a', '128k', '-ar', '44100', '-y', join(out, 'naive.mp3'),
    '-map', '[v]', '-map', '[a2]', '-c:v', 'libx264', '-tune', 'stillimage', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '128k', '-t', String(SECONDS), '-movflags', '+faststart', '-y', join(out, 'naive.mp4'),
  ]);
}

const os = await import('node:os');
const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');
const fmt = (s) => `${s.toFixed(1).padStart(7)} s  ${(SECONDS / s).toFixed(1).padStart(6)}× realtime`;
const where = (done) => done.filter((d) => /^(cleanup|analyse|loudness|mp3|aac|captions|mp4 mux)$/.test(d.label)).map((d) => `${d.label} ${d.at.toFixed(1)}`).join(', ');
const loudnessOf = (rec) => `MP3 ${rec.loudness.mp3Integrated} LUFS / ${rec.loudness.mp3TruePeak} dBTP, MP4 ${rec.loudness.mp4Integrated} LUFS / ${rec.loudness.mp4TruePeak} dBTP`;
console.log(`media build of a ${MINUTES}-minute episode: ${TAKES} takes of ${TAKE_MINUTES} min, one per section, 1920×1080 @ 1 fps (load average ${load()})`);
if (process.env.BENCH_CASTLINE_ONLY) {
  // While working on castline's schedule: its runs alone, with their ffmpeg trace (no ratios).
  process.env.BENCH_TRACE = '1';
  for (const c of ['default', 'off']) {
    const r = await castline(c);
    console.log(`castline, cleanup ${c.padEnd(8)} ${fmt(r.seconds)}  (finished: ${where(r.done)}; load ${load()}); ${r.measured}`);
  }
  await rm(showDir, { recursive: true, force: true });
  process.exit(0);
}
// Interleaved rounds (BENCH_ROUNDS, default 2): limit, castline default, castline cleanup off,
// each round in that order; this machine's neighbours make one run differ from the next by up
// to 15 %, so each kind's fastest run is the one compared (the least disturbed).
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 2));
const limits = [];
const defs = [];
const offs = [];
for (let r = 0; r < ROUNDS; r++) {
  limits.push(await time(limit));
  console.log(`limit (hand-written)        ${fmt(limits.at(-1))}  (round ${r + 1}; load ${load()})`);
  defs.push(await castline('default'));
  console.log(`castline, default cleanup   ${fmt(defs.at(-1).seconds)}  (finished: ${where(defs.at(-1).done)}; load ${load()})`);
  offs.push(await castline('off'));
  console.log(`castline, cleanup off       ${fmt(offs.at(-1).seconds)}  (load ${load()})`);
}
const fastest = (runs) => runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
const tLimit = Math.min(...limits);
const def = fastest(defs);
const off = fastest(offs);
console.log(`fastest of ${ROUNDS}: limit ${tLimit.toFixed(1)} s, default ${def.seconds.toFixed(1)} s, off ${off.seconds.toFixed(1)} s`);
let on;
if (!process.env.BENCH_SKIP_CLEANUP) {
  on = await castline('on');
  console.log(`castline, cleanup all on    ${fmt(on.seconds)}  (cleanup step ${on.rec.cleanup.seconds.toFixed(1)} s; finished: ${where(on.done)}; load ${load()})`);
}
let tNaive;
if (!process.env.BENCH_SKIP_NAIVE) {
  tNaive = (await time(naive)) * (MINUTES / NAIVE_MINUTES);
  console.log(`naive (one process)         ${fmt(tNaive)}${NAIVE_MINUTES < MINUTES ? `  (measured on ${NAIVE_MINUTES} min, scaled ×${(MINUTES / NAIVE_MINUTES).toFixed(1)})` : ''}`);
}
console.log(`castline / limit = ${(def.seconds / tLimit).toFixed(2)} default, ${(off.seconds / tLimit).toFixed(2)} cleanup off (target ≤ 1.15); default / off = ${(def.seconds / off.seconds).toFixed(2)}${tNaive ? `;  naive / castline = ${(tNaive / def.seconds).toFixed(2)} (target ≥ 3)` : ''};  castline ${(SECONDS / def.seconds).toFixed(1)}× realtime (target ≥ 45)`);
if (on) console.log(`cleanup all on costs ${(on.seconds - def.seconds).toFixed(1)} s over the default (${((on.seconds / def.seconds - 1) * 100).toFixed(0)} %); its own step ${on.rec.cleanup.seconds.toFixed(1)} s`);
console.log(`castline loudness, whole files metered here (target -16 LUFS ±0.3, ≤ -1 dBTP): default ${def.measured}; off ${off.measured}${on ? `; on ${on.measured}` : ''}`);
console.log(`castline's own record (default): ${loudnessOf(def.rec)}`);
console.log(`probe: ${def.rec.loudness.probeSeconds} s; gains ${JSON.stringify(def.rec.loudness.encoders)}`);

// ---- cleanup cost per setting, on one take ------------------------------------------------
// What each setting costs by itself (the cleanup step only: analysis + render of the take),
// on the first 12-minute take; the encodes after it cost the same either way.
if (!process.env.BENCH_SKIP_CLEANUP) {
  const { cleanSpeech } = await import(lib('media/clean-speech.js'));
  const { CleanupSchema } = await import(lib('config/show-schema.js'));
  const work = await mkdtemp(join(tmpdir(), 'castline-bench-cleanup-'));
  const file = { abs: takes[0], rel: 'c1.wav', duration: TAKE_MINUTES * 60 };
  const settings = [
    ['default (high-pass + hum probe, inline)', {}],
    ['denoise: medium', { denoise: 'medium' }],
    ['leveler: true', { leveler: true }],
    ['trimSilence: true', { trimSilence: true }],
    ['all three', { denoise: 'medium', leveler: true, trimSilence: true }],
  ];
  const parts = [];
  for (const [name, extra] of settings) {
    const t = await time(() => cleanSpeech([file], CleanupSchema.parse(extra), { sampleRate: 44100, channels: 1 }, work));
    parts.push(`${name} ${t.toFixed(1)} s`);
  }
  console.log(`cleanup of one ${TAKE_MINUTES}-minute take by setting: ${parts.join('; ')} (load ${load()})`);
  await rm(work, { recursive: true, force: true });
}

// ---- no-op rebuild of a 100-episode show ------------------------------------------------------
if (process.env.BENCH_SKIP_NOOP) {
  await rm(showDir, { recursive: true, force: true });
  process.exit(0);
}
const many = await mkdtemp(join(tmpdir(), 'castline-bench-noop-'));
await cp(join(root, 'assets'), join(many, 'assets'), { recursive: true });
// Small video frames: the first (full) build of 100 episodes only prepares the no-op.
await writeFile(join(many, 'show.yaml'), readFileSync(join(root, 'show.yaml'), 'utf8').replace(/width: \d+/, 'width: 320').replace(/height: \d+/, 'height: 240'));
const take = join(cache, 'take-2s.wav');
if (!existsSync(take)) await run(['-i', takes[0], '-t', '2', '-y', take]);
for (let i = 0; i < NOOP_EPISODES; i++) {
  const id = `${new Date(Date.UTC(2000, 0, 1) + i * 7 * 86400e3).toISOString().slice(0, 10)}-ep${i}`;
  const d = join(many, 'episodes', id);
  await mkdir(join(d, 'audio'), { recursive: true });
  await writeFile(join(d, 'episode.yaml'), `title: Episode ${i}\nnumber: ${i + 1}\n`);
  await writeFile(join(d, 'script.md'), '# E\n\n## Hello {#hello}\n\nHello there, listeners.\n');
  await cp(take, join(d, 'audio', 'hello.wav'));
}
const cli = join(root, 'bin', 'castline.js');
const first = spawnSync(process.execPath, [cli, 'build', '--root', many], { encoding: 'utf8' });
if (first.status !== 0) throw new Error(`first build of ${NOOP_EPISODES} episodes failed: ${first.stderr.slice(-1500)}`);
const noop = [];
for (let k = 0; k < 3; k++) {
  const t = performance.now();
  const r = spawnSync(process.execPath, [cli, 'build', '--root', many, '--json'], { encoding: 'utf8' });
  noop.push((performance.now() - t) / 1000);
  const built = JSON.parse(r.stdout).episodes.filter((e) => e.status !== 'unchanged');
  if (built.length) throw new Error(`no-op build rebuilt ${built.map((e) => e.id).join(', ')}`);
}
const t0 = performance.now();
spawnSync(process.execPath, [cli, '--version']);
const startup = (performance.now() - t0) / 1000;
noop.sort((a, b) => a - b);
console.log(`no-op build of ${NOOP_EPISODES} episodes (whole CLI, feed + site included): median ${(noop[1] ?? 0).toFixed(2)} s (target ≤ 1); bare CLI start ${startup.toFixed(2)} s`);
await rm(many, { recursive: true, force: true });
await rm(showDir, { recursive: true, force: true });
