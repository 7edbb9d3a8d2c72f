import { describe, expect, it } from 'vitest';
import { EnvelopeAccumulator, envelopeDecodeArgs } from '../../../src/captions/decode-envelope.js';
import { findPauses, pauseThreshold, type Envelope } from '../../../src/captions/find-pauses.js';

function envelope(pattern: [number, number][]): Envelope {
  const values: number[] = [];
  for (const [db, frames] of pattern) for (let i = 0; i < frames; i++) values.push(db);
  return { db: Float32Array.from(values), hop: 0.01 };
}

describe('findPauses', () => {
  it('finds quiet runs relative to the recording, not a fixed level', () => {
    for (const offset of [0, -25]) {
      const env = envelope([[-60 + offset, 50], [-15 + offset, 100], [-60 + offset, 30], [-15 + offset, 100], [-60 + offset, 5], [-15 + offset, 100], [-60 + offset, 40]]);
      const pauses = findPauses(env, { minSeconds: 0.1 });
      expect(pauses.map((p) => [Number(p.start.toFixed(2)), Number(p.end.toFixed(2))])).toEqual([[0, 0.5], [1.5, 1.8], [3.85, 4.25]]);
    }
  });

  it('bridges a click shorter than 30 ms inside a pause', () => {
    const env = envelope([[-15, 100], [-60, 20], [-10, 2], [-60, 20], [-15, 100]]);
    expect(findPauses(env, { minSeconds: 0.1 })).toEqual([{ start: 1, end: expect.closeTo(1.42, 5) }]);
  });

  it('places the threshold between floor and speech, even in digital silence', () => {
    const threshold = pauseThreshold(envelope([[-100, 100], [-20, 100]]));
    expect(threshold).toBeGreaterThan(-100);
    expect(threshold).toBeLessThan(-40);
  });
});

describe('EnvelopeAccumulator', () => {
  it('turns s16le PCM (split at odd bytes) into 10 ms dB frames', () => {
    const samples = new Int16Array(160);
    for (let i = 80; i < 160; i++) samples[i] = i % 2 ? 16384 : -16384;
    const bytes = new Uint8Array(samples.buffer);
    const acc = new EnvelopeAccumulator();
    acc.push(bytes.subarray(0, 7));
    acc.push(bytes.subarray(7, 200));
    acc.push(bytes.subarray(200));
    const env = acc.finish();
    expect(env.db).toHaveLength(2);
    expect(env.db[0]).toBeLessThan(-90);
    expect(env.db[1]).toBeCloseTo(-6.02, 1);
  });

  it('decodes to raw mono 8 kHz PCM on stdout', () => {
    expect(envelopeDecodeArgs('in put.mp3')).toEqual(expect.arrayContaining(['-i', 'in put.mp3', '-ac', '1', '-ar', '8000', '-f', 's16le', 'pipe:1']));
  });
});
