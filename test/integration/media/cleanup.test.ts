import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CleanupSchema, type CleanupSettings } from '../../../src/config/show-schema.js';
import { cleanSpeech, type CleanSpeechResult } from '../../../src/media/clean-speech.js';
import { renderFilterChain } from '../../../src/media/filter-chain.js';
import { getBinaries } from '../../../src/media/ffmpeg/binaries.js';
import { cleanupTimes, fixturePath, wavSeconds } from '../../fixtures/media/registry.mjs';
import { requireTool } from '../../helpers/cli.js';

/**
 * Speech cleanup (issue 14) on generated recordings with a known flaw each (registry.mjs:
 * cleanup-*.wav), through the real bundled ffmpeg. Every effect is measured with tools that
 * are not castline's: sox (`stats` RMS, `sinc` band filters) and ffmpeg's ebur128 meter.
 */

const hasTools = requireTool('espeak-ng') && requireTool('sox');
const settings = (s: Partial<CleanupSettings>): CleanupSettings => CleanupSchema.parse(s);

/** stderr of a tool run without a shell (sox and ffmpeg print their meters there). */
function stderrOf(bin: string, args: string[]): string {
  const r = spawnSync(bin, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stderr;
}
/** RMS level (dBFS) of a stretch, by sox `stats`. */
function rmsDb(file: string, start: number, duration: number, effects: string[] = []): number {
  const err = stderrOf('sox', [file, '-n', 'trim', start.toFixed(3), duration.toFixed(3), ...effects, 'stats']);
  const m = /RMS lev dB\s+(-?[\d.]+|-inf)/.exec(err);
  if (!m?.[1]) throw new Error(`sox printed no RMS level: ${err}`);
  return m[1] === '-inf' ? -200 : Number(m[1]);
}
/** RMS (dBFS) of the band lo–hi Hz by a sharp sox sinc filter (at 2 kHz for the hum bands). */
function bandDb(file: string, start: number, duration: number, lo: number, hi: number): number {
  const effects = hi < 900 ? ['rate', '2000', 'sinc', '-n', '8192', `${lo}-${hi}`] : ['sinc', '-n', '16384', `${lo}-${hi}`];
  return rmsDb(file, start, duration, effects);
}
/** Integrated loudness (LUFS) by ffmpeg's ebur128, optionally of a stretch. */
function lufs(file: string, start?: number, duration?: number): number {
  const range = start === undefined ? [] : ['-ss', start.toFixed(3), '-t', (duration ?? 1).toFixed(3)];
  const log = stderrOf(getBinaries().ffmpeg, ['-hide_banner', '-nostats', ...range, '-i', file, '-af', 'ebur128', '-f', 'null', '-']);
  const m = /Summary:[\s\S]*?I:\s+(-?[\d.]+) LUFS/.exec(log);
  if (!m?.[1]) throw new Error('no ebur128 summary');
  return Number(m[1]);
}
/** sox `file` through `effects` into a new file beside it. */
function soxTo(file: string, name: string, effects: string[]): string {
  const out = join(file, '..', name);
  stderrOf('sox', [file, out, ...effects]);
  return out;
}
function seconds(file: string): number {
  return Number(execFileSync('soxi', ['-D', file], { encoding: 'utf8' }).trim());
}

describe.skipIf(!hasTools)('speech cleanup, measured', () => {
  let work: string;
  const format = { sampleRate: 44100, channels: 1 as const };
  const T = (): ReturnType<typeof cleanupTimes> => cleanupTimes();

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'castline-cleanup-'));
  });
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  async function clean(name: string, s: Partial<CleanupSettings>): Promise<{ result: CleanSpeechResult; out: string; input: string }> {
    const input = fixturePath(name);
    const dir = await mkdtemp(join(work, `${name}-`));
    const result = await cleanSpeech([{ abs: input, rel: name, duration: wavSeconds(input) }], settings(s), format, dir);
    const speech = result.speech[0]!;
    let out = speech.abs;
    const inline = result.inlineFilters[0] ?? [];
    if (inline.length) {
      // The default path hands back filters for the later passes: run them as the build would.
      out = join(dir, 'inline.wav');
      execFileSync(getBinaries().ffmpeg, ['-hide_banner', '-loglevel', 'error', '-i', input, '-af', `aformat=sample_fmts=fltp,${renderFilterChain(inline)}`, '-c:a', 'pcm_f32le', '-y', out]);
    }
    return { result, out, input };
  }

  it('denoise medium lowers the noise floor in the pauses by ≥ 10 dB; speech loudness moves < 1 LU', async () => {
    const { result, out, input } = await clean('cleanup-noisy.wav', { highpass: false, dehum: false, denoise: 'medium' });
    const t = T();
    const before = rmsDb(input, 1, 6);
    const after = rmsDb(out, 1, 6);
    const beforeEnd = rmsDb(input, t.bEnd + 1, 6);
    const afterEnd = rmsDb(out, t.bEnd + 1, 6);
    expect(before).toBeGreaterThan(-56);
    expect(before - after).toBeGreaterThanOrEqual(10);
    expect(beforeEnd - afterEnd).toBeGreaterThanOrEqual(10);
    const speechBefore = lufs(input, t.aStart, t.bEnd - t.aStart);
    const speechAfter = lufs(out, t.aStart, t.bEnd - t.aStart);
    expect(Math.abs(speechAfter - speechBefore)).toBeLessThan(1);
    // The report's own before/after (measured in the voice band) agrees with sox's reading
    // of the same band (a steep sinc high-pass at 100 Hz) within 2 dB.
    const r = result.report.takes[0]!;
    expect(r.denoise).toMatchObject({ strength: 'medium' });
    expect(Math.abs(r.noiseFloorDb!.before - rmsDb(input, 1, 6, ['sinc', '-n', '16384', '100']))).toBeLessThan(2);
    expect(Math.abs(r.noiseFloorDb!.after! - rmsDb(out, 1, 6, ['sinc', '-n', '16384', '100']))).toBeLessThan(2);
  });

  for (const base of [50, 60] as const) {
    it(`dehum auto finds ${base} Hz hum and takes the fundamental and 2nd–3rd harmonics down ≥ 20 dB`, async () => {
      const { result, out, input } = await clean(`cleanup-hum${base}.wav`, {});
      const r = result.report.takes[0]!;
      expect(result.report.mode).toBe('inline');
      expect(r.hum?.found).toBe(base);
      expect(r.hum?.removed).toBe(base);
      for (const k of [1, 2, 3]) {
        const f = base * k;
        const before = bandDb(input, 1, 6, f - 3, f + 3);
        const after = bandDb(out, 1, 6, f - 3, f + 3);
        expect(before, `${f} Hz before`).toBeGreaterThan(-50);
        expect(before - after, `${f} Hz`).toBeGreaterThanOrEqual(20);
      }
    });
  }

  it('the high-pass takes a 25 Hz rumble down ≥ 30 dB', async () => {
    const { out, input } = await clean('cleanup-rumble.wav', {});
    const before = bandDb(input, 1, 6, 22, 28);
    expect(before).toBeGreaterThan(-33);
    expect(before - bandDb(out, 1, 6, 22, 28)).toBeGreaterThanOrEqual(30);
  });

  it('a clean recording through the default chain: no hum found, loudness within 0.3 LU, bands above 100 Hz unchanged', async () => {
    const { result, out, input } = await clean('cleanup-clean.wav', {});
    const r = result.report.takes[0]!;
    expect(r.hum?.found).toBeUndefined();
    expect(result.inlineFilters[0]!.map((f) => f.name)).toEqual(['highpass', 'highpass']);
    expect(Math.abs(lufs(out) - lufs(input))).toBeLessThanOrEqual(0.3);
    const t = T();
    for (const [lo, hi] of [
      [100, 200],
      [200, 400],
      [400, 800],
      [800, 1600],
      [1600, 3200],
      [3200, 6400],
      [6400, 12800],
    ] as const) {
      const before = bandDb(input, t.aStart, t.bEnd - t.aStart, lo, hi);
      const after = bandDb(out, t.aStart, t.bEnd - t.aStart, lo, hi);
      expect(Math.abs(after - before), `${lo}–${hi} Hz: ${before} → ${after}`).toBeLessThanOrEqual(0.5);
    }
  });

  it('the leveler brings a paragraph 10 dB quieter within 2 LU of the other, without pumping the pauses', async () => {
    const { result, out, input } = await clean('cleanup-uneven.wav', { leveler: true, highpass: false, dehum: false });
    const t = T();
    const a = (f: string): number => lufs(f, t.aStart, t.aEnd - t.aStart);
    const b = (f: string): number => lufs(f, t.bStart, t.bEnd - t.bStart);
    expect(a(input) - b(input)).toBeGreaterThan(8);
    expect(Math.abs(a(out) - b(out))).toBeLessThanOrEqual(2);
    // No pumping: each paragraph keeps its distance to the silence next to it (the room is
    // raised or lowered with the voice, never on its own during the pause).
    const snr = (f: string, speech: number, pauseStart: number): number => speech - rmsDb(f, pauseStart, 5);
    expect(Math.abs(snr(out, a(out), 1) - snr(input, a(input), 1))).toBeLessThanOrEqual(1.5);
    expect(Math.abs(snr(out, b(out), t.bEnd + 1.5) - snr(input, b(input), t.bEnd + 1.5))).toBeLessThanOrEqual(1.5);
    const r = result.report.takes[0]!;
    expect(r.lra!.after!).toBeLessThan(r.lra!.before! - 3);
  });

  it('trimSilence leaves ≤ 0.5 s of silence at each end and the cut list matches the new length', async () => {
    const { result, out, input } = await clean('cleanup-home.wav', { denoise: 'medium', leveler: true, trimSilence: true });
    const r = result.report.takes[0]!;
    const total = seconds(out);
    expect(r.trimmedSeconds).toBeGreaterThan(14);
    expect(Math.abs(seconds(input) - r.trimmedSeconds - total)).toBeLessThanOrEqual(0.02);
    // sox `silence` removes everything before the first sound above 1 % (-40 dBFS): what it
    // removes is the silence left at the start; reversed, at the end.
    const lead = total - seconds(soxTo(out, 'lead.wav', ['silence', '1', '0.02', '1%']));
    const tail = total - seconds(soxTo(out, 'tail.wav', ['reverse', 'silence', '1', '0.02', '1%']));
    expect(lead).toBeLessThanOrEqual(0.5);
    expect(tail).toBeLessThanOrEqual(0.5);
    expect(r.hum?.found).toBe(50);
    // With the leveler on, the quiet paragraph's room is raised with it: the net drop is smaller than denoise alone.
    expect(r.noiseFloorDb!.before - r.noiseFloorDb!.after!).toBeGreaterThanOrEqual(6);
  });
});
