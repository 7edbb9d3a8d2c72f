import { requireTool } from '../../helpers/cli.js';
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { probeMedia } from '../../../src/media/ffmpeg/probe.js';
import { getBinaries } from '../../../src/media/ffmpeg/binaries.js';
import { CAMERA, fixturePath } from '../../fixtures/media/registry.mjs';
import { EPISODE, SCRIPT, buildTestEpisode, ebur128Of, makeMediaShow } from './media-show.js';
import { loadValidShow } from '../../../src/config/load-show.js';
import { readEpisodeInputs } from '../../../src/pipeline/read-episode-inputs.js';
import { buildEpisode } from '../../../src/pipeline/build-episode.js';
import type { EncodeProgress } from '../../../src/pipeline/encode-progress.js';

/**
 * Camera recordings (issue 15), built from generated fixtures (test/fixtures/media/registry.mjs:
 * testsrc2 pictures with a marker box that turns black → white at CAMERA.switchAt, espeak-ng
 * speech at CAMERA.speechAt; a "microphone" with the same speech at CAMERA.micSpeechAt, other
 * EQ, a noise floor). Everything is measured on the outputs with ffmpeg/ffprobe.
 */

// Camera episodes encode video: on a shared 2-core machine (load 15+) one build takes minutes.
const mp4Of = (root: string): string => join(root, 'dist', 'episodes', EPISODE, `${EPISODE}.mp4`);

async function setVideo(root: string, settings: string): Promise<void> {
  const yaml = await readFile(join(root, 'show.yaml'), 'utf8');
  await writeFile(join(root, 'show.yaml'), yaml.replace(/video:\n {2}width: 1920\n {2}height: 1080\n/, `video:\n${settings}`));
}

/** A region of one frame at `t` as raw RGB bytes (w×h at x,y of a frame scaled to `scale`). */
function region(file: string, t: number, crop: { x: number; y: number; w: number; h: number }, scale?: { width: number; height: number }): Buffer {
  const vf = [...(scale ? [`scale=${scale.width}:${scale.height}`] : []), `crop=${crop.w}:${crop.h}:${crop.x}:${crop.y}`].join(',');
  const r = spawnSync(getBinaries().ffmpeg, ['-v', 'error', '-ss', t.toFixed(3), '-i', file, '-frames:v', '1', '-vf', vf, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`frame grab failed: ${String(r.stderr)}`);
  return r.stdout;
}

/** Mean absolute difference of two RGB buffers, 0–255. */
function meanDiff(a: Buffer, b: Buffer): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  return s / a.length;
}

function mean(buf: Buffer): number {
  let s = 0;
  for (const v of buf) s += v;
  return s / buf.length;
}

