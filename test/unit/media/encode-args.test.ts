import { describe, expect, it } from 'vitest';
import { encoderProbeArgs, limitedCheckArgs, limiterCurveArgs, probeMeterArgs, programmeSampleEvery, sampleSeconds, aacArgs, cardTextFilters, chapterFrames, fitTitle, clipArgs, clipFrames, concatList, measureArgs, mp3Args, muxArgs, programGraph, thumbnailArgs, wrapTitle, type AudioProgram } from '../../../src/media/encode-args.js';
import { planLoudness } from '../../../src/media/loudness.js';

const takes: AudioProgram = { speech: ['/a/intro.wav', '/a/news.ogg'], crossfade: 1.5, sampleRate: 44100, channels: 1 };
const withMusic: AudioProgram = { ...takes, intro: '/m/in.wav', outro: '/m/out.wav' };
const gain = planLoudness({ integrated: -20, samplePeak: -8 }, { integrated: -16, truePeak: -1 });
const arg = (args: string[], flag: string): string | undefined => args[args.indexOf(flag) + 1];

describe('audio programme', () => {
  it('concatenates takes in order after resampling each to one format', () => {
    expect(programGraph(takes)).toBe(
      '[0:a]aresample=44100,aformat=sample_fmts=fltp:channel_layouts=mono[s0];[1:a]aresample=44100,aformat=sample_fmts=fltp:channel_layouts=mono[s1];[s0][s1]concat=n=2:v=0:a=1[speech];[speech]anull[prog]',
    );
  });
  it('crossfades intro and outro music into the speech', () => {
    const g = programGraph(withMusic);
    expect(g).toContain('[s1][s2]concat=n=2:v=0:a=1[speech]');
    expect(g).toContain('[s0][speech]acrossfade=d=1.5:c1=tri:c2=tri[withintro]');
    expect(g).toContain('[withintro][s3]acrossfade=d=1.5:c1=tri:c2=tri[withoutro]');
    expect(programGraph({ ...withMusic, crossfade: 0 })).toContain('[s0][speech]concat=n=2:v=0:a=1[withintro]');
  });
  it("runs each take's cleanup filters on that take before the join, never on the music", () => {
    const hp = { name: 'highpass', options: { f: 80 } };
    const notch = { name: 'bandreject', options: { f: 50, width_type: 'h', w: 2 } };
    const g = programGraph({ ...withMusic, speechFilters: [[hp], [hp, notch]] });
    expect(g).toContain('[0:a]aresample=44100,aformat=sample_fmts=fltp:channel_layouts=mono[s0]');
    expect(g).toContain('[1:a]aresample=44100,aformat=sample_fmts=fltp:channel_layouts=mono,highpass=f=80[s1]');
    expect(g).toContain('[2:a]aresample=44100,aformat=sample_fmts=fltp:channel_layouts=mono,highpass=f=80,bandreject=f=50:width_type=h:w=2[s2]');
    expect(g).toContain('[3:a]aresample=44100,aformat=sample_fmts=fltp:channel_layouts=mono[s3]');
    expect(programGraph({ ...takes, speechFilters: [[], []] })).toBe(programGraph(takes));
  });
  it('measures pauses, loudness (sample peak, no true peak) and each input level in one pass to a null output', () => {
    const args = measureArgs(withMusic);
    expect(args.filter((a) => a === '-i')).toHaveLength(4);
    expect(arg(args, '-filter_complex')).toMatch(/volumedetect@in3\[s3\]/);
    expect(arg(args, '-filter_complex')).toMatch(/\[prog\]silencedetect=noise=-35dB:d=0\.4,ebur128=peak=sample:framelog=verbose\[out\]$/);
    expect(args.slice(-3)).toEqual(['-f', 'null', '-']);
  });
  it('writes the loudness sample in the same pass: 10 s of every `every` seconds, as float WAV', () => {
    const args = measureArgs(withMusic, { meter: "/w/it's meter.txt", sample: '/w/sample.wav', every: 150 });
    const g = arg(args, '-filter_complex');
    expect(g).toContain('[prog]asplit=2[an][sm];');
    expect(g).toContain("ebur128@prog=metadata=1:framelog=verbose:peak=sample,ametadata=mode=print:key=lavfi.r128.I:file=\\'/w/it\\'\\\\\\'\\'s meter.txt\\'[out]");
    expect(g).toContain("[sm]aselect=expr=\\'lt(mod(t\\,150)\\,10)\\',asetpts=expr=N/SR/TB[sample]");
    expect(args.slice(-8)).toEqual(['-map', '[sample]', '-c:a', 'pcm_f32le', '-f', 'wav', '-y', '/w/sample.wav']);
    expect(arg(measureArgs(withMusic, { meter: '/m', sample: '/s.wav', every: undefined }), '-filter_complex')).toContain('[sm]anull[sample]');
  });
  it('samples long programmes only: twelve chunks of 10 s, and knows how long the sample is', () => {
    expect(programmeSampleEvery(150)).toBeUndefined();
    expect(programmeSampleEvery(3600)).toBe(300);
    expect(sampleSeconds(3600, 300)).toBe(120);
    expect(sampleSeconds(100, undefined)).toBe(100);
    // 620 s every 51.666 s: 12 whole periods (120 s) + the last 0.008 s.
    expect(sampleSeconds(620, programmeSampleEvery(620))).toBeCloseTo(120.008, 2);
  });
});

