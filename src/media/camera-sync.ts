import { CastlineError } from '../core/errors.js';
import { runFfmpeg } from './ffmpeg/run-ffmpeg.js';
import { S16Reader } from './pcm-s16.js';

/**
 * Where the microphone recording sits in the camera's sound (issue 15): both tracks are
 * decoded to 8 kHz mono PCM, reduced to a 1 kHz loudness envelope (dB per 5 ms window, one
 * value per ms), and cross-correlated. Envelopes, not waveforms: a camera's built-in
 * microphone and a separate one hear the same words with different EQ, room and phase, which
 * decorrelates the samples but not when each syllable gets loud.
 *
 * Two stages keep an hour-long pair cheap: a coarse search over every lag at 100 Hz (FFT,
 * O(n log n)), then a fine search at 1 kHz within ±15 ms of the coarse peak, interpolated
 * between samples. The result is `offsetSeconds`: camera time = microphone time + offset.
 * `confidence` is the Pearson correlation of the envelopes at that lag; `margin` how much
 * better it is than the best lag more than a second away (a repeated phrase or music bed
 * gives a second peak almost as high, which must not pass as a match).
 */

export const SYNC_RATE = 8000;
/** Envelope values per second in the fine stage. */
export const FINE_RATE = 1000;
const COARSE_FACTOR = 10;
const WINDOW_SAMPLES = 40; // 5 ms at 8 kHz
const HOP_SAMPLES = SYNC_RATE / FINE_RATE;
/** dB below the loudest window where the envelope is clipped: room noise carries no timing. */
const FLOOR_DB = 45;

/** Below these the offset is not trusted (calibrated on matching and non-matching fixtures). */
export const MIN_CONFIDENCE = 0.6;
export const MIN_MARGIN = 0.15;

export interface SyncResult {
  offsetSeconds: number;
  confidence: number;
  margin: number;
}

/** ffmpeg arguments (data): one file's first audio stream as 8 kHz mono s16le on stdout. */
export function syncDecodeArgs(path: string): string[] {
  return ['-loglevel', 'error', '-i', path, '-map', '0:a:0', '-vn', '-ac', '1', '-ar', String(SYNC_RATE), '-f', 's16le', '-acodec', 'pcm_s16le', 'pipe:1'];
}

/** Streaming 1 kHz envelope: RMS over 5 ms windows, one per ms, in dB. */
export class SyncEnvelope {
  private readonly ring = new Float64Array(WINDOW_SAMPLES);
  private pos = 0;
  private filled = 0;
  private sum = 0;
  private sinceHop = 0;
  private out: number[] = [];
  private readonly reader = new S16Reader((sample) => this.add(sample));

  push(chunk: Uint8Array): void {
    this.reader.push(chunk);
  }

  private add(sample: number): void {
    const x = sample / 32768;
    const e = x * x;
    this.sum += e - (this.ring[this.pos] ?? 0);
    this.ring[this.pos] = e;
    this.pos = (this.pos + 1) % WINDOW_SAMPLES;
    if (this.filled < WINDOW_SAMPLES) this.filled++;
    if (++this.sinceHop === HOP_SAMPLES) {
      this.sinceHop = 0;
      this.out.push(10 * Math.log10(Math.max(this.sum, 0) / this.filled + 1e-12));
    }
  }

  finish(): Float32Array {
    return Float32Array.from(this.out);
  }
}

/** Clip to FLOOR_DB under the loudest value (robust max: 99.5th percentile) and remove the mean. */
export function conditionEnvelope(db: Float32Array): Float64Array {
  const sorted = Float32Array.from(db).sort();
  const top = sorted[Math.floor((sorted.length - 1) * 0.995)] ?? 0;
  const floor = top - FLOOR_DB;
  const out = new Float64Array(db.length);
  let mean = 0;
  for (let i = 0; i < db.length; i++) {
    const v = Math.max(db[i] ?? floor, floor);
    out[i] = v;
    mean += v;
  }
  mean /= db.length || 1;
  for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) - mean;
  return out;
}

