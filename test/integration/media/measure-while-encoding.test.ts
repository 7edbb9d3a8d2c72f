import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFfmpeg } from '../../../src/media/ffmpeg/run-ffmpeg.js';
import { measureFile, measureWhileEncoding } from '../../../src/media/measure-programme.js';
import { parseEbur128Summary } from '../../../src/media/loudness.js';

let dir: string;
let file: string;
const SECONDS = 720;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'castline-meter-parts-'));
  file = join(dir, 'programme.wav');
  // Twelve minutes of pink noise, 12 dB louder for a minute in the middle of the first part and
  // a loud tone burst (the sine source is at 1/8: ×6 is about -2.5 dBFS) in the last one, so a part measured wrong or left out moves the result.
  await runFfmpeg(
    ['-f', 'lavfi', '-i', `anoisesrc=d=${SECONDS}:c=pink:a=0.05:r=44100:s=7`, '-f', 'lavfi', '-i', `sine=f=997:d=${SECONDS}:r=44100`,
      '-filter_complex', `[0:a]volume='if(between(t,120,180),4,1)':eval=frame[n];[1:a]volume='if(between(t,650,652),6,0)':eval=frame[s];[n][s]amix=inputs=2:duration=first,volume=2[a]`,
      '-map', '[a]', '-c:a', 'pcm_s16le', '-y', file],
    { label: 'fixture' },
  );
}, 120_000);
afterAll(async () => {
  delete process.env['CASTLINE_TRACE_FFMPEG'];
  await rm(dir, { recursive: true, force: true });
});

describe('measureWhileEncoding (the MP3 metered in parts as it is written)', () => {
  it('meters a part once the encoder is past it, reuses it at the end, and matches the whole file to 0.2 LU and its true peak', async () => {
    const whole = await measureFile(file, 'whole');
    const trace = join(dir, 'trace.jsonl');
    process.env['CASTLINE_TRACE_FFMPEG'] = trace;
    const meter = measureWhileEncoding(file, 'parts', SECONDS);
    // Two parts of 6 minutes: the first is read back once the encoder is 10 s past it, not before.
    meter.progress(365);
    meter.progress(369);
    await meter.abandon();
    expect(await readFile(trace, 'utf8').catch(() => '')).toBe('');
    meter.progress(371);
    meter.progress(600);
    await meter.abandon();
    expect((await readFile(trace, 'utf8')).trim().split('\n')).toHaveLength(1);
    const parts = await meter.finish();
    delete process.env['CASTLINE_TRACE_FFMPEG'];
    // The early part is not metered again: the last part's two halves make three runs in all.
    const runs = (await readFile(trace, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { label: string });
    expect(runs.map((r) => r.label)).toEqual(['parts', 'parts', 'parts']);
    // The parts' 100 ms steps join to the whole file's: the same gating, to the rounding.
    expect(Math.abs(parts.integrated - whole.integrated)).toBeLessThanOrEqual(0.1);
    expect(parts.truePeak).toBeDefined();
    expect(Math.abs(parts.truePeak! - whole.truePeak!)).toBeLessThanOrEqual(0.05);
    // The burst is the loudest moment: a true peak near -2 dBTP, far above the noise's.
    expect(parts.truePeak!).toBeGreaterThan(-4);
  }, 120_000);
});

describe('measureFile (castline\'s BS.1770 meter) against ffmpeg\'s ebur128', () => {
  it('agrees with ebur128=peak=true on an MP3 and an AAC: integrated within 0.1 LU, true peak within 0.3 dB, LRA within 0.5 LU', async () => {
    const mp3 = join(dir, 'x.mp3');
    const m4a = join(dir, 'x.m4a');
    // Four minutes of the fixture, louder and limited (inter-sample peaks after encoding), as a build's outputs.
    const cut = ['-t', '240', '-i', file, '-af', 'volume=16dB,alimiter=limit=0.8:level=0'];
    await runFfmpeg([...cut, '-c:a', 'libmp3lame', '-b:a', '128k', '-y', mp3], { label: 'fixture mp3' });
    await runFfmpeg([...cut, '-ar', '48000', '-c:a', 'aac', '-b:a', '128k', '-y', m4a], { label: 'fixture aac' });
    for (const f of [mp3, m4a]) {
      const ours = await measureFile(f, f);
      const log = (await runFfmpeg(['-i', f, '-map', '0:a:0', '-af', 'ebur128=peak=true', '-f', 'null', '-'], { label: 'ebur128' })).stderr;
      const theirs = parseEbur128Summary(log)!;
      expect(Math.abs(ours.integrated - theirs.integrated)).toBeLessThanOrEqual(0.1);
      expect(Math.abs(ours.truePeak! - theirs.truePeak!)).toBeLessThanOrEqual(0.3);
      expect(Math.abs(ours.lra! - theirs.lra!)).toBeLessThanOrEqual(0.5);
      // Limited at -1.9 dBFS: the true peak sits at or above the sample peak, near the ceiling.
      expect(ours.truePeak!).toBeGreaterThanOrEqual(ours.samplePeak!);
      expect(ours.truePeak!).toBeGreaterThan(-4);
    }
  }, 120_000);
});