describe('loudness probes (on the sample WAV)', () => {
  const plan = planLoudness({ integrated: -22, samplePeak: -2 }, { integrated: -16, truePeak: -1 });
  it('meters the limiter curve: the sample raw and after each gain + limiter, every branch to a null output', () => {
    const args = limiterCurveArgs('/w/s.wav', [plan, { ...plan, gainDb: 7.5 }], { raw: '/w/r.txt', points: ['/w/0.txt', '/w/1.txt'] });
    const g = arg(args, '-filter_complex');
    expect(g).toMatch(/^\[0:a\]asplit=3\[b0\]\[b1\]\[b2\];\[b0\]ebur128@raw=metadata=1:framelog=verbose,ametadata=[^;]*file=\/w\/r\.txt\[o0\];/);
    expect(g).toContain('[b2]volume=volume=7.50dB,alimiter=limit=0.7943:level=0:attack=5:release=50,ebur128@c1=');
    expect(args.filter((a) => a === 'null')).toHaveLength(3);
    expect(args.filter((a) => /^\[o\d\]$/.test(a))).toEqual(['[o0]', '[o1]', '[o2]']);
  });
  it('probes the encoders on 30 s of the sample, with the same codec arguments as the MP3 and the AAC', () => {
    const args = encoderProbeArgs(takes, { path: '/w/s.wav', seconds: 120 }, plan, 96, { check: '/w/c.txt', pre: '/w/p.txt', mp3: '/w/p.mp3', aac: '/w/p.m4a' });
    const g = arg(args, '-filter_complex');
    expect(g).toContain('ebur128@check=metadata=1:framelog=verbose:peak=sample+true');
    expect(g).toContain("[sub]aselect=expr=\\'lt(mod(t\\,40)\\,10)\\',asetpts=expr=N/SR/TB,asplit=outputs=3[pre][mp3in][aacin]");
    const mp3At = args.indexOf('/w/p.mp3');
    const real = mp3Args(takes, plan, 96, '/o/x.mp3');
    const codec = (list: string[], from: number): string[] => list.slice(from, from + 8);
    expect(codec(args, args.indexOf('libmp3lame') - 1)).toEqual(codec(real, real.indexOf('libmp3lame') - 1));
    expect(args[mp3At - 3]).toBe('-f');
    const aacReal = aacArgs(takes, plan, '/o/a.m4a');
    expect(codec(args, args.lastIndexOf('-c:a'))).toEqual(codec(aacReal, aacReal.indexOf('-c:a')));
    expect(encoderProbeArgs(takes, { path: '/w/s.wav', seconds: 25 }, plan, 96, { check: '/c', pre: '/p', aac: '/w/p.m4a' })).not.toContain('libmp3lame');
  });
  it('splits the curve and the check off into processes of their own (one per core): no raw branch, no check branch', () => {
    const rest = limiterCurveArgs('/w/s.wav', [plan, { ...plan, gainDb: 7.5 }], { points: ['/w/0.txt', '/w/1.txt'] });
    expect(arg(rest, '-filter_complex')).toMatch(/^\[0:a\]asplit=2\[b0\]\[b1\];\[b0\]volume=/);
    expect(arg(rest, '-filter_complex')).not.toContain('@raw');
    expect(rest.filter((a) => a === 'null')).toHaveLength(2);
    const probe = encoderProbeArgs(takes, { path: '/w/s.wav', seconds: 120 }, plan, 96, { pre: '/w/p.txt', mp3: '/w/p.mp3', aac: '/w/p.m4a' });
    const g = arg(probe, '-filter_complex');
    expect(g).not.toContain('@check');
    expect(g).toMatch(/^\[0:a\]volume=volume=6\.00dB,alimiter=[^,]*:release=50,aselect=[^;]*asplit=outputs=3\[pre\]\[mp3in\]\[aacin\];\[pre\]ebur128@pre=/);
    expect(probe.filter((a) => a === 'null')).toHaveLength(1);
    const check = limitedCheckArgs('/w/s.wav', plan, '/w/c.txt');
    expect(arg(check, '-filter_complex')).toMatch(/^\[0:a\]volume=volume=6\.00dB,alimiter=[^,]*:release=50,ebur128@check=metadata=1:framelog=verbose:peak=sample\+true,ametadata=[^;]*file=\/w\/c\.txt\[o0\]$/);
  });
  it('meters the encoded probes, each to a null output', () => {
    const args = probeMeterArgs([
      { name: 'mp3', path: '/w/p.mp3', meter: '/w/m.txt' },
      { name: 'aac', path: '/w/p.m4a', meter: '/w/a.txt' },
    ]);
    expect(arg(args, '-filter_complex')).toContain('[1:a]ebur128@aac=metadata=1:framelog=verbose:peak=true');
    expect(args.filter((a) => a === 'null')).toHaveLength(2);
  });
});

