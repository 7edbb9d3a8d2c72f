import { describe, expect, it } from 'vitest';
import { SyncEnvelope, correlationAt, fft, findOffset, FINE_RATE } from '../../../src/media/camera-sync.js';

/** A speech-like envelope (dB per ms): syllables of random length and level between pauses, from a seeded generator. */
function speechEnvelope(seconds: number, seed: number): Float32Array {
  let s = seed;
  const rand = (): number => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const out = new Float32Array(seconds * FINE_RATE).fill(-70);
  let i = 0;
  while (i < out.length) {
    const syllable = 80 + Math.floor(rand() * 220);
    const level = -30 + rand() * 20;
    for (let k = 0; k < syllable && i + k < out.length; k++) out[i + k] = level + 6 * Math.sin((Math.PI * k) / syllable);
    i += syllable + Math.floor(rand() * (rand() < 0.15 ? 900 : 120));
  }
  return out;
}

/** `env` placed `at` ms into a track of `total` ms of room noise, `gainDb` louder or softer. */
function place(env: Float32Array, at: number, total: number, gainDb: number, floor: number): Float32Array {
  const out = new Float32Array(total).fill(floor);
  for (let k = 0; k < env.length && at + k < total; k++) if (at + k >= 0) out[at + k] = Math.max(floor, (env[k] ?? -70) + gainDb);
  return out;
}

describe('findOffset', () => {
  const speech = speechEnvelope(60, 7);
  it('finds a known offset to the millisecond, whichever track starts first, across level and noise-floor differences', () => {
    for (const [camAt, micAt] of [[3250, 400], [200, 4137], [0, 0]] as const) {
      const cam = place(speech, camAt, 70_000, 0, -65);
      const mic = place(speech, micAt, 66_000, -9, -55);
      const r = findOffset(cam, mic);
      expect(Math.abs(r.offsetSeconds - (camAt - micAt) / 1000)).toBeLessThanOrEqual(0.002);
      expect(r.confidence).toBeGreaterThan(0.9);
      expect(r.margin).toBeGreaterThan(0.3);
    }
  });
  it('has no confidence in unrelated speech', () => {
    const r = findOffset(place(speech, 1000, 62_000, 0, -65), place(speechEnvelope(60, 99), 0, 60_000, 0, -60));
    expect(r.confidence < 0.6 || r.margin < 0.15).toBe(true);
  });
});

describe('the pieces', () => {
  it('fft then inverse fft gives the signal back (n times)', () => {
    const re = Float64Array.from([1, 2, 3, 4, 0, -1, 5, 2]);
    const im = new Float64Array(8);
    fft(re, im);
    // DC bin is the sum.
    expect(re[0]).toBeCloseTo(16, 10);
    fft(re, im, true);
    expect(Array.from(re, (v) => Math.round(v / 8))).toEqual([1, 2, 3, 4, 0, -1, 5, 2]);
  });
  it('correlationAt is Pearson over the overlap', () => {
    const a = Float64Array.from([0, 0, 1, 2, 3, 2, 1]);
    const b = Float64Array.from([1, 2, 3, 2, 1]);
    expect(correlationAt(a, b, 2).r).toBeCloseTo(1, 10);
    expect(correlationAt(a, b, 2).overlap).toBe(5);
  });
  it('SyncEnvelope: one dB value per ms from 8 kHz s16le, odd chunk sizes included', () => {
    const samples = new Int16Array(8000).fill(16384); // 1 s at half scale: -6.02 dBFS power
    const bytes = new Uint8Array(samples.buffer);
    const env = new SyncEnvelope();
    env.push(bytes.subarray(0, 3));
    env.push(bytes.subarray(3, 1001));
    env.push(bytes.subarray(1001));
    const out = env.finish();
    expect(out.length).toBe(1000);
    expect(out[500]).toBeCloseTo(-6.02, 1);
  });
});
