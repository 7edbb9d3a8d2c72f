import { describe, expect, it } from 'vitest';
import { isProgressLine, parseFfmpegProgress, takeProgressBlocks } from '../../../src/media/ffmpeg/parse-progress.js';
import { parseFluentExit } from '../../../src/media/ffmpeg/run-ffmpeg.js';
import { parseEbur128Summary, parseNamedEbur128Summary } from '../../../src/media/loudness.js';
import { parseInputMaxVolumes } from '../../../src/media/measure-programme.js';

const BLOCK = `frame=0
fps=0.00
bitrate= 128.0kbits/s
total_size=1048620
out_time_us=65536000
out_time_ms=65536000
out_time=00:01:05.536000
dup_frames=0
drop_frames=0
speed=43.2x
progress=continue
`;

describe('parseFfmpegProgress', () => {
  it('reads output time (µs, despite the _ms name) and speed from a -progress block', () => {
    expect(parseFfmpegProgress(BLOCK)).toEqual({ outSeconds: 65.536, speed: 43.2, done: false });
  });
  it('marks the last block and tolerates speed=N/A', () => {
    expect(parseFfmpegProgress(BLOCK.replace('speed=43.2x', 'speed=N/A').replace('continue', 'end'))).toEqual({ outSeconds: 65.536, speed: undefined, done: true });
  });
  it('splits a stream into complete blocks and the unfinished rest', () => {
    const { blocks, rest } = takeProgressBlocks(`${BLOCK}frame=1\nout_time_us=7`);
    expect(blocks).toBe(BLOCK);
    expect(rest).toBe('frame=1\nout_time_us=7');
    expect(takeProgressBlocks('out_time_us=5\n')).toEqual({ blocks: '', rest: 'out_time_us=5\n' });
  });
});

describe('isProgressLine (progress and log share stderr)', () => {
  it('takes every line of a -progress block', () => {
    expect(BLOCK.trim().split('\n').every(isProgressLine)).toBe(true);
    expect(isProgressLine('stream_0_0_q=28.0')).toBe(true);
  });
  it('leaves ffmpeg\'s log lines, including the final stats line and the ebur128 summary, to the log', () => {
    for (const line of ['size=N/A time=00:00:03.00 bitrate=N/A speed= 284x', 'Input #0, lavfi, from \'sine=d=3\':', '[Parsed_ebur128_0 @ 0x1] Summary:', '    I:         -22.1 LUFS', 'video:0kB audio:258kB subtitle:0kB']) {
      expect(isProgressLine(line)).toBe(false);
    }
  });
});

describe('parseFluentExit', () => {
  it('reads the exit code or signal from fluent-ffmpeg\'s error message', () => {
    expect(parseFluentExit('ffmpeg exited with code 1: /x.wav: No such file or directory')).toEqual({ code: 1, signal: undefined });
    expect(parseFluentExit('ffmpeg was killed with signal SIGKILL')).toEqual({ code: undefined, signal: 'SIGKILL' });
    expect(parseFluentExit('Output stream error: EPIPE')).toEqual({ code: undefined, signal: undefined });
  });
});

const EBUR128 = `[Parsed_ebur128_4 @ 0x124d6e00] Summary:

  Integrated loudness:
    I:         -22.1 LUFS
    Threshold: -32.3 LUFS

  Loudness range:
    LRA:         2.8 LU
    Threshold: -44.8 LUFS
    LRA low:   -26.5 LUFS
    LRA high:  -23.8 LUFS

  True peak:
    Peak:      -18.1 dBFS
[volumedetect@in1 @ 0x12454c80] n_samples: 88200
[volumedetect@in1 @ 0x12454c80] max_volume: -91.0 dB
[volumedetect@in0 @ 0x123d4480] max_volume: -18.1 dB`;

describe('ebur128 and volumedetect logs', () => {
  it('reads integrated loudness, LRA and true peak from the summary', () => {
    expect(parseEbur128Summary(`noise I: -5 LUFS\n${EBUR128}`)).toEqual({ integrated: -22.1, truePeak: -18.1, lra: 2.8 });
  });
  it('tells the sample peak from the true peak when ebur128 prints both (peak=sample+true)', () => {
    const both = 'Summary:\n  Integrated loudness:\n    I:         -16.5 LUFS\n  Sample peak:\n    Peak:       -2.0 dBFS\n\n  True peak:\n    Peak:       -1.2 dBFS\n';
    expect(parseEbur128Summary(both)).toMatchObject({ integrated: -16.5, samplePeak: -2, truePeak: -1.2 });
    expect(parseEbur128Summary(both.replace(/\n\n  True peak:[\s\S]*$/, '\n'))).toMatchObject({ samplePeak: -2, truePeak: undefined });
  });
  it('reads -inf peaks of silence and returns undefined without a summary', () => {
    expect(parseEbur128Summary('Summary:\n I:         -70.0 LUFS\n Peak:       -inf dBFS')?.truePeak).toBe(Number.NEGATIVE_INFINITY);
    expect(parseEbur128Summary('no summary here')).toBeUndefined();
  });
  it('maps each named volumedetect to its input', () => {
    expect(parseInputMaxVolumes(EBUR128, 3)).toEqual([-18.1, -91, undefined]);
  });
});

describe('named ebur128 instances', () => {
  const log = `[ebur128@lim @ 0x1] Summary:

  Integrated loudness:
    I:         -70.0 LUFS
[ebur128@raw @ 0x2] Summary:

  Integrated loudness:
    I:         -70.0 LUFS
[ebur128@lim @ 0x3] Summary:

  Integrated loudness:
    I:         -16.8 LUFS
    Threshold: -27.0 LUFS
[ebur128@raw @ 0x4] Summary:

  Integrated loudness:
    I:         -21.8 LUFS
`;
  it('reads the last summary of each instance (a graph may print one per initialisation)', () => {
    expect(parseNamedEbur128Summary(log, 'lim')?.integrated).toBe(-16.8);
    expect(parseNamedEbur128Summary(log, 'raw')?.integrated).toBe(-21.8);
    expect(parseNamedEbur128Summary(log, 'other')).toBeUndefined();
  });
});