describe('encodes', () => {
  it('MP3: CBR libmp3lame at the bitrate, gain in the graph, no ffmpeg ID3 (node-id3 writes it)', () => {
    const args = mp3Args(takes, gain, 128, '/o/x.mp3');
    expect(arg(args, '-c:a')).toBe('libmp3lame');
    expect(arg(args, '-b:a')).toBe('128k');
    expect(arg(args, '-ar')).toBe('44100');
    expect(arg(args, '-id3v2_version')).toBe('0');
    expect(arg(args, '-filter_complex')).toMatch(/\[prog\]volume=4\.00dB\[out\]$/);
    expect(args.at(-1)).toBe('/o/x.mp3');
  });
  it('AAC: LC at 48 kHz for YouTube', () => {
    const args = aacArgs(takes, gain, '/w/a.m4a');
    expect(arg(args, '-profile:a')).toBe('aac_low');
    expect(arg(args, '-ar')).toBe('48000');
    expect(arg(args, '-filter_complex')).toMatch(/aresample=48000\[out\]$/);
  });
  it('still clip: H.264 High yuv420p, one closed GOP without B-frames, stillimage tune', () => {
    const args = clipArgs({ image: '/v/a.png', frames: 60, fps: 1, size: { width: 1920, height: 1080 } }, '/w/c.mp4');
    expect(arg(args, '-profile:v')).toBe('high');
    expect(arg(args, '-pix_fmt')).toBe('yuv420p');
    expect(arg(args, '-tune')).toBe('stillimage');
    expect(arg(args, '-g')).toBe('60');
    expect(arg(args, '-bf')).toBe('0');
    expect(arg(args, '-x264-params')).toBe('open-gop=0:scenecut=0');
    expect(arg(args, '-frames:v')).toBe('60');
    expect(arg(args, '-vf')).toMatch(/force_original_aspect_ratio=decrease,pad=1920:1080/);
    expect(arg(args, '-vf')).toMatch(/,loop=loop=59:size=1:start=0$/);
    expect(args).not.toContain('-loop');
  });
  it('title card: escaped title, expansion off, font path escaped', () => {
    const filters = cardTextFilters({ title: `It's 100% "x": a\\b;c [d] ,e`, kicker: 'Show', font: "/fonts/it's:here.ttf" }, { width: 1920, height: 1080 });
    expect(filters).toHaveLength(2);
    for (const f of filters) {
      expect(f).toContain("fontfile=\\'/fonts/it\\'\\\\\\'\\'s:here.ttf\\'");
      expect(f).toContain('expansion=none');
    }
    expect(filters[1]).toContain("text=\\'It\\'\\\\\\'\\'s 100% \"x\": a\\\\b\\;c \\[d\\] \\,e\\'");
  });
  it('wraps long titles and ellipsises beyond three lines', () => {
    expect(wrapTitle('Superpositions & Transformers', 20)).toEqual(['Superpositions &', 'Transformers']);
    // A long title is drawn smaller rather than cut, down to 60 % of the size; only then cut.
    const title = 'Overfitting in superposition and a compiler for Transformers';
    const fitted = fitTitle(title, { width: 1280, height: 720 }, 1 / 8);
    expect(fitted.lines.join(' ')).toBe(title);
    expect(fitted.lines.length).toBeLessThanOrEqual(3);
    expect(fitted.titleSize).toBeLessThan(90);
    expect(fitted.titleSize).toBeGreaterThanOrEqual(54);
    expect(fitTitle('short', { width: 1280, height: 720 }, 1 / 8).titleSize).toBe(90);
    const huge = fitTitle('word '.repeat(80), { width: 1280, height: 720 }, 1 / 8);
    expect(huge.lines).toHaveLength(3);
    expect(huge.lines[2]).toMatch(/…$/);
    expect(wrapTitle('one two three four five six seven eight', 9)).toEqual(['one two', 'three', 'four…']);
  });
  it('thumbnail: 1280×720, one JPEG frame', () => {
    const args = thumbnailArgs('/bg.png', { title: 'T', font: '/f.ttf' }, '/o/t.jpg');
    expect(arg(args, '-vf')).toMatch(/^scale=1280:720:force_original_aspect_ratio=increase,crop=1280:720/);
    expect(arg(args, '-frames:v')).toBe('1');
  });
});

