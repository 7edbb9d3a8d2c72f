import { describe, expect, it } from 'vitest';
import { runFfmpeg } from '../../../src/media/ffmpeg/run-ffmpeg.js';
import { CastlineError } from '../../../src/core/errors.js';

describe('runFfmpeg (the one module that starts ffmpeg)', () => {
  it('reports progress from -progress pipe:1 up to the end', async () => {
    const seen: number[] = [];
    const result = await runFfmpeg(['-f', 'lavfi', '-i', 'sine=f=440:d=20', '-f', 'null', '-'], { label: 'test', durationSeconds: 20, onProgress: (p) => p.fraction !== undefined && seen.push(p.fraction) });
    expect(seen.at(-1)).toBe(1);
    expect(result.progress?.done).toBe(true);
    expect(result.progress?.outSeconds).toBeCloseTo(20, 1);
  });

  it('turns a failed run into a CastlineError with the command line, exit code and stderr tail', async () => {
    const error = await runFfmpeg(['-i', '/nonexistent/input.wav', '-f', 'null', '-'], { label: 'broken', purpose: 'testing a failure' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CastlineError);
    const e = error as CastlineError;
    expect(e.message).toMatch(/^ffmpeg failed testing a failure \(exit code 1\): .*No such file or directory/);
    expect(e.details).toMatch(/^command: .*ffmpeg -hide_banner -nostdin -nostats -progress pipe:1 -i \/nonexistent\/input\.wav -f null -/);
    expect(e.details).toMatch(/exit code: 1\nstderr \(tail\):\n.*No such file or directory/);
  });
});
