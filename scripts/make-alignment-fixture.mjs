#!/usr/bin/env node
/**
 * Known-truth fixture for the caption aligner (issue 8): speech synthesized per sentence with
 * espeak-ng at varied speeds, silence-trimmed, joined with random pauses (seeded RNG) over a
 * faint noise floor, then loudness-normalized (ffmpeg loudnorm in its dynamic mode, -16 LUFS:
 * harsher on pauses than castline's linear gain) and MP3-encoded with the bundled ffmpeg.
 * Every sentence's true start and end is recorded, so the aligner's error can be measured.
 *
 * Usage: node scripts/make-alignment-fixture.mjs <outDir> [seed]
 * Library: import { makeAlignmentFixture } from './make-alignment-fixture.mjs'.
 */
import { execFile } from 'node:child_process';
import { accessSync, chmodSync, constants, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

/** What the host "reads": three sections, about 75 s of speech at espeak-ng's speeds. */
export const FIXTURE_SECTIONS = [
  {
    id: 'intro',
    title: 'Introduction',
    kind: 'intro',
    sentences: [
      "Welcome to this week's machine learning and AI safety update.",
      'We look at superposition in transformers, new research results, and a few opportunities.',
      'As always, the links are in the show notes.',
    ],
  },
  {
    id: 'superpositions-transformers',
    title: 'Superpositions & Transformers',
    kind: 'body',
    sentences: [
      'A new paper studies how small transformers store more features than they have dimensions.',
      'The authors call this superposition.',
      'They train toy models on sparse inputs, and watch the features arrange themselves into regular shapes.',
      'When inputs are dense, each feature gets its own direction.',
      'When inputs are sparse, features share directions, and interference becomes the price of capacity.',
      'This matters for interpretability, because a single neuron may respond to several unrelated things.',
      'Yes.',
      'The team also releases code, so anyone can reproduce the figures on a laptop.',
    ],
  },
  {
    id: 'opportunities',
    title: 'Opportunities',
    kind: 'outro',
    sentences: [
      'In opportunities, a research fellowship is open for applications until the end of the month.',
      'There is also a hackathon on evaluating language models, with teams forming online this weekend.',
      'Thank you for listening, and see you next week.',
    ],
  },
];

/** Mulberry32: a tiny seeded PRNG so every fixture is reproducible from its seed. */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RATE = 22050;

async function duration(path) {
  const { stdout } = await run('soxi', ['-D', path]);
  return Number(stdout.trim());
}

/**
 * Build the fixture in outDir. Returns the MP3 path, its duration, the true timing of every
 * sentence and the exact section bounds (as takes or labels would give them).
 */
export async function makeAlignmentFixture({ outDir, seed = 1, sections = FIXTURE_SECTIONS, noise = true } = {}) {
  const random = seededRandom(seed);
  const between = (lo, hi) => lo + (hi - lo) * random();
  await mkdir(outDir, { recursive: true });

  // Synthesize each sentence (in parallel: espeak-ng is quick) and trim its edge silence so the
  // true start is the first audible sample, not espeak-ng's own lead-in.
  const jobs = [];
  let index = 0;
  for (const section of sections) {
    for (const text of section.sentences) {
      const n = index++;
      // Host pace varies sentence to sentence: 140-195 words per minute.
      const speed = Math.round(between(140, 195));
      const pitch = Math.round(between(35, 60));
      jobs.push(
        (async () => {
          const raw = join(outDir, `s${n}.raw.wav`);
          const trimmed = join(outDir, `s${n}.wav`);
          await run('espeak-ng', ['-s', String(speed), '-p', String(pitch), '-w', raw, text]);
          await run('sox', [raw, '-r', String(RATE), '-c', '1', '-b', '16', trimmed, 'silence', '1', '0.01', '-45d', 'reverse', 'silence', '1', '0.01', '-45d', 'reverse']);
          return { sectionId: section.id, text, path: trimmed, seconds: await duration(trimmed) };
        })(),
      );
    }
  }
  const spoken = await Promise.all(jobs);

  // Lay out: lead-in, sentences with random pauses (longer between sections), tail.
  const parts = [];
  const truth = [];
  const bounds = [];
  let t = 0;
  const silence = async (seconds, name) => {
    const path = join(outDir, `${name}.wav`);
    await run('sox', ['-n', '-r', String(RATE), '-c', '1', '-b', '16', path, 'trim', '0', seconds.toFixed(4)]);
    parts.push(path);
    t += Math.round(seconds * RATE) / RATE;
  };
  await silence(between(0.6, 1.5), 'lead');
  let previousSection;
  for (const [i, s] of spoken.entries()) {
    if (i > 0) await silence(s.sectionId === previousSection ? between(0.15, 1.0) : between(1.0, 2.0), `gap${i}`);
    if (s.sectionId !== previousSection) {
      bounds.push({ id: s.sectionId, start: t, end: t, exact: true });
      previousSection = s.sectionId;
    }
    truth.push({ sectionId: s.sectionId, text: s.text, start: t, end: t + s.seconds });
    parts.push(s.path);
    t += s.seconds;
    const last = bounds[bounds.length - 1];
    if (last) last.end = t;
  }
  await silence(between(0.8, 1.5), 'tail');

  const speech = join(outDir, 'speech.wav');
  await run('sox', [...parts, speech]);
  let master = speech;
  if (noise) {
    // A faint pink-noise floor (about -50 dBFS RMS): real rooms are never digitally silent.
    const floor = join(outDir, 'noise.wav');
    await run('sox', ['-n', '-r', String(RATE), '-c', '1', '-b', '16', floor, 'synth', t.toFixed(4), 'pinknoise', 'vol', '0.006']);
    master = join(outDir, 'master.wav');
    await run('sox', ['-m', speech, floor, master]);
  }
  const mp3 = join(outDir, 'episode.mp3');
  const ffmpeg = ensureExecutable(require('@ffmpeg-installer/ffmpeg').path);
  await run(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-i', master, '-af', 'loudnorm=I=-16:TP=-1.5:LRA=11', '-ar', '44100', '-ac', '1', '-c:a', 'libmp3lame', '-b:a', '128k', mp3]);
  const result = { mp3Path: mp3, durationSeconds: t, truth, sections: bounds, seed };
  await writeFile(join(outDir, 'truth.json'), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

function ensureExecutable(path) {
  if (process.env.CASTLINE_FFMPEG) return process.env.CASTLINE_FFMPEG;
  // npm 11 skips the installer's chmod script (see src/media/ffmpeg/binaries.ts).
  try {
    accessSync(path, constants.X_OK);
  } catch {
    chmodSync(path, statSync(path).mode | 0o111);
  }
  return path;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [outDir, seed] = process.argv.slice(2);
  if (!outDir) {
    console.error('usage: node scripts/make-alignment-fixture.mjs <outDir> [seed]');
    process.exit(2);
  }
  const result = await makeAlignmentFixture({ outDir, seed: Number(seed ?? 1) });
  console.log(`${result.mp3Path}: ${result.durationSeconds.toFixed(2)} s, ${result.truth.length} sentences`);
}
