import { describe, expect, it } from 'vitest';
import { analyseTakeArgs, humProbeArgs, parseHumTroughs, parseLevels, renderTakeArgs, renderTakeGraph } from '../../../src/media/cleanup-args.js';

describe('cleanup command lines', () => {
  it('probes all takes for hum in one process: 2 min of each at 2 kHz, one narrow band-pass + astats per frequency', () => {
    const args = humProbeArgs(['/a.wav', '/b.wav']);
    // Each input read for the probe's 2 minutes only, and never its picture (a camera file as the speech).
    expect(args.slice(0, 8)).toEqual(['-t', '120', '-i', '/a.wav', '-t', '120', '-i', '/b.wav']);
    expect(args.slice(-6)).toEqual(['-vn', '-sn', '-dn', '-f', 'null', '-']);
    const graph = args[args.indexOf('-filter_complex') + 1]!;
    expect(graph).toContain('[0:a]atrim=duration=120,aresample=osr=2000,aformat=sample_fmts=flt:channel_layouts=mono,asplit=outputs=18');
    expect(graph).toContain('[1:a]atrim=duration=120');
    expect(graph).toContain('bandpass=f=50:width_type=h:w=1.5,astats@hum0f50=length=0.5:metadata=0,anullsink');
    expect(graph).toContain('astats@hum1f187=');
    expect(args.slice(-3)).toEqual(['-f', 'null', '-']);
  });

  it('analyses a take into a level file and an ebur128 meter, paths escaped', () => {
    const args = analyseTakeArgs('/in.flac', { sampleRate: 48000, channels: 2 }, "/w/it's.txt");
    const graph = args[args.indexOf('-filter_complex') + 1]!;
    expect(graph).toContain('[0:a]aresample=osr=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,asplit=outputs=2[lv][hum]');
    expect(graph).toContain('asetnsamples=n=4800:p=0,astats=metadata=1:reset=1,ametadata=mode=print:key=lavfi.astats.Overall.RMS_level:file=');
    expect(graph).toContain("\\'/w/it\\'\\\\\\'\\'s.txt\\'");
    expect(graph).toContain('ebur128@before=framelog=verbose');
    // The graph ends in sinks: the null output must not take (and decode) the file's picture.
    expect(args.slice(-6)).toEqual(['-vn', '-sn', '-dn', '-f', 'null', '-']);
  });

  it('renders the cleaned take as 32-bit float WAV from a graph script, metering the same way after', () => {
    const graph = renderTakeGraph([{ name: 'highpass', options: { f: 80 } }], { sampleRate: 44100, channels: 1 }, '/w/after.txt');
    expect(graph.split(';\n')[0]).toBe('[0:a]aresample=osr=44100,aformat=sample_fmts=fltp:channel_layouts=mono,highpass=f=80,asplit=outputs=2[out][m]');
    expect(graph).toContain('ebur128@after');
    expect(renderTakeArgs('/in.wav', '/w/g.txt', '/w/out.wav')).toEqual(['-i', '/in.wav', '-filter_complex_script', '/w/g.txt', '-map', '[out]', '-c:a', 'pcm_f32le', '-f', 'wav', '-y', '/w/out.wav']);
  });
});

describe('cleanup parsers', () => {
  it('reads the Overall RMS trough of every band, per input (the last line of each meter wins)', () => {
    const stderr = [
      '[astats@hum0f50 @ 0x1] Channel: 1',
      '[astats@hum0f50 @ 0x1] RMS trough dB: -40.000000',
      '[astats@hum0f50 @ 0x1] Overall',
      '[astats@hum0f50 @ 0x1] RMS trough dB: -37.154897',
      '[astats@hum1f60 @ 0x2] RMS trough dB: -inf',
      '[astats@hum7f60 @ 0x2] RMS trough dB: -10',
    ].join('\n');
    const t = parseHumTroughs(stderr, 2);
    expect(t[0]!.get(50)).toBe(-37.154897);
    expect(t[1]!.get(60)).toBe(Number.NEGATIVE_INFINITY);
    expect(t).toHaveLength(2);
  });
  it('reads one level per frame from ametadata’s file, -inf for digital silence', () => {
    const text = 'frame:0    pts:0       pts_time:0\nlavfi.astats.Overall.RMS_level=-54.898774\nframe:1    pts:4410    pts_time:0.1\nlavfi.astats.Overall.RMS_level=-inf\n';
    expect(parseLevels(text)).toEqual([-54.898774, Number.NEGATIVE_INFINITY]);
  });
});
