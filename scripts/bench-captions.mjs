#!/usr/bin/env node
/**
 * Caption alignment accuracy and speed (issue 8), on the known-truth fixture
 * (scripts/make-alignment-fixture.mjs) over several seeds. Needs `npm run build` (reads lib/),
 * espeak-ng and sox.
 *
 * Prints, per seed and overall: mean and 95th-percentile sentence start error of the aligner,
 * with exact section bounds and with estimated ones, against a baseline measured in the same
 * run (proportional timing: every sentence placed by its syllable share of its section, the
 * best one can do without listening). Then how often a sentence cut from or rewritten in the
 * script after recording is reported near the right place, false reports on unedited scripts,
 * and the decode + align time as a multiple of realtime.
 *
 * Usage: node scripts/bench-captions.mjs [seeds=5]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURE_SECTIONS, makeAlignmentFixture } from './make-alignment-fixture.mjs';

const lib = new URL('../lib/captions/', import.meta.url);
const { decodeEnvelope } = await import(new URL('decode-envelope.js', lib).href);
const { alignCaptions } = await import(new URL('align-captions.js', lib).href);
const { countSyllables } = await import(new URL('split-sentences.js', lib).href);

const seeds = Number(process.argv[2] ?? 5);

function scriptOf(sections) {
  return {
    episodeId: 'bench',
    sourceHash: '',
    edited: false,
    totalSeconds: 0,
    sections: sections.map((s) => ({ id: s.id, title: s.title, kind: s.kind, paragraphs: [s.sentences.join(' ')], text: s.sentences.join(' '), cues: [], words: 0, estimateSeconds: 0 })),
  };
}

function stats(errors) {
  const sorted = [...errors].sort((a, b) => a - b);
  return { mean: sorted.reduce((a, b) => a + b, 0) / sorted.length, p95: sorted[Math.ceil(0.95 * sorted.length) - 1] };
}

const fmt = (s) => `mean ${s.mean.toFixed(3)} s  p95 ${s.p95.toFixed(3)} s`;

/** Baseline: each sentence at its syllable share of its (exact) section. */
function proportionalStarts(fixture) {
  const starts = [];
  for (const bound of fixture.sections) {
    const sentences = fixture.truth.filter((t) => t.sectionId === bound.id);
    const weights = sentences.map((s) => countSyllables(s.text));
    const total = weights.reduce((a, b) => a + b, 0);
    let at = 0;
    for (const w of weights) {
      starts.push(bound.start + (at / total) * (bound.end - bound.start));
      at += w;
    }
  }
  return starts;
}

const EDITS = [
  { kind: 'cut', index: 8 },
  { kind: 'cut', index: 1 },
  { kind: 'cut', index: 11 },
  { kind: 'rewrite', index: 4 },
  { kind: 'rewrite', index: 0 },
];
const REWRITE = 'We changed this sentence after recording it, and now it says something much longer than before, with many more words.';

function edited(edit) {
  let k = 0;
  return FIXTURE_SECTIONS.map((s) => ({
    ...s,
    sentences: s.sentences.flatMap((t) => {
      const here = k++ === edit.index;
      if (!here) return [t];
      return edit.kind === 'cut' ? [] : [REWRITE];
    }),
  }));
}

const dir = await mkdtemp(join(tmpdir(), 'castline-bench-captions-'));
const all = { exact: [], estimated: [], baseline: [] };
let detected = 0;
let editRuns = 0;
let falseReports = 0;
let audioSeconds = 0;
let alignSeconds = 0;
try {
  for (let seed = 1; seed <= seeds; seed++) {
    const fixture = await makeAlignmentFixture({ outDir: join(dir, `seed-${seed}`), seed });
    const trueStarts = fixture.truth.map((t) => t.start);
    const t0 = performance.now();
    const envelope = await decodeEnvelope(fixture.mp3Path);
    const exact = alignCaptions({ script: scriptOf(FIXTURE_SECTIONS), sections: fixture.sections, envelope, durationSeconds: fixture.durationSeconds });
    alignSeconds += (performance.now() - t0) / 1000;
    audioSeconds += fixture.durationSeconds;
    const estimatedBounds = fixture.sections.map((b, i) => ({ ...b, start: Math.max(0, b.start + (i % 2 ? 2.5 : -3)), end: b.end + (i % 2 ? -3 : 2), exact: false }));
    const estimated = alignCaptions({ script: scriptOf(FIXTURE_SECTIONS), sections: estimatedBounds, envelope, durationSeconds: fixture.durationSeconds });
    const errors = (result) => result.sentences.map((s, i) => Math.abs(s.start - trueStarts[i]));
    const base = proportionalStarts(fixture).map((s, i) => Math.abs(s - trueStarts[i]));
    all.exact.push(...errors(exact));
    all.estimated.push(...errors(estimated));
    all.baseline.push(...base);
    falseReports += exact.changedRegions.length + estimated.changedRegions.length;
    console.log(`seed ${seed} (${fixture.durationSeconds.toFixed(1)} s, ${trueStarts.length} sentences): exact bounds ${fmt(stats(errors(exact)))} | estimated ${fmt(stats(errors(estimated)))} | proportional baseline ${fmt(stats(base))} | confidence ${exact.confidence.toFixed(2)}`);
    for (const edit of EDITS) {
      const truth = fixture.truth[edit.index];
      const result = alignCaptions({ script: scriptOf(edited(edit)), sections: fixture.sections, envelope, durationSeconds: fixture.durationSeconds });
      editRuns++;
      if (result.changedRegions.some((r) => r.start < truth.end + 0.5 && r.end > truth.start - 0.5)) detected++;
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}

const exact = stats(all.exact);
const estimated = stats(all.estimated);
const baseline = stats(all.baseline);
console.log(`\nall seeds, exact section bounds:     ${fmt(exact)}   (target: mean ≤ 0.5 s, p95 ≤ 1.0 s)`);
console.log(`all seeds, estimated section bounds: ${fmt(estimated)}`);
console.log(`proportional baseline (same run):    ${fmt(baseline)}   → aligner error is ${(exact.mean / baseline.mean).toFixed(3)}× the baseline's mean, ${(exact.p95 / baseline.p95).toFixed(3)}× its p95`);
console.log(`script edits reported near the edit: ${detected}/${editRuns}; reports on unedited scripts: ${falseReports} in ${seeds * 2} alignments`);
console.log(`decode + align: ${alignSeconds.toFixed(2)} s for ${audioSeconds.toFixed(0)} s of audio = ${(audioSeconds / alignSeconds).toFixed(0)}× realtime`);
