#!/usr/bin/env node
// Camera episode build speed (issue 15). One synthetic camera recording (default 60 min of
// 1080p30 H.264 High, testsrc2 pictures, the example takes' speech looped as its sound; five
// labelled chapters, so five lower thirds) built four ways in ONE run:
//   hand      — the fastest hand-written ffmpeg line making the same MP4: one process, the five
//               drawtext overlays, the same x264 settings (veryfast, crf 20, GOP 15, 2 B-frames),
//               the gain as a constant (no analysis), AAC;
//   castline  — `castline build --force` of the episode with lower thirds (analysis, MP3, AAC,
//               the camera re-encoded with the overlays, mux, thumbnail, chapters, re-measure);
//   castline copy — the same with video.lowerThirds: false: the camera's H.264 is stream-copied;
//   copy      — the floor: `ffmpeg -i camera -c copy` into an MP4.
// Each case prints its wall time and the CPU seconds it cost (its ffmpeg processes included);
// the first castline run also prints its steps' timeline (where the wall time goes).
// Target: castline ≤ 1.1× hand. Env: BENCH_MINUTES (default 60; on a busy 2-core machine an
// hour of 1080p takes an hour per encode, so a shorter run is reported as such).
// Run: `npm run bench -- video`.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = fileURLToPath(new URL('..', import.meta.url));
const lib = (p) => new URL(`../lib/${p}`, import.meta.url).href;
if (!existsSync(fileURLToPath(lib('pipeline/build-episode.js')))) {
  console.error('lib/ is missing: run `npm run build` first');
  process.exit(1);
}
const MINUTES = Number(process.env.BENCH_MINUTES ?? 60);
const SECONDS = MINUTES * 60;
const CHAPTERS = 5;

const { getBinaries } = await import(lib('media/ffmpeg/binaries.js'));
const { loadValidShow } = await import(lib('config/load-show.js'));
const { readScript } = await import(lib('script/read-script.js'));
const { readEpisodeInputs } = await import(lib('pipeline/read-episode-inputs.js'));
const { buildEpisode } = await import(lib('pipeline/build-episode.js'));
const { lowerThirdFilters, planLowerThirds } = await import(lib('media/camera-args.js'));
const { ffmpeg } = getBinaries();

function run(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err = (err + d).slice(-20000)));
    child.on('close', (code) => (code === 0 ? resolve(err) : reject(new Error(`ffmpeg ${args.join(' ')} failed: ${err.slice(-800)}`))));
  });
}
// CPU seconds of this process and of its finished children (ffmpeg), from /proc/self/stat
// (utime, stime, cutime, cstime in clock ticks: proc(5)): on a shared machine the wall time of
// one run moves with the other jobs' load, the CPU a case costs much less.
const TICKS = 100;
function cpuSeconds() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // f[0] is field 3 (state): utime is field 14
    return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / TICKS;
  } catch {
    return Number.NaN;
  }
}
let lastCpu = 0;
const time = async (fn) => {
  const t = performance.now();
  const c = cpuSeconds();
  await fn();
  lastCpu = cpuSeconds() - c;
  return (performance.now() - t) / 1000;
};