function decimate(x: Float64Array, factor: number): Float64Array {
  const n = Math.floor(x.length / factor);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < factor; k++) s += x[i * factor + k] ?? 0;
    out[i] = s / factor;
  }
  return out;
}

/** In-place iterative radix-2 FFT (re, im of length 2^k); `inverse` without the 1/n scale. */
export function fft(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j] ?? 0, re[i] ?? 0];
      [im[i], im[j]] = [im[j] ?? 0, im[i] ?? 0];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const angle = ((inverse ? 2 : -2) * Math.PI) / len;
    const wr = Math.cos(angle);
    const wi = Math.sin(angle);
    for (let i = 0; i < n; i += len) {
      let cr = 1;
      let ci = 0;
      for (let k = 0; k < len / 2; k++) {
        const a = i + k;
        const b = a + len / 2;
        const br = (re[b] ?? 0) * cr - (im[b] ?? 0) * ci;
        const bi = (re[b] ?? 0) * ci + (im[b] ?? 0) * cr;
        re[b] = (re[a] ?? 0) - br;
        im[b] = (im[a] ?? 0) - bi;
        re[a] = (re[a] ?? 0) + br;
        im[a] = (im[a] ?? 0) + bi;
        const t = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = t;
      }
    }
  }
}

/** Pearson correlation of a[i + lag] with b[i] over their overlap (lag in samples, may be fractional-free). */
export function correlationAt(a: Float64Array, b: Float64Array, lag: number): { r: number; overlap: number } {
  const start = Math.max(0, -lag);
  const end = Math.min(b.length, a.length - lag);
  const n = end - start;
  if (n < 2) return { r: 0, overlap: 0 };
  let sa = 0;
  let sb = 0;
  for (let i = start; i < end; i++) {
    sa += a[i + lag] ?? 0;
    sb += b[i] ?? 0;
  }
  const ma = sa / n;
  const mb = sb / n;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = start; i < end; i++) {
    const x = (a[i + lag] ?? 0) - ma;
    const y = (b[i] ?? 0) - mb;
    num += x * y;
    da += x * x;
    db += y * y;
  }
  return { r: da > 0 && db > 0 ? num / Math.sqrt(da * db) : 0, overlap: n };
}

/** Raw cross-correlation c[lag] = Σ a[i + lag]·b[i] for every lag, by FFT; index lag + (b.length - 1). */
function crossCorrelate(a: Float64Array, b: Float64Array): Float64Array {
  let n = 1;
  while (n < a.length + b.length) n <<= 1;
  const ar = new Float64Array(n);
  const ai = new Float64Array(n);
  const br = new Float64Array(n);
  const bi = new Float64Array(n);
  ar.set(a);
  br.set(b);
  fft(ar, ai);
  fft(br, bi);
  for (let k = 0; k < n; k++) {
    // A · conj(B)
    const r = (ar[k] ?? 0) * (br[k] ?? 0) + (ai[k] ?? 0) * (bi[k] ?? 0);
    const i = (ai[k] ?? 0) * (br[k] ?? 0) - (ar[k] ?? 0) * (bi[k] ?? 0);
    ar[k] = r;
    ai[k] = i;
  }
  fft(ar, ai, true);
  const out = new Float64Array(a.length + b.length - 1);
  for (let lag = -(b.length - 1); lag < a.length; lag++) out[lag + b.length - 1] = (ar[(lag + n) % n] ?? 0) / n;
  return out;
}

/**
 * The offset of `mic` inside `camera` from their 1 kHz envelopes (pure). Lags that leave
 * less than `minOverlapSeconds` of common sound are not considered.
 */
