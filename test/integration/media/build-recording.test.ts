import { requireTool } from '../../helpers/cli.js';
import { describe, expect, it } from 'vitest';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { probeMedia } from '../../../src/media/ffmpeg/probe.js';
import { fixturePath } from '../../fixtures/media/registry.mjs';
import { EPISODE, buildTestEpisode, expectOnTarget, makeMediaShow } from './media-show.js';

const mp4Path = (root: string): string => join(root, 'dist', 'episodes', EPISODE, `${EPISODE}.mp4`);

/** Probed length of a fixture, seconds. */
async function lengthOf(name: string): Promise<number> {
  return Number((await probeMedia(fixturePath(name))).format.duration);
}

describe.skipIf(!requireTool('espeak-ng'))('castline build: one recording', () => {
  it('estimates chapters from word counts, snapped into the pauses between sections (stereo 48 kHz FLAC in, mono 44.1 kHz out)', async () => {
    const show = await makeMediaShow({ 'recording.flac': 'recording.flac' });
    try {
      const { record } = await buildTestEpisode(show.root);
      expect(record.chaptersEstimated).toBe(true);
      // The recording is take-intro, 1.5 s pause, take-news, 1.5 s pause, take-outro (each take ends in 0.3 s of silence).
      const intro = await lengthOf('take-intro.wav');
      const news = await lengthOf('take-news.wav');
      const [, c1, c2] = record.chapters;
      expect(c1?.startTime).toBeGreaterThanOrEqual(intro - 0.35);
      expect(c1?.startTime).toBeLessThanOrEqual(intro + 1.5);
      expect(c2?.startTime).toBeGreaterThanOrEqual(intro + 1.5 + news - 0.35);
      expect(c2?.startTime).toBeLessThanOrEqual(intro + 1.5 + news + 1.5);
      const mp3 = await probeMedia(join(show.root, record.outputs.mp3.path));
      expect(mp3.streams[0]?.sample_rate).toBe('44100');
      expect(mp3.streams[0]?.channels).toBe(1);
      expect(Math.abs(Number(mp3.format.duration) - record.durationSeconds)).toBeLessThan(0.05);
    } finally {
      await show.cleanup();
    }
  });

  it('takes chapters from Audacity labels exactly, with intro and outro music crossfaded', async () => {
    const show = await makeMediaShow({ 'recording.flac': 'recording.flac' });
    try {
      await copyFile(fixturePath('intro-music.wav'), join(show.root, 'assets', 'music.wav'));
      const yaml = (await readFile(join(show.root, 'show.yaml'), 'utf8')).replace('audio:\n', 'audio:\n  intro: assets/music.wav\n  outro: assets/music.wav\n  crossfade: 1\n');
      await writeFile(join(show.root, 'show.yaml'), yaml);
      await writeFile(join(show.episodeDir, 'audio', 'labels.txt'), '0.000000\t0.000000\tintro\n5.250000\t5.250000\tnews\n12.500000\t12.500000\tSign-off & thanks\n');
      const { record } = await buildTestEpisode(show.root);
      const speech = await lengthOf('recording.flac');
      // 3 s music − 1 s overlap on each side.
      expect(record.durationSeconds).toBeCloseTo(speech + 2 * (3 - 1), 1);
      expect(record.chaptersEstimated).toBe(false);
      expect(record.chapters.map((c) => [c.id, c.title, c.startTime])).toEqual([
        ['intro', 'Welcome', 0],
        ['news', 'It\'s 100% "news": a\\b;c [d] ,e', 7.25],
        ['sign-off-thanks', 'Sign-off & thanks', 14.5],
      ]);
      const mp4 = await probeMedia(join(show.root, 'dist', 'episodes', EPISODE, `${EPISODE}.mp4`));
      expect(mp4.chapters.map((c) => Number(c.start_time))).toEqual([0, 7.25, 14.5]);
      expect(Math.abs(Number(mp4.format.duration) - record.durationSeconds)).toBeLessThanOrEqual(0.1);
      expectOnTarget(join(show.root, record.outputs.mp3.path));
      expectOnTarget(mp4Path(show.root));
    } finally {
      await show.cleanup();
    }
  });

  it('reaches the target with a quiet, peaky recording (limiter + gain correction), true peak under the ceiling', async () => {
    const show = await makeMediaShow({ 'recording.wav': 'quiet-peaky.wav' });
    try {
      const { record } = await buildTestEpisode(show.root);
      expect(record.loudness.gainDb).toBeGreaterThan(10);
      // 2 ms clicks at 0.95 over a -30 dBFS tone: the limiter pulls peaks down ~25 dB, and
      // each encoder's loss and overshoot are measured on the sample, not guessed.
      expectOnTarget(join(show.root, 'dist', 'episodes', EPISODE, `${EPISODE}.mp4`));
      expectOnTarget(join(show.root, record.outputs.mp3.path));
    } finally {
      await show.cleanup();
    }
  });
});