// ---- the synthetic camera recording (cached) ----------------------------------------------
const cache = join(root, 'test-artifacts', 'bench-video');
mkdirSync(cache, { recursive: true });
async function makeCamera(minutes) {
  const file = join(cache, `camera-${minutes}min-1080p30.mp4`);
  if (existsSync(file)) return file;
  const takesDir = join(root, 'episodes', '2023-01-20-mlaisu', 'audio');
  const takes = readdirSync(takesDir).filter((f) => f.endsWith('.ogg')).sort().map((f) => join(takesDir, f));
  const base = join(cache, 'base.wav');
  if (!existsSync(base)) await run([...takes.flatMap((t) => ['-i', t]), '-filter_complex', `${takes.map((_, i) => `[${i}:a]`).join('')}concat=n=${takes.length}:v=0:a=1[a]`, '-map', '[a]', '-ar', '48000', '-ac', '1', '-y', base]);
  // YouTube-ready H.264 High 4:2:0, closed GOP of 15, 2 B-frames: what a copy needs.
  await run(['-f', 'lavfi', '-i', `testsrc2=s=1920x1080:r=30:d=${minutes * 60}`, '-stream_loop', '-1', '-i', base, '-map', '0:v', '-map', '1:a', '-t', String(minutes * 60), '-c:v', 'libx264', '-profile:v', 'high', '-pix_fmt', 'yuv420p', '-preset', 'superfast', '-crf', '26', '-g', '15', '-bf', '2', '-x264-params', 'open-gop=0', '-c:a', 'aac', '-b:a', '128k', '-ar', '48000', '-movflags', '+faststart', '-y', `${file}.tmp.mp4`]);
  renameSync(`${file}.tmp.mp4`, file);
  return file;
}
const tMake = performance.now();
const camera = await makeCamera(MINUTES);
const made = (performance.now() - tMake) / 1000;

