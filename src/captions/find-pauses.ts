/**
 * Pauses from a loudness envelope (one dB value per frame). Pure and unit-tested: the decode
 * that produces the envelope lives in decode-envelope.ts.
 *
 * Why not ffmpeg `silencedetect` with a fixed -35 dB? Recordings differ in noise floor and
 * level (and the published MP3 is loudness-normalized, so the absolute level moves with the
 * target). The threshold here adapts to the recording: it sits between the noise floor (a low
 * percentile of frame energies) and the speech level (a high percentile).
 */

import { findRuns } from '../core/find-runs.js';

export interface Envelope {
  /** Frame energy in dBFS, one value per hop. */
  db: Float32Array;
  /** Seconds per frame. */
  hop: number;
}

export interface Pause {
  start: number;
  end: number;
}

export interface PauseOptions {
  /** Shortest pause kept, seconds. */
  minSeconds?: number;
  /** Speech bursts shorter than this inside a pause are treated as clicks/breaths, seconds. */
  minSpeechSeconds?: number;
}

function percentile(sorted: Float32Array, p: number): number {
  if (sorted.length === 0) return -100;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.round(p * (sorted.length - 1))));
  return sorted[index] ?? -100;
}

/**
 * The dB level below which a frame counts as pause: 30% of the way from the noise floor (5th
 * percentile) to the speech level (95th percentile), but never above speech level - 20 dB nor
 * below floor + 6 dB, so neither a noisy room nor a digitally silent one breaks it.
 */
export function pauseThreshold(envelope: Envelope): number {
  const sorted = Float32Array.from(envelope.db).sort();
  const floor = Math.max(-100, percentile(sorted, 0.05));
  const speech = percentile(sorted, 0.95);
  const threshold = floor + 0.3 * (speech - floor);
  return Math.max(floor + 6, Math.min(threshold, speech - 20));
}

/** Runs of below-threshold frames at least `minSeconds` long, in time order. */
export function findPauses(envelope: Envelope, options: PauseOptions = {}): Pause[] {
  const minFrames = Math.max(1, Math.round((options.minSeconds ?? 0.1) / envelope.hop));
  const blipFrames = Math.round((options.minSpeechSeconds ?? 0.03) / envelope.hop);
  const threshold = pauseThreshold(envelope);
  const quiet = envelope.db.map((v) => (v < threshold ? 1 : 0));
  // Fill speech blips shorter than blipFrames that sit between quiet frames.
  for (const { start: i, end: j } of findRuns(quiet, (q) => !q)) {
    if (i > 0 && j < quiet.length && j - i <= blipFrames) quiet.fill(1, i, j);
  }
  const pauses: Pause[] = [];
  for (const { start: i, end: j } of findRuns(quiet, (q) => Boolean(q))) {
    // Runs touching the start or end of the audio are kept whatever their length: they mark
    // where speech begins and ends.
    if (j - i >= minFrames || i === 0 || j === quiet.length) pauses.push({ start: i * envelope.hop, end: j * envelope.hop });
  }
  return pauses;
}
