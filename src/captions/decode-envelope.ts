import { runFfmpeg } from '../media/ffmpeg/run-ffmpeg.js';
import { S16Reader } from '../media/pcm-s16.js';
import { ENVELOPE_PCM, ENVELOPE_RATE } from '../media/encode-args.js';
import type { Envelope } from './find-pauses.js';

export { ENVELOPE_RATE };
/** 10 ms frames: fine enough for word gaps, and a 60-minute episode is only 360,000 values. */
export const ENVELOPE_HOP_SECONDS = 0.01;

/** ffmpeg arguments (data, STYLE §3): decode any input to raw signed 16-bit mono PCM on stdout. */
export function envelopeDecodeArgs(audioPath: string): string[] {
  return ['-loglevel', 'error', '-i', audioPath, '-vn', ...ENVELOPE_PCM, 'pipe:1'];
}

/**
 * Streaming frame energy: fed PCM chunks of any size (odd byte counts included), emits one
 * dBFS value per 10 ms frame. Kept separate from the ffmpeg run so it is unit-testable.
 */
export class EnvelopeAccumulator {
  private readonly frameSamples = Math.round(ENVELOPE_RATE * ENVELOPE_HOP_SECONDS);
  private values: number[] = [];
  private sum = 0;
  private count = 0;
  private readonly reader = new S16Reader((sample) => this.add(sample));

  push(chunk: Uint8Array): void {
    this.reader.push(chunk);
  }

  private add(sample: number): void {
    const x = sample / 32768;
    this.sum += x * x;
    if (++this.count === this.frameSamples) this.flush();
  }

  private flush(): void {
    if (this.count === 0) return;
    this.values.push(10 * Math.log10(this.sum / this.count + 1e-10));
    this.sum = 0;
    this.count = 0;
  }

  finish(): Envelope {
    this.flush();
    return { db: Float32Array.from(this.values), hop: ENVELOPE_HOP_SECONDS };
  }
}

/**
 * Decode the audio once with ffmpeg and return its 10 ms loudness envelope. Runs through the
 * one ffmpeg runner, so it shares the per-core limit with the build's encodes.
 */
export async function decodeEnvelope(audioPath: string): Promise<Envelope> {
  const acc = new EnvelopeAccumulator();
  await runFfmpeg(envelopeDecodeArgs(audioPath), {
    label: 'captions decode',
    purpose: `decoding ${audioPath} to align the captions`,
    hint: 'check that the file is a complete audio file (rebuild it with `castline build`)',
    onStdout: (chunk) => acc.push(chunk),
  });
  return acc.finish();
}