export function findOffset(cameraDb: Float32Array, micDb: Float32Array, minOverlapSeconds = 5): SyncResult {
  const a = conditionEnvelope(cameraDb);
  const b = conditionEnvelope(micDb);
  const ca = decimate(a, COARSE_FACTOR);
  const cb = decimate(b, COARSE_FACTOR);
  const coarseRate = FINE_RATE / COARSE_FACTOR;
  const minOverlap = Math.min(Math.round(minOverlapSeconds * coarseRate), Math.floor(Math.min(ca.length, cb.length) * 0.5));
  const raw = crossCorrelate(ca, cb);
  // Candidate lags: the strongest raw peaks, each then scored by Pearson over its overlap
  // (the raw sum favours lags with long overlaps).
  const candidates: number[] = [];
  for (let idx = 1; idx < raw.length - 1; idx++) {
    const v = raw[idx] ?? 0;
    if (v > 0 && v >= (raw[idx - 1] ?? 0) && v >= (raw[idx + 1] ?? 0)) candidates.push(idx);
  }
  candidates.sort((x, y) => (raw[y] ?? 0) - (raw[x] ?? 0));
  const scored = candidates
    .slice(0, 40)
    .map((idx) => idx - (cb.length - 1))
    .map((lag) => ({ lag, ...correlationAt(ca, cb, lag) }))
    .filter((c) => c.overlap >= minOverlap)
    .sort((x, y) => y.r - x.r);
  const best = scored[0];
  if (!best) return { offsetSeconds: 0, confidence: 0, margin: 0 };
  const rival = scored.find((c) => Math.abs(c.lag - best.lag) > coarseRate);
  // Fine stage: every 1 ms lag within ±15 ms of the coarse peak, then a parabola through the top three.
  const centre = best.lag * COARSE_FACTOR;
  let fineBest = { lag: centre, r: -Infinity };
  const rs = new Map<number, number>();
  for (let lag = centre - 15; lag <= centre + 15; lag++) {
    const { r } = correlationAt(a, b, lag);
    rs.set(lag, r);
    if (r > fineBest.r) fineBest = { lag, r };
  }
  const y0 = rs.get(fineBest.lag - 1);
  const y2 = rs.get(fineBest.lag + 1);
  let delta = 0;
  if (y0 !== undefined && y2 !== undefined) {
    const denom = y0 - 2 * fineBest.r + y2;
    if (denom < 0) delta = Math.max(-0.5, Math.min(0.5, (0.5 * (y0 - y2)) / denom));
  }
  return {
    offsetSeconds: (fineBest.lag + delta) / FINE_RATE,
    confidence: Math.max(0, fineBest.r),
    margin: best.r - (rival?.r ?? 0),
  };
}

/** Decode one file's sound to its 1 kHz envelope, through the one ffmpeg runner. */
export async function decodeSyncEnvelope(path: string, displayName: string): Promise<Float32Array> {
  const env = new SyncEnvelope();
  await runFfmpeg(syncDecodeArgs(path), { label: 'sync decode', purpose: `decoding the sound of ${displayName} to line it up`, onStdout: (chunk) => env.push(chunk) });
  return env.finish();
}

/**
 * Line the microphone recording up with the camera's sound; no confident match is an error
 * that names both files (a recording of another take, or a camera that recorded no usable sound).
 */
export async function syncCamera(camera: { abs: string; rel: string }, mic: { abs: string; rel: string }): Promise<SyncResult> {
  const [cam, micEnv] = await Promise.all([decodeSyncEnvelope(camera.abs, camera.rel), decodeSyncEnvelope(mic.abs, mic.rel)]);
  const result = findOffset(cam, micEnv);
  if (result.confidence < MIN_CONFIDENCE || result.margin < MIN_MARGIN) {
    throw new CastlineError(
      'camera-sync-failed',
      `${mic.rel} does not match the sound of ${camera.rel}: no offset found with confidence (best ${result.offsetSeconds.toFixed(3)} s at correlation ${result.confidence.toFixed(2)}, ${result.margin.toFixed(2)} above the next candidate; needs ${MIN_CONFIDENCE} and ${MIN_MARGIN})`,
      { hint: 'check that the recording in audio/ and the camera file are of the same session; remove one of them to use the other\'s sound alone' },
    );
  }
  return result;
}
