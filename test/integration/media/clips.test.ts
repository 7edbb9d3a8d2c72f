import { requireTool, runCli } from '../../helpers/cli.js';
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { probeMedia } from '../../../src/media/ffmpeg/probe.js';
import { getBinaries } from '../../../src/media/ffmpeg/binaries.js';
import { loadValidShow } from '../../../src/config/load-show.js';
import { EpisodeBuildSchema, type EpisodeBuild } from '../../../src/records/build-record.js';
import { makeClip } from '../../../src/clips/make-clip.js';
import { makeEpisodeClips } from '../../../src/clips/make-episode-clips.js';
import { parseSrt } from '../../../src/clips/plan-clip.js';
import { EPISODE, buildTestEpisode, ebur128Of, makeMediaShow, quietProgress, type MediaShow } from './media-show.js';

/** Clips for social video (issue 15), cut from a built episode (three espeak-ng takes, real captions) and measured. */

function grey(file: string, t: number, crop: { x: number; y: number; w: number; h: number }): Buffer {
  const r = spawnSync(getBinaries().ffmpeg, ['-v', 'error', '-ss', t.toFixed(3), '-i', file, '-frames:v', '1', '-vf', `crop=${crop.w}:${crop.h}:${crop.x}:${crop.y}`, '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], { maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(String(r.stderr));
  return r.stdout;
}
const share = (buf: Buffer, above: number): number => buf.filter((v) => v > above).length / buf.length;

describe.skipIf(!requireTool('espeak-ng'))('clips', () => {
  let show: MediaShow;
  let record: EpisodeBuild;
  beforeAll(async () => {
    show = await makeMediaShow({ 'intro.wav': 'take-intro.wav', 'news.wav': 'take-news.wav', 'outro.wav': 'take-outro.wav' });
    record = (await buildTestEpisode(show.root, { captions: true })).record;
  }, 400_000);
  afterAll(() => show?.cleanup());

  it('vertical: 1080×1920, the span\'s length, the episode picture in the middle, captions burned in large below it, on target loudness', async () => {
    const loaded = await loadValidShow(show.root);
    const cues = parseSrt(readFileSync(join(show.root, record.outputs.srt?.path ?? 'none'), 'utf8'));
    const cue = cues[1];
    if (!cue) throw new Error('no second caption cue');
    const from = Math.max(0, cue.start - 1);
    const { clip } = await makeClip(loaded, record, { from, to: from + 8, title: 'Three papers this week', waveform: true }, 'test clip');
    const file = join(show.root, clip.path);
    expect(clip.path).toMatch(new RegExp(`^dist/episodes/${EPISODE}/clips/.+-vertical-three-papers-this-week\\.mp4$`));
    const probe = await probeMedia(file);
    const v = probe.streams.find((s) => s.codec_type === 'video');
    expect([v?.width, v?.height, v?.codec_name, v?.profile]).toEqual([1080, 1920, 'h264', 'High']);
    expect(Math.abs(Number(probe.format.duration) - 8)).toBeLessThanOrEqual(0.1);
    expect(Number(probe.format.duration)).toBeLessThanOrEqual(60);
    // The cue is on screen one second in: white text in the band under the picture (which the
    // layout leaves black without captions), and far more of it than in the same band's top rows.
    const t = 1.5;
    const band = grey(file, t, { x: 0, y: 1130, w: 1080, h: 450 });
    expect(share(band, 200)).toBeGreaterThan(0.02);
    // The show name and title at the top; black between them and the picture.
    expect(share(grey(file, t, { x: 0, y: 100, w: 1080, h: 300 }), 200)).toBeGreaterThan(0.01);
    // The episode's picture (a title card) fills 1080×608 at y=500.
    expect(share(grey(file, t, { x: 0, y: 520, w: 1080, h: 560 }), 30)).toBeGreaterThan(0.3);
    const m = ebur128Of(file);
    expect(Math.abs(m.integrated - -16)).toBeLessThanOrEqual(0.3);
  }, 400_000);

  it('episode.yaml clips are made on build and kept while nothing changed; the list is {start, duration, title}', async () => {
    await appendFile(join(show.episodeDir, 'episode.yaml'), 'clips:\n  - from: "0:01"\n    to: "0:04.5"\n    format: square\n    title: The intro\n');
    const loaded = await loadValidShow(show.root);
    const episode = loaded.episodes.find((e) => e.id === EPISODE);
    if (!episode) throw new Error('no episode');
    const first = await makeEpisodeClips(loaded, episode, record, quietProgress);
    expect(first.made).toHaveLength(1);
    const onDisk = EpisodeBuildSchema.parse(JSON.parse(readFileSync(join(show.root, 'dist', 'episodes', EPISODE, 'build.json'), 'utf8')));
    const square = onDisk.clips?.find((c) => c.format === 'square');
    expect(square).toMatchObject({ start: 1, duration: 3.5, title: 'The intro', format: 'square' });
    const probe = await probeMedia(join(show.root, square?.path ?? 'none'));
    expect(probe.streams.find((s) => s.codec_type === 'video')).toMatchObject({ width: 1080, height: 1080 });
    // A 3.5 s span of limited speech lands on the target too (its gain settled on its own sound).
    expect(Math.abs(ebur128Of(join(show.root, square?.path ?? 'none')).integrated - -16)).toBeLessThanOrEqual(0.3);
    expect(Math.abs((square?.integrated ?? Number.NaN) - -16)).toBeLessThanOrEqual(0.3);
    const again = await makeEpisodeClips(loaded, episode, onDisk, quietProgress);
    expect(again.made).toHaveLength(0);
  }, 400_000);

  it('castline clip: a range outside the episode is a clear error and writes nothing', async () => {
    const r = await runCli(['clip', EPISODE, '--from', '0:05', '--to', '9:00', '--root', show.root]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/0m05s–9m00s is outside the episode, which is 0m\d\ds \([\d.]+ s\) long/);
    expect(r.stderr).toMatch(/hint: pick a span inside the episode/);
    expect(existsSync(join(show.root, 'dist', 'episodes', EPISODE, 'clips', '0m05s-9m00s-vertical.mp4'))).toBe(false);
  });
});
