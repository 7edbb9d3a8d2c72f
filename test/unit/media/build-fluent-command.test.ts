import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildFluentCommand, splitFfmpegArgs } from '../../../src/media/ffmpeg/build-fluent-command.js';
import { envelopeDecodeArgs } from '../../../src/captions/decode-envelope.js';
import { aacArgs, clipArgs, encoderProbeArgs, limiterCurveArgs, measureArgs, mp3Args, muxArgs, thumbnailArgs, type AudioProgram } from '../../../src/media/encode-args.js';
import { planLoudness } from '../../../src/media/loudness.js';
import { coverArgs } from '../../../src/init/cover-args.js';

/**
 * What fluent-ffmpeg would spawn for an argument list, read from the command it builds
 * (`_getArguments`, the list its run() passes to spawn), without running anything.
 */
const takes: AudioProgram = { speech: ['/a/intro take.wav', '/a/news.ogg'], crossfade: 1.5, sampleRate: 44100, channels: 1, intro: '/m/in.wav', outro: '/m/out.wav' };
const gain = planLoudness({ integrated: -22, samplePeak: -2 }, { integrated: -16, truePeak: -1 });

/** The list as given, with fluent-ffmpeg's one `-y` after the last input (file outputs only). */
function withFluentY(args: string[]): string[] {
  const lastInput = args.lastIndexOf('-i');
  return [...args.slice(0, lastInput + 2), '-y', ...args.slice(lastInput + 2)];
}

describe('buildFluentCommand: fluent-ffmpeg runs the argument list castline built', () => {
  it.each([
    ['measure (four inputs, a filter graph, a null output)', measureArgs(takes)],
    ['measure + loudness sample (a null output and a WAV)', measureArgs(takes, { meter: '/w/m e.txt', sample: '/w/s.wav', every: 150 })],
    ['limiter curve (three null outputs)', limiterCurveArgs('/w/s.wav', [gain, gain], { raw: '/w/r.txt', points: ['/w/a.txt', '/w/b.txt'] })],
    ['encoder probe (two null outputs, an MP3 and an AAC)', encoderProbeArgs(takes, { path: '/w/s.wav', seconds: 240 }, gain, 128, { check: '/w/c.txt', pre: '/w/p.txt', mp3: '/w/p.mp3', aac: '/w/p.m4a' })],
    ['MP3 encode', mp3Args(takes, gain, 128, '/o/episode one.mp3')],
    ['AAC encode', aacArgs(takes, gain, '/o/a.m4a')],
    ['still clip (looped image input)', clipArgs({ image: '/v/a.png', frames: 60, fps: 1, size: { width: 1920, height: 1080 } }, '/w/c.mp4')],
    ['MP4 mux (concat demuxer input)', muxArgs({ concatList: '/w/v.ffconcat', aac: '/w/a.m4a', ffmetadata: '/w/m.txt', durationSeconds: 12.3456 }, '/o/x.mp4')],
    ['thumbnail (drawtext with a title of two words)', thumbnailArgs('/bg.png', { title: 'Two words', font: '/f.ttf' }, '/o/t.jpg')],
    ['init cover (lavfi field, drawtext with a kicker)', coverArgs({ title: 'My Show: weekly', kicker: 'Jo Host', font: '/f.ttf' }, '/s/assets/cover.png')],
  ])('%s', (_name, args) => {
    expect(buildFluentCommand(args)._getArguments()).toEqual(withFluentY(args));
  });

  it('keeps an argument with exactly one space whole (fluent-ffmpeg splits those when given an array)', () => {
    const args = ['-hide_banner', '-i', '/in/a b.wav', '-metadata', 'title=Two words', '-af', 'volume=0.5, aresample=8000', '-y', '/out/c d.mp3'];
    expect(buildFluentCommand(args)._getArguments()).toEqual(['-hide_banner', '-i', '/in/a b.wav', '-y', '-metadata', 'title=Two words', '-af', 'volume=0.5, aresample=8000', '-y', '/out/c d.mp3']);
  });

  it('the AAC encode that also writes the captions envelope: a file, then PCM to the stream', () => {
    const args = aacArgs(takes, gain, '/o/a.m4a', true);
    expect(args.at(-1)).toBe('pipe:1');
    expect(buildFluentCommand(args, new PassThrough())._getArguments()).toEqual(args);
  });

  it('writes decoded PCM to a stream: the list ends in pipe:1 and no -y is added', () => {
    const args = envelopeDecodeArgs('/o/episode.mp3');
    expect(args.at(-1)).toBe('pipe:1');
    expect(buildFluentCommand(args, new PassThrough())._getArguments()).toEqual(args);
    expect(() => buildFluentCommand(['-i', 'a.wav', 'out.wav'], new PassThrough())).toThrow(/must be pipe:1, not out\.wav/);
  });

  it('splits at the inputs and refuses lists it cannot hand over whole', () => {
    expect(splitFfmpegArgs(['-f', 'lavfi', '-i', 'sine=d=1', '-loop', '1', '-i', 'x.png', '-c:a', 'aac', 'o.m4a'])).toEqual({
      inputs: [
        { options: ['-f', 'lavfi'], source: 'sine=d=1' },
        { options: ['-loop', '1'], source: 'x.png' },
      ],
      outputOptions: ['-c:a', 'aac'],
      target: 'o.m4a',
    });
    expect(() => splitFfmpegArgs(['-f', 'null', '-i'])).toThrow(/end with -i and no input/);
    expect(() => splitFfmpegArgs([])).toThrow(/no output/);
    expect(() => buildFluentCommand(['lone value', '-i', 'a.wav', 'o.wav'])).toThrow(/would be split/);
  });
});