/** MD5 of a file's first video stream's packets (ffmpeg's md5 muxer over a stream copy). */
function videoPacketsMd5(file: string): string {
  const r = spawnSync(getBinaries().ffmpeg, ['-v', 'error', '-i', file, '-map', '0:v:0', '-c', 'copy', '-f', 'md5', '-'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}


/**
 * Run the test's builds through a wrapper that logs each ffmpeg run's start and end (its
 * arguments), in order; the real ffmpeg is restored afterwards (getBinaries caches the path).
 */
async function withFfmpegLog<T>(dir: string, fn: (log: () => Promise<string[]>) => Promise<T>): Promise<T> {
  const real = getBinaries().ffmpeg;
  const file = join(dir, 'ffmpeg-runs.log');
  const wrapper = join(dir, 'ffmpeg-logged');
  await writeFile(wrapper, `#!/bin/sh\nprintf 'start %s\\n' "$*" >> '${file}'\n'${real}' "$@"\nrc=$?\nprintf 'end %s\\n' "$*" >> '${file}'\nexit $rc\n`);
  await chmod(wrapper, 0o755);
  process.env['CASTLINE_FFMPEG'] = wrapper;
  try {
    return await fn(async () => (await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean));
  } finally {
    process.env['CASTLINE_FFMPEG'] = real;
    getBinaries();
    delete process.env['CASTLINE_FFMPEG'];
  }
}

/** Progress that records which tasks started and which finished (a task that failed never finishes). */
function recordingProgress(): EncodeProgress & { started: string[]; finished: string[] } {
  const started: string[] = [];
  const finished: string[] = [];
  return { started, finished, start: (label) => (started.push(label), { update: () => undefined, finish: () => void finished.push(label) }), close: () => undefined };
}

describe.skipIf(!requireTool('espeak-ng'))('castline build: camera recordings', () => {
  it('shows the camera instead of title cards, with its own sound: as long as the audio, moving, lower thirds at chapter starts', async () => {
    const show = await makeMediaShow({}, { video: { 'camera.mp4': 'camera-720p.mp4' } });
    try {
      await setVideo(show.root, '  width: 640\n  height: 360\n  lowerThirdSeconds: 2\n');
      const { record } = await buildTestEpisode(show.root);
      const mp4 = mp4Of(show.root);
      const probe = await probeMedia(mp4);
      const video = probe.streams.find((s) => s.codec_type === 'video');
      const audio = probe.streams.find((s) => s.codec_type === 'audio');
      expect([video?.width, video?.height, video?.codec_name, video?.profile, video?.pix_fmt]).toEqual([640, 360, 'h264', 'High', 'yuv420p']);
      expect(video?.avg_frame_rate).toBe('30/1');
      // Output duration equals the audio's (the MP3's, measured by ffprobe).
      const mp3 = await probeMedia(join(show.root, record.outputs.mp3.path));
      expect(Math.abs(Number(probe.format.duration) - Number(mp3.format.duration))).toBeLessThanOrEqual(0.1);
      expect(Math.abs(Number(video?.duration) - Number(audio?.duration))).toBeLessThanOrEqual(0.1);
      // Frames change over time: not a still.
      const whole = { x: 0, y: 0, w: 320, h: 180 };
      const small = { width: 320, height: 180 };
      expect(meanDiff(region(mp4, 2, whole, small), region(mp4, 3, whole, small))).toBeGreaterThan(5);
      // The camera's own sound: no sync, no shift; re-encoded because of the lower thirds (and the profile).
      expect(record.camera).toMatchObject({ file: `episodes/${EPISODE}/video/camera.mp4`, offsetSeconds: 0, shiftSeconds: 0, mode: 'encode', lowerThirds: 3 });
      expect(record.camera?.syncedWith).toBeUndefined();
      expect(record.camera?.reasons.join('; ')).toMatch(/lower third/);
      // No labels: the chapters (and so the lower thirds) are estimated from the measured pauses, so the picture waited for the analysis.
      expect(record.camera?.beforeAnalysis).toBe(false);
      // A lower third at a chapter start: the bottom-left band differs from the camera's frame
      // there; once the lower third is over (2 s from half a second in) it matches the camera.
      const chapter = record.chapters[1];
      if (!chapter) throw new Error('no second chapter');
      // The lower third's band (lowerThirdBox at 640×360: text from x 32, y 288, 18 px high).
      const band = { x: 20, y: 280, w: 200, h: 34 };
      const source = fixturePath('camera-720p.mp4');
      const sourceBand = (t: number): Buffer => region(source, t, band, { width: 640, height: 360 });
      const during = chapter.startTime + 1.5;
      const after = chapter.startTime + 3.5;
      expect(after).toBeLessThan(chapter.endTime);
      expect(meanDiff(region(mp4, during, band), sourceBand(during))).toBeGreaterThan(20);
      expect(meanDiff(region(mp4, after, band), sourceBand(after))).toBeLessThan(8);
      const m = ebur128Of(mp4);
      expect(Math.abs(m.integrated - -16)).toBeLessThanOrEqual(0.3);
    } finally {
      await show.cleanup();
    }
  }, 400_000);

  it('lines a separate microphone up with the camera (offset measured within ±20 ms; the picture follows the mic audio)', async () => {
    const show = await makeMediaShow({ 'mic.wav': 'mic.wav' }, { video: { 'camera.mp4': 'camera-720p.mp4' } });
    try {
      await setVideo(show.root, '  width: 640\n  height: 360\n  lowerThirds: false\n');
      const { record } = await buildTestEpisode(show.root);
      const known = CAMERA.speechAt - CAMERA.micSpeechAt;
      expect(record.camera?.syncedWith?.file).toBe(`episodes/${EPISODE}/audio/mic.wav`);
      expect(Math.abs((record.camera?.offsetSeconds ?? Number.NaN) - known)).toBeLessThanOrEqual(0.02);
      expect(record.camera?.confidence).toBeGreaterThan(0.6);
      expect(record.camera?.mode).toBe('encode');
      const mp4 = mp4Of(show.root);
      // The audio is the microphone's: the MP4 is as long as the programme made from mic.wav.
      const micSeconds = Number((await probeMedia(fixturePath('mic.wav'))).format.duration);
      expect(Math.abs(Number((await probeMedia(mp4)).format.duration) - micSeconds)).toBeLessThanOrEqual(0.1);
      // The camera's marker turns white at camera time switchAt = output time switchAt − offset.
      const marker = { x: 10, y: 10, w: 60, h: 60 };
      const at = CAMERA.switchAt - known;
      expect(mean(region(mp4, at - 0.1, marker))).toBeLessThan(40);
      expect(mean(region(mp4, at + 0.1, marker))).toBeGreaterThan(215);
    } finally {
      await show.cleanup();
    }
  }, 400_000);

  it('starts the camera encode at once, beside the analysis, when the lower thirds come from labels; the MP4 is unchanged in length, sync, lower thirds and loudness', async () => {
    const labels = 'text:0.000000\t0.000000\tintro\n6.000000\t6.000000\tnews\n13.000000\t13.000000\toutro\n';
    const show = await makeMediaShow({ 'labels.txt': labels }, { video: { 'camera.mp4': 'camera-720p.mp4' } });
    try {
      await setVideo(show.root, '  width: 640\n  height: 360\n  lowerThirdSeconds: 2\n');
      const { record, runs } = await withFfmpegLog(show.root, async (log) => ({ ...(await buildTestEpisode(show.root)), runs: await log() }));
      expect(record.camera).toMatchObject({ mode: 'encode', lowerThirds: 3, beforeAnalysis: true });
      // The order ffmpeg was started in: the x264 encode of the picture (it draws the lower
      // thirds) before the programme's analysis (silencedetect + ebur128) started, let alone ended.
      const at = (what: 'start' | 'end', test: (args: string) => boolean): number => runs.findIndex((l) => l.startsWith(`${what} `) && test(l));
      const isPicture = (l: string): boolean => l.includes('libx264') && l.includes('drawtext');
      const isAnalysis = (l: string): boolean => l.includes('silencedetect') && l.includes('ebur128');
      expect(at('start', isPicture)).toBeGreaterThanOrEqual(0);
      expect(at('end', isAnalysis)).toBeGreaterThanOrEqual(0);
      expect(at('start', isPicture)).toBeLessThan(at('start', isAnalysis));
      // One picture encode: the early one stood once the audio was measured.
      expect(runs.filter((l) => l.startsWith('start ') && isPicture(l))).toHaveLength(1);
      // Chapters exactly at the labels; the MP4 as long as the audio (MP3 and its own audio stream).
      const mp4 = mp4Of(show.root);
      const news = record.chapters[1];
      if (!news) throw new Error('no second chapter');
      expect(news.startTime).toBeCloseTo(6, 3);
      const probe = await probeMedia(mp4);
      const video = probe.streams.find((st) => st.codec_type === 'video');
      const audio = probe.streams.find((st) => st.codec_type === 'audio');
      const mp3 = await probeMedia(join(show.root, record.outputs.mp3.path));
      expect(Math.abs(Number(probe.format.duration) - Number(mp3.format.duration))).toBeLessThanOrEqual(0.1);
      expect(Math.abs(Number(video?.duration) - Number(audio?.duration))).toBeLessThanOrEqual(0.1);
      // In sync: the camera's marker turns white at its own second (the camera's sound, no shift).
      const marker = { x: 10, y: 10, w: 60, h: 60 };
      expect(mean(region(mp4, CAMERA.switchAt - 0.1, marker, { width: 640, height: 360 }))).toBeLessThan(40);
      expect(mean(region(mp4, CAMERA.switchAt + 0.1, marker, { width: 640, height: 360 }))).toBeGreaterThan(215);
      // The lower third over the news chapter's start, gone 2 s later.
      const band = { x: 20, y: 280, w: 200, h: 34 };
      const sourceBand = (t: number): Buffer => region(fixturePath('camera-720p.mp4'), t, band, { width: 640, height: 360 });
      expect(meanDiff(region(mp4, 7.5, band), sourceBand(7.5))).toBeGreaterThan(20);
      expect(meanDiff(region(mp4, 9.5, band), sourceBand(9.5))).toBeLessThan(8);
      // Loudness of the MP4 as published (measured here by ffmpeg, not castline), and as build.json records it (measured on its AAC).
      const m = ebur128Of(mp4);
      expect(Math.abs(m.integrated - -16)).toBeLessThanOrEqual(0.3);
      expect(Math.abs((record.loudness.mp4Integrated ?? Number.NaN) - m.integrated)).toBeLessThanOrEqual(0.3);
    } finally {
      await show.cleanup();
    }
  }, 400_000);

  it('stops the camera encode it started beside the analysis when the analysis fails, and reports the analysis\'s error', async () => {
    const show = await makeMediaShow({}, {});
    try {
      // 30 s of picture with a silent sound track: the analysis fails, the picture would take far longer.
      const camera = join(show.episodeDir, 'video', 'camera.mp4');
      await (await import('node:fs/promises')).mkdir(join(show.episodeDir, 'video'), { recursive: true });
      const made = spawnSync(getBinaries().ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=320x180:r=30:d=30', '-f', 'lavfi', '-i', 'anullsrc=r=48000:cl=mono', '-t', '30', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-y', camera]);
      expect(made.status, String(made.stderr)).toBe(0);
      await setVideo(show.root, '  width: 1280\n  height: 720\n  lowerThirds: false\n');
      const loaded = await loadValidShow(show.root);
      const episode = loaded.episodes.find((e) => e.id === EPISODE);
      if (!episode) throw new Error('no test episode');
      const read = await readEpisodeInputs(loaded, episode, async () => SCRIPT);
      if (read.status !== 'ready') throw new Error('not recorded');
      const progress = recordingProgress();
      const error = await buildEpisode({ show: loaded, inputs: read.inputs, force: false, progress, buildCaptions: undefined }).then(
        () => undefined,
        (e: unknown) => e as { code?: string; message?: string },
      );
      expect(error?.code).toBe('silent-audio');
      expect(error?.message).toMatch(/video\/camera\.mp4 is (silent|too quiet)/);
      // The picture encode was started and never finished: it was killed, not run to its end.
      expect(progress.started).toContain(`${EPISODE} camera video`);
      expect(progress.finished).not.toContain(`${EPISODE} camera video`);
      expect(existsSync(mp4Of(show.root))).toBe(false);
    } finally {
      await show.cleanup();
    }
  }, 400_000);

  it('stream-copies a camera file that is already YouTube\'s H.264 when nothing is drawn over it', async () => {
    const show = await makeMediaShow({}, { video: { 'camera.mp4': 'camera-1080p-yt.mp4' } });
    try {
      await setVideo(show.root, '  width: 1920\n  height: 1080\n  lowerThirds: false\n');
      const { record } = await buildTestEpisode(show.root);
      expect(record.camera?.mode).toBe('copy');
      expect(record.camera?.reasons).toEqual([]);
      const mp4 = mp4Of(show.root);
      // Every packet of the camera's video, unchanged.
      expect(videoPacketsMd5(mp4)).toBe(videoPacketsMd5(fixturePath('camera-1080p-yt.mp4')));
    } finally {
      await show.cleanup();
    }
  }, 400_000);

  it('honours rotation metadata (an upright phone recording is pillarboxed) and makes a variable-frame-rate MKV constant', async () => {
    const show = await makeMediaShow({}, { video: { 'phone.mov': 'camera-rotated.mov' } });
    try {
      await setVideo(show.root, '  width: 640\n  height: 360\n  lowerThirds: false\n');
      const { record } = await buildTestEpisode(show.root);
      expect(record.camera?.reasons.join('; ')).toMatch(/rotated 90°/);
      const mp4 = mp4Of(show.root);
      // Shown 1080×1920 fitted into 640×360: 202 px wide in the middle, black either side.
      expect(mean(region(mp4, 2, { x: 0, y: 0, w: 200, h: 360 }))).toBeLessThan(3);
      expect(mean(region(mp4, 2, { x: 440, y: 0, w: 200, h: 360 }))).toBeLessThan(3);
      expect(mean(region(mp4, 2, { x: 230, y: 0, w: 180, h: 360 }))).toBeGreaterThan(40);
    } finally {
      await show.cleanup();
    }
    const vfr = await makeMediaShow({}, { video: { 'obs.mkv': 'camera-vfr.mkv' } });
    try {
      await setVideo(vfr.root, '  width: 640\n  height: 360\n  lowerThirds: false\n');
      const { record } = await buildTestEpisode(vfr.root);
      const probe = await probeMedia(mp4Of(vfr.root));
      const video = probe.streams.find((s) => s.codec_type === 'video') as { avg_frame_rate?: string; nb_frames?: string; duration?: string } | undefined;
      expect(video?.avg_frame_rate).toBe('30/1');
      expect(Math.abs(Number(video?.nb_frames) - Number(video?.duration) * 30)).toBeLessThanOrEqual(2);
      expect(Math.abs(Number(probe.format.duration) - record.durationSeconds)).toBeLessThanOrEqual(0.1);
    } finally {
      await vfr.cleanup();
    }
  }, 400_000);

  const bad: { name: string; audio: Record<string, string>; video: Record<string, string>; code: string; message: RegExp }[] = [
    { name: 'a camera file with no sound and no recording', audio: {}, video: { 'camera.mp4': 'camera-silent.mp4' }, code: 'camera-no-audio', message: /video\/camera\.mp4 has no sound, and episodes\/[^ ]+\/audio\/ has no recording/ },
    { name: 'a camera file cut short', audio: {}, video: { 'camera.mp4': 'camera-truncated.mp4' }, code: 'video-corrupt', message: /video\/camera\.mp4 is a damaged video: it does not decode at \d+\.\d s/ },
    { name: 'a microphone recording of something else', audio: { 'mic.wav': 'mic-other.wav' }, video: { 'camera.mp4': 'camera-720p.mp4' }, code: 'camera-sync-failed', message: /audio\/mic\.wav does not match the sound of episodes\/[^ ]+\/video\/camera\.mp4/ },
    { name: 'two camera files', audio: {}, video: { 'a.mp4': 'camera-720p.mp4', 'b.mkv': 'camera-vfr.mkv' }, code: 'camera-ambiguous', message: /holds 2 video files \(a\.mp4, b\.mkv\)/ },
  ];
  for (const c of bad) {
    it(`stops with a clear error and writes nothing: ${c.name}`, async () => {
      const show = await makeMediaShow(c.audio, { video: c.video });
      try {
        await setVideo(show.root, '  width: 640\n  height: 360\n');
        const error = await buildTestEpisode(show.root).then(
          () => undefined,
          (e: unknown) => e as { code?: string; message?: string; hint?: string },
        );
        expect(error?.code).toBe(c.code);
        expect(error?.message).toMatch(c.message);
        expect(error?.hint).toBeTruthy();
        expect(existsSync(mp4Of(show.root))).toBe(false);
        expect(existsSync(join(show.root, 'dist', 'episodes', EPISODE, `${EPISODE}.mp3`))).toBe(false);
      } finally {
        await show.cleanup();
      }
    }, 400_000);
  }

  it('a video as a section visual (visuals/<id>.mp4): moving in its chapter, looped to its length, its sound dropped; title cards elsewhere', async () => {
    const show = await makeMediaShow({ 'intro.wav': 'take-intro.wav', 'news.wav': 'take-news.wav', 'outro.wav': 'take-outro.wav' }, { visuals: { 'news.mp4': 'broll.mp4' } });
    try {
      await setVideo(show.root, '  width: 640\n  height: 360\n');
      await writeFile(join(show.root, 'show.yaml'), (await readFile(join(show.root, 'show.yaml'), 'utf8')).replace('  fps: 1\n', '  fps: 10\n'));
      const { record } = await buildTestEpisode(show.root);
      const mp4 = mp4Of(show.root);
      const [intro, news] = record.chapters;
      if (!intro || !news) throw new Error('chapters missing');
      const whole = { x: 0, y: 0, w: 640, h: 360 };
      // The B-roll moves (and, being 3 s long, is looped through the ~5 s chapter); the intro's title card does not.
      expect(meanDiff(region(mp4, news.startTime + 0.5, whole), region(mp4, news.startTime + 1.5, whole))).toBeGreaterThan(5);
      expect(news.endTime - news.startTime).toBeGreaterThan(3.5);
      expect(meanDiff(region(mp4, news.startTime + 0.5, whole), region(mp4, news.startTime + 3.5, whole))).toBeLessThan(3);
      expect(meanDiff(region(mp4, intro.startTime + 0.5, whole), region(mp4, intro.startTime + 2, whole))).toBeLessThan(1);
      const probe = await probeMedia(mp4);
      expect(probe.streams.filter((s) => s.codec_type === 'audio')).toHaveLength(1);
      expect(Math.abs(Number(probe.format.duration) - record.durationSeconds)).toBeLessThanOrEqual(0.1);
      // The programme is the takes alone: the B-roll's 440 Hz tone is not in it (loudness on target as without it).
      expect(Math.abs(ebur128Of(mp4).integrated - -16)).toBeLessThanOrEqual(0.3);
    } finally {
      await show.cleanup();
    }
  }, 400_000);
});
