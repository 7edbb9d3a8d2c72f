import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFfmpeg } from '../../../src/media/ffmpeg/run-ffmpeg.js';
import { measureFile, measureWhileEncoding } from '../../../src/media/measure-programme.js';

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
    expect(Math.abs(parts.integrated - whole.integrated)).toBeLessThanOrEqual(0.2);
    expect(parts.truePeak).toBeDefined();
    expect(Math.abs(parts.truePeak! - whole.truePeak!)).toBeLessThanOrEqual(0.05);
    // The burst is the loudest moment: a true peak near -2 dBTP, far above the noise's.
    expect(parts.truePeak!).toBeGreaterThan(-4);
  }, 120_000);
});