const showDir = await mkdtemp(join(tmpdir(), 'castline-bench-video-'));
await cp(join(root, 'show.yaml'), join(showDir, 'show.yaml'));
await cp(join(root, 'assets'), join(showDir, 'assets'), { recursive: true });
const ID = '2024-01-05-camera';
const epDir = join(showDir, 'episodes', ID);
await mkdir(join(epDir, 'audio'), { recursive: true });
await mkdir(join(epDir, 'video'), { recursive: true });
await writeFile(join(epDir, 'episode.yaml'), 'title: A camera benchmark episode with five chapters\nnumber: 1\n');
const chapterLen = SECONDS / CHAPTERS;
const titles = Array.from({ length: CHAPTERS }, (_, i) => `Chapter ${i + 1}: research news & opportunities`);
await writeFile(join(epDir, 'script.md'), `# Bench\n\n${titles.map((t, i) => `## ${t} {#c${i + 1}}\n\n${'Words to read aloud in this section. '.repeat(40)}\n`).join('\n')}`);
await symlink(camera, join(epDir, 'video', 'camera.mp4'));
await writeFile(join(epDir, 'audio', 'labels.txt'), titles.map((_, i) => `${(i * chapterLen).toFixed(6)}\t${(i * chapterLen).toFixed(6)}\tc${i + 1}\n`).join(''));
const showYaml = readFileSync(join(root, 'show.yaml'), 'utf8');
const setLowerThirds = (on) => writeFile(join(showDir, 'show.yaml'), showYaml.replace(/video:\n/, `video:\n  lowerThirds: ${on}\n`));
const out = join(showDir, 'out');
await mkdir(out, { recursive: true });
const font = join(showDir, 'assets/fonts/DejaVuSans-Bold.ttf');

// The build's own progress tasks, timed: where castline's wall time goes (printed for the first run).
let t0 = 0;
let tasks = [];
const timed = {
  start(label) {
    const started = (performance.now() - t0) / 1000;
    return { update() {}, finish: () => tasks.push({ label: label.replace(`${ID} `, ''), started, ended: (performance.now() - t0) / 1000 }) };
  },
  close() {},
};
async function castline(lowerThirds) {
  t0 = performance.now();
  tasks = [];
  await setLowerThirds(lowerThirds);
  await rm(join(showDir, 'dist'), { recursive: true, force: true });
  const show = await loadValidShow(showDir);
  const ep = show.episodes.find((e) => e.id === ID);
  const read = await readEpisodeInputs(show, ep, readScript);
  tasks.push({ label: 'read inputs (probe, hash, decode checks)', started: 0, ended: (performance.now() - t0) / 1000 });
  return buildEpisode({ show, inputs: read.inputs, force: true, progress: timed, buildCaptions: undefined });
}

// The same five overlays castline draws (its own filter text: the comparison is of the pipeline, not of the drawing).
const size = { width: 1920, height: 1080 };
const chapters = titles.map((title, i) => ({ id: `c${i + 1}`, title, startTime: i * chapterLen, endTime: (i + 1) * chapterLen }));
const overlays = lowerThirdFilters(planLowerThirds(chapters, 5, SECONDS), font, size);
async function hand() {
  await run([
    '-i', camera,
    '-filter_complex', `[0:v]${overlays.join(',')},format=yuv420p[v];[0:a]volume=3dB,alimiter=limit=0.7328:level=0,aresample=48000[a]`,
    '-map', '[v]', '-map', '[a]',
    '-c:v', 'libx264', '-profile:v', 'high', '-pix_fmt', 'yuv420p', '-preset', 'veryfast', '-crf', '20', '-g', '15', '-bf', '2', '-x264-params', 'open-gop=0',
    '-c:a', 'aac', '-b:a', '128k', '-movflags', '+faststart', '-y', join(out, 'hand.mp4'),
  ]);
}
async function copy() {
  await run(['-i', camera, '-map', '0:v', '-map', '0:a', '-c', 'copy', '-movflags', '+faststart', '-y', join(out, 'copy.mp4')]);
}

const fmt = (s) => `${s.toFixed(1).padStart(7)} s  ${(SECONDS / s).toFixed(2).padStart(6)}× realtime  ${lastCpu.toFixed(1).padStart(7)} CPU s`;
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
console.log(`camera episode of ${MINUTES} min, 1920×1080 @ 30 fps, ${CHAPTERS} lower thirds (source made in ${made.toFixed(0)} s; load average ${load()})`);
const tHand = await time(hand);
const cHand = lastCpu;
console.log(`hand-written overlay line   ${fmt(tHand)}   (load ${load()})`);
const tCastline = await time(() => castline(true));
const cCastline = lastCpu;
const rec = JSON.parse(readFileSync(join(showDir, 'dist', 'episodes', ID, 'build.json'), 'utf8'));
console.log(`castline, lower thirds      ${fmt(tCastline)}   (load ${load()}; camera ${rec.camera.mode}${rec.camera.beforeAnalysis ? ' beside the analysis' : ''}: ${rec.camera.reasons.join('; ')})`);
for (const t of tasks.sort((a, b) => a.started - b.started)) console.log(`    ${t.started.toFixed(1).padStart(7)} → ${t.ended.toFixed(1).padStart(7)} s  ${t.label}`);
const tHand2 = await time(hand);
const cHand2 = lastCpu;
console.log(`hand-written again          ${fmt(tHand2)}   (load ${load()})`);
// Interleaved twice each: other jobs on a shared machine move the load between runs; the best of each is compared.
const tCastline2 = await time(() => castline(true));
const cCastline2 = lastCpu;
console.log(`castline again              ${fmt(tCastline2)}   (load ${load()})`);
const tCastCopy = await time(() => castline(false));
const recCopy = JSON.parse(readFileSync(join(showDir, 'dist', 'episodes', ID, 'build.json'), 'utf8'));
console.log(`castline, no overlays       ${fmt(tCastCopy)}   (load ${load()}; camera ${recCopy.camera.mode})`);
const tCopy = await time(copy);
console.log(`bare stream copy            ${fmt(tCopy)}   (load ${load()})`);
const handBest = Math.min(tHand, tHand2);
const castBest = Math.min(tCastline, tCastline2);
console.log(`castline / hand = ${(castBest / handBest).toFixed(2)} wall, best of two each (target ≤ 1.1; castline also makes the MP3, thumbnail, chapters and re-measures both files)`);
console.log(`castline / hand = ${((cCastline + cCastline2) / (cHand + cHand2)).toFixed(2)} CPU seconds (${((cCastline + cCastline2) / 2).toFixed(1)} / ${((cHand + cHand2) / 2).toFixed(1)} per run)`);
console.log(`castline copy build = ${(castBest / tCastCopy).toFixed(1)}× faster than re-encoding; bare copy ${tCopy.toFixed(1)} s`);
console.log(`MP4 loudness: ${rec.loudness.mp4Integrated} LUFS / ${rec.loudness.mp4TruePeak} dBTP`);
console.log(`uptime: ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
await rm(showDir, { recursive: true, force: true });
