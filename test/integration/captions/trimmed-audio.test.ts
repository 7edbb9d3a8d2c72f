import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCaptions } from '../../../src/captions/index.js';
import { CleanupSchema } from '../../../src/config/show-schema.js';
import { cleanSpeech } from '../../../src/media/clean-speech.js';
import { mapTime } from '../../../src/media/plan-cleanup.js';
import type { ScriptDoc } from '../../../src/script/script-doc.js';
import { FIXTURE_SECTIONS, makeAlignmentFixture, type AlignmentFixture } from '../../../scripts/make-alignment-fixture.mjs';
import { requireTool } from '../../helpers/cli.js';
import { parseVttStrict } from '../../unit/captions/helpers/check-captions.js';

/**
 * Captions stay aligned after trimSilence (issue 14): the known-truth recording (issue 8)
 * with 8 s of silence added at each end is trimmed (ends and every pause over 0.8 s), then
 * captioned from the trimmed audio with the section bounds moved by the cut list. The true
 * sentence starts, moved the same way, must match the cues within 0.1 s on average. The cut
 * list itself is checked against the trimmed file's length as sox measures it.
 */

const hasTools = requireTool('espeak-ng') && requireTool('sox');
const LEAD = 8;

function seconds(file: string): number {
  return Number(spawnSync('soxi', ['-D', file], { encoding: 'utf8' }).stdout.trim());
}

describe.skipIf(!hasTools)('captions on trimmed audio', () => {
  let dir: string;
  let fixture: AlignmentFixture;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'castline-trim-captions-'));
    fixture = await makeAlignmentFixture({ outDir: join(dir, 'fixture'), seed: 3 });
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('keeps ≤ 0.5 s at the ends, and the captions of the trimmed audio start within 0.1 s of the truth on average', async () => {
    const padded = join(dir, 'padded.wav');
    const r = spawnSync('sox', [join(dir, 'fixture', 'master.wav'), '-r', '44100', padded, 'pad', String(LEAD), String(LEAD)], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const cleaned = await cleanSpeech([{ abs: padded, rel: 'padded.wav', duration: seconds(padded) }], CleanupSchema.parse({ trimSilence: true, maxPause: 0.8 }), { sampleRate: 44100, channels: 1 }, dir);
    const cuts = cleaned.cuts[0]!;
    const trimmed = cleaned.speech[0]!.abs;
    const length = seconds(trimmed);
    expect(Math.abs(seconds(padded) - cleaned.report.takes[0]!.trimmedSeconds - length)).toBeLessThanOrEqual(0.02);
    expect(cleaned.report.takes[0]!.trimmedSeconds).toBeGreaterThan(2 * LEAD - 1);
    const move = (t: number): number => mapTime(t + LEAD, cuts);
    const firstWord = move(fixture.truth[0]!.start);
    const lastWord = move(fixture.truth.at(-1)!.end);
    expect(firstWord).toBeLessThanOrEqual(0.5);
    expect(length - lastWord).toBeLessThanOrEqual(0.5);

    const script: ScriptDoc = {
      episodeId: '2026-01-01-trim',
      sourceHash: 'fixture',
      edited: false,
      totalSeconds: 0,
      sections: FIXTURE_SECTIONS.map((s) => ({ id: s.id, title: s.title, kind: s.kind, paragraphs: [s.sentences.join(' ')], text: s.sentences.join(' '), cues: [], words: 0, estimateSeconds: 0 })),
    };
    const outDir = join(dir, 'out');
    await buildCaptions({
      root: dir,
      episodeId: script.episodeId,
      script,
      audioPath: trimmed,
      durationSeconds: length,
      sections: fixture.sections.map((b) => ({ ...b, start: move(b.start), end: move(b.end) })),
      outDir,
    });
    const cues = parseVttStrict(await readFile(join(outDir, 'transcript.vtt'), 'utf8'));
    let from = 0;
    const errors = fixture.truth.map((t) => {
      const i = cues.findIndex((c, k) => k >= from && c.lines.join(' ').includes(t.text.slice(0, 12)));
      expect(i, t.text).toBeGreaterThanOrEqual(0);
      from = i + 1;
      return Math.abs(cues[i]!.start - move(t.start));
    });
    const mean = errors.reduce((a, b) => a + b, 0) / errors.length;
    expect(mean).toBeLessThanOrEqual(0.1);
  });
});
