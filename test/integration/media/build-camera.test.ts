import { requireTool } from '../../helpers/cli.js';
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { probeMedia } from '../../../src/media/ffmpeg/probe.js';
import { getBinaries } from '../../../src/media/ffmpeg/binaries.js';
import { CAMERA, fixturePath } from '../../fixtures/media/registry.mjs';
import { EPISODE, buildTestEpisode, ebur128Of, makeMediaShow } from './media-show.js';

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
      expect(Math.abs(m.integrated - -16)).toBeLessThanOrEqual(0.5);
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
      expect(Math.abs(ebur128Of(mp4).integrated - -16)).toBeLessThanOrEqual(0.5);
    } finally {
      await show.cleanup();
    }
  }, 400_000);
});
