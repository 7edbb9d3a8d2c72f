import { describe, expect, it } from 'vitest';
import { cameraMuxArgs, cameraVideoArgs, cameraVideoChain, copyBlockers, describeCamera, lowerThirdFilters, pictureStands, planCameraVideo, planLowerThirds, type CameraStream } from '../../../src/media/camera-args.js';
import type { ProbeResult } from '../../../src/media/ffmpeg/probe.js';
import { buildFluentCommand } from '../../../src/media/ffmpeg/build-fluent-command.js';

const HD = { width: 1920, height: 1080 };

function probe(video: Record<string, unknown>, audio = true): ProbeResult {
  return {
    streams: [{ index: 0, codec_type: 'video', codec_name: 'h264', profile: 'High', pix_fmt: 'yuv420p', width: 1920, height: 1080, r_frame_rate: '30/1', avg_frame_rate: '30/1', ...video } as ProbeResult['streams'][number], ...(audio ? [{ index: 1, codec_type: 'audio' }] : [])],
    format: { duration: '60' },
    chapters: [],
  };
}

const yt: CameraStream = describeCamera(probe({})) as CameraStream;

describe('describeCamera', () => {
  it('reads size, rate and sound; a quarter turn swaps the shown size', () => {
    expect(yt).toMatchObject({ width: 1920, height: 1080, rotation: 0, rate: '30/1', fps: 30, variableRate: false, hasAudio: true });
    const phone = describeCamera(probe({ tags: { rotate: '90' } }, false));
    expect(phone).toMatchObject({ width: 1080, height: 1920, codedWidth: 1920, rotation: 90, hasAudio: false });
    const matrix = describeCamera(probe({ side_data_list: [{ side_data_type: 'Display Matrix', rotation: -90 }] }));
    expect(matrix).toMatchObject({ width: 1080, height: 1920, rotation: 270 });
  });
  it('makes a variable-rate file constant at its average rate, rounded; NTSC rates stay exact', () => {
    expect(describeCamera(probe({ r_frame_rate: '60/1', avg_frame_rate: '28891/1000' }))).toMatchObject({ variableRate: true, rate: '29/1' });
    expect(describeCamera(probe({ r_frame_rate: '30000/1001', avg_frame_rate: '30000/1001' }))).toMatchObject({ variableRate: false, rate: '30000/1001' });
    expect(describeCamera(probe({ r_frame_rate: '120/1', avg_frame_rate: '120/1' }))).toMatchObject({ rate: '60/1', fps: 60 });
  });
  it('has no picture without a video stream (cover art does not count)', () => {
    expect(describeCamera({ streams: [{ index: 0, codec_type: 'audio' }], format: {}, chapters: [] })).toBeUndefined();
    expect(describeCamera(probe({ disposition: { attached_pic: 1 } }))).toBeUndefined();
  });
});

describe('copy or re-encode', () => {
  it('copies H.264 High 4:2:0 at the asked size, unrotated, constant rate, unshifted, nothing drawn', () => {
    expect(copyBlockers(yt, HD)).toEqual([]);
    expect(planCameraVideo(yt, HD, 0, 0)).toEqual({ mode: 'copy', reasons: [], shift: 0 });
  });
  it('re-encodes and says why', () => {
    const base = describeCamera(probe({ profile: 'Constrained Baseline', pix_fmt: 'yuv422p', width: 1280, height: 720 })) as CameraStream;
    expect(copyBlockers(base, HD)).toEqual(['H.264 Constrained Baseline, not High Profile', 'yuv422p pixels, not 4:2:0 (yuv420p)', '1280×720, not video.width×height 1920×1080']);
    expect(copyBlockers(describeCamera(probe({ codec_name: 'vp9', profile: 'Profile 0' })) as CameraStream, HD)).toEqual(["the camera's video is vp9, not H.264"]);
    expect(planCameraVideo(yt, HD, 0, 5).reasons).toEqual(['5 lower thirds drawn over it']);
    expect(planCameraVideo(yt, HD, 0.75, 0)).toMatchObject({ mode: 'encode', reasons: ['the picture is shifted 0.750 s to line up with the audio'] });
  });
});