describe('video assembly', () => {
  const chapters = [
    { id: 'a', title: 'A', startTime: 0, endTime: 130.4 },
    { id: 'b', title: 'B', startTime: 130.4, endTime: 140 },
  ];
  it('frames per chapter add up on the absolute grid', () => {
    expect(chapterFrames(chapters[0]!, 1) + chapterFrames(chapters[1]!, 1, true)).toBe(140);
    // The video never runs past the audio's end (20.86 s → 20 frames at 1 fps).
    expect(chapterFrames({ id: 'z', title: 'Z', startTime: 10, endTime: 20.86 }, 1, true)).toBe(10);
    expect(clipFrames(3600, 1)).toBe(60);
    expect(clipFrames(12.2, 1)).toBe(13);
  });
  it('repeats each clip to its chapter length and cuts the rest with outpoint', () => {
    const list = concatList(chapters, [
      { path: "/w/c'0.mp4", frames: 60 },
      { path: '/w/c1.mp4', frames: 60 },
    ], 1);
    expect(list).toBe(
      "ffconcat version 1.0\nfile '/w/c'\\''0.mp4'\nfile '/w/c'\\''0.mp4'\nfile '/w/c'\\''0.mp4'\noutpoint 10.000000\nfile '/w/c1.mp4'\noutpoint 10.000000\n",
    );
  });
  it('mux: stream copy, chapters from ffmetadata, exact -t, faststart', () => {
    const args = muxArgs({ concatList: '/w/v.ffconcat', aac: '/w/a.m4a', ffmetadata: '/w/m.txt', durationSeconds: 12.3456 }, '/o/x.mp4');
    expect(arg(args, '-c')).toBe('copy');
    expect(arg(args, '-map_chapters')).toBe('2');
    expect(arg(args, '-t')).toBe('12.346');
    expect(arg(args, '-movflags')).toBe('+faststart');
    expect(args).not.toContain('-shortest');
  });
});