describe('lower thirds', () => {
  const chapters = [
    { id: 'intro', title: 'Welcome', startTime: 0, endTime: 30 },
    { id: 'news', title: 'News', startTime: 30, endTime: 33 },
    { id: 'tiny', title: 'Tiny', startTime: 33, endTime: 33.8 },
    { id: 'outro', title: 'Bye', startTime: 33.8, endTime: 40 },
  ];
  it('from half a second into each chapter, cut by the next chapter or the end, none shorter than a second', () => {
    expect(planLowerThirds(chapters, 5, 37)).toEqual([
      { title: 'Welcome', start: 0.5, end: 5.5 },
      { title: 'News', start: 30.5, end: 33 },
      { title: 'Bye', start: 34.3, end: 37 },
    ]);
  });
  it('a picture made before the audio was measured stands only if it shows the same lower thirds (to half a frame) and covers the measured length', () => {
    // Planned on the estimated length 37.2 s; measured 37.19 s: the last lower third ends 0.01 s earlier, under half a frame at 30 fps.
    const early = { thirds: planLowerThirds(chapters, 5, 37.2), durationSeconds: 37.2 };
    const made = { ...early, until: 37.7 };
    expect(pictureStands(made, { thirds: planLowerThirds(chapters, 5, 37.19), durationSeconds: 37.19 }, 30)).toBe(true);
    // The measured audio is longer than the picture that was encoded.
    expect(pictureStands(made, { thirds: planLowerThirds(chapters, 5, 37.8), durationSeconds: 37.8 }, 30)).toBe(false);
    // The last lower third ends 0.1 s earlier (three frames): drawn differently, made again.
    expect(pictureStands(made, { thirds: planLowerThirds(chapters, 5, 37.1), durationSeconds: 37.1 }, 30)).toBe(false);
    // A chapter title changed, or a lower third more.
    expect(pictureStands(made, { thirds: planLowerThirds([...chapters.slice(0, 3), { id: 'outro', title: 'Goodbye', startTime: 33.8, endTime: 40 }], 5, 37.2), durationSeconds: 37.2 }, 30)).toBe(false);
    expect(pictureStands({ thirds: [], durationSeconds: 37.2, until: 37.7 }, early, 30)).toBe(false);
  });
  it('draws each title escaped as on title cards, expansion off, only in its window', () => {
    const [f] = lowerThirdFilters([{ title: `It's 100% "x": a\\b;c [d] ,e\u0007%{pts}`, start: 1, end: 6 }], "/fonts/it's:here.ttf", HD);
    expect(f).toContain("fontfile=\\'/fonts/it\\'\\\\\\'\\'s:here.ttf\\'");
    expect(f).toContain('expansion=none');
    expect(f).toContain("text=\\'It\\'\\\\\\'\\'s 100% \"x\": a\\\\b\\;c \\[d\\] \\,e %{pts}\\'");
    expect(f).toContain("enable=\\'between(t\\,1.000\\,6.000)\\'");
  });
});

describe('camera command lines', () => {
  const spec = { camera: '/v/cam one.mov', cam: yt, size: HD, overlays: ['drawtext=text=x'], durationSeconds: 61.25, preset: 'veryfast', crf: 20 };
  it('seeks forward for a positive shift, pads the head for a negative one, fits only a different size', () => {
    expect(cameraVideoArgs({ ...spec, shift: 0.75 }, '/w/c.mp4').slice(0, 4)).toEqual(['-ss', '0.750000', '-i', '/v/cam one.mov']);
    expect(cameraVideoChain({ ...spec, shift: -2.5 })).toBe('setpts=PTS-STARTPTS+2.500000/TB,fps=fps=30/1:start_time=0,drawtext=text=x,format=yuv420p');
    expect(cameraVideoChain({ ...spec, shift: 0, cam: { ...yt, width: 1080, height: 1920 } })).toContain('scale=1920:1080:force_original_aspect_ratio=decrease,pad=1920:1080');
  });
  it("encodes YouTube's recommended H.264: High, 4:2:0, closed GOP of half the frame rate, 2 B-frames, the audio's length", () => {
    const args = cameraVideoArgs({ ...spec, shift: 0 }, '/w/c.mp4');
    const arg = (k: string): string | undefined => args[args.indexOf(k) + 1];
    expect([arg('-profile:v'), arg('-pix_fmt'), arg('-g'), arg('-bf'), arg('-x264-params'), arg('-t')]).toEqual(['high', 'yuv420p', '15', '2', 'open-gop=0', '61.250']);
    expect(args).toContain('-an');
    expect(args).not.toContain('-ss');
  });
  it('fluent-ffmpeg runs the lists as built', () => {
    for (const args of [cameraVideoArgs({ ...spec, shift: 1 }, '/w/c.mp4'), cameraMuxArgs({ video: '/w/c.mp4', aac: '/w/a.m4a', ffmetadata: '/w/m.txt', durationSeconds: 10 }, '/o/x.mp4')]) {
      const lastInput = args.lastIndexOf('-i');
      expect(buildFluentCommand(args)._getArguments()).toEqual([...args.slice(0, lastInput + 2), '-y', ...args.slice(lastInput + 2)]);
    }
  });
});
