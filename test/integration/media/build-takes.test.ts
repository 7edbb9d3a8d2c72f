import { requireTool } from '../../helpers/cli.js';
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import NodeID3 from 'node-id3';
import { probeMedia } from '../../../src/media/ffmpeg/probe.js';
import { EpisodeBuildSchema } from '../../../src/records/build-record.js';
import { EPISODE, SCRIPT, buildTestEpisode, expectOnTarget, frameColour, makeMediaShow, type MediaShow } from './media-show.js';

/**
 * One episode from three espeak-ng takes (section "news" with its own red visual), built
 * with the real bundled ffmpeg, then checked with ffprobe/ebur128: the "done when".
 */
describe.skipIf(!requireTool('espeak-ng'))('castline build: takes → MP3 + MP4 + thumbnail + chapters', () => {
  let show: MediaShow;
  let result: Awaited<ReturnType<typeof buildTestEpisode>>;
  const dist = (f: string): string => join(show.root, 'dist', 'episodes', EPISODE, f);

  beforeAll(async () => {
    show = await makeMediaShow({ 'intro.wav': 'take-intro.wav', 'news.wav': 'take-news.wav', 'outro.wav': 'take-outro.wav' }, { visuals: { 'news.png': 'visual-red.png' } });
    result = await buildTestEpisode(show.root);
  });
  afterAll(() => show?.cleanup());

  it('writes every output and a valid build.json naming them', () => {
    for (const f of [`${EPISODE}.mp3`, `${EPISODE}.mp4`, 'thumbnail.jpg', 'chapters.json', 'build.json']) expect(existsSync(dist(f)), f).toBe(true);
    const record = EpisodeBuildSchema.parse(JSON.parse(readFileSync(dist('build.json'), 'utf8')));
    expect(record.outputs.mp3.bytes).toBe(statSync(dist(`${EPISODE}.mp3`)).size);
    expect(record.chaptersEstimated).toBe(false);
    expect(record.chapters.map((c) => c.id)).toEqual(['intro', 'news', 'outro']);
  });

  it('MP3: CBR 44.1 kHz mono at the show bitrate, loudness within ±0.3 LU, true peak ≤ target', async () => {
    const probe = await probeMedia(dist(`${EPISODE}.mp3`));
    const a = probe.streams.find((s) => s.codec_type === 'audio');
    expect(a?.codec_name).toBe('mp3');
    expect(a?.sample_rate).toBe('44100');
    expect(a?.channels).toBe(1);
    expect(Math.round(Number(probe.format.bit_rate) / 1000)).toBeGreaterThanOrEqual(120);
    expectOnTarget(dist(`${EPISODE}.mp3`));
  });

  it('MP3: ID3v2.3 tags, cover and chapters as CHAP + a top-level ordered CTOC', () => {
    const buf = readFileSync(dist(`${EPISODE}.mp3`));
    expect(buf.subarray(0, 4).toString('latin1')).toBe('ID3\u0003');
    const tags = NodeID3.read(buf);
    expect(tags.title).toBe('Media test: <b>50%</b> & "quotes"');
    expect(tags.album).toBe('ML & AI Safety Update');
    expect(tags.year).toBe('2023');
    expect(tags.image).toBeTruthy();
    expect(tags.chapter?.map((c) => c.tags?.title)).toEqual(SCRIPT.sections.map((s) => s.title));
    expect(tags.tableOfContents?.[0]?.elements).toEqual(['chp0', 'chp1', 'chp2']);
    expect(buf.indexOf(Buffer.from('CTOC'))).toBeGreaterThan(0);
    const chap = tags.chapter ?? [];
    expect(chap[0]?.startTimeMs).toBe(0);
    expect(chap[1]?.startTimeMs).toBe(chap[0]?.endTimeMs);
  });

  it('MP4: H.264 High yuv420p + AAC-LC 48 kHz, duration within 0.1 s of the MP3, moov before mdat, chapters', async () => {
    const probe = await probeMedia(dist(`${EPISODE}.mp4`));
    const v = probe.streams.find((s) => s.codec_type === 'video');
    const a = probe.streams.find((s) => s.codec_type === 'audio');
    expect(v?.codec_name).toBe('h264');
    expect(v?.profile).toBe('High');
    expect(v?.pix_fmt).toBe('yuv420p');
    expect([v?.width, v?.height]).toEqual([1920, 1080]);
    expect(a?.codec_name).toBe('aac');
    expect(a?.profile).toBe('LC');
    expect(a?.sample_rate).toBe('48000');
    const mp3 = await probeMedia(dist(`${EPISODE}.mp3`));
    expect(Math.abs(Number(probe.format.duration) - Number(mp3.format.duration))).toBeLessThanOrEqual(0.1);
    expect(probe.chapters.map((c) => c.tags?.title)).toEqual(SCRIPT.sections.map((s) => s.title));
    const buf = readFileSync(dist(`${EPISODE}.mp4`));
    expect(buf.indexOf('moov')).toBeLessThan(buf.indexOf('mdat'));
    expectOnTarget(dist(`${EPISODE}.mp4`));
  });

  it('MP4: the visual changes at chapter times (title card, red visual, title card)', () => {
    const [c0, c1, c2] = result.record.chapters;
    const mid = (c: { startTime: number; endTime: number } | undefined): number => ((c?.startTime ?? 0) + (c?.endTime ?? 0)) / 2;
    const red = frameColour(dist(`${EPISODE}.mp4`), mid(c1));
    expect(red[0]).toBeGreaterThan(200);
    expect(red[1]).toBeLessThan(60);
    for (const c of [c0, c2]) {
      const card = frameColour(dist(`${EPISODE}.mp4`), mid(c));
      expect(card[0] > 200 && card[1] < 60).toBe(false);
    }
  });

  it('thumbnail: 1280×720 JPEG under 2 MB; chapters.json is Podcasting 2.0', async () => {
    const probe = await probeMedia(dist('thumbnail.jpg'));
    expect(probe.streams[0]?.codec_name).toBe('mjpeg');
    expect([probe.streams[0]?.width, probe.streams[0]?.height]).toEqual([1280, 720]);
    expect(statSync(dist('thumbnail.jpg')).size).toBeLessThan(2 * 1024 * 1024);
    const chapters = JSON.parse(readFileSync(dist('chapters.json'), 'utf8'));
    expect(chapters.version).toBe('1.2.0');
    expect(chapters.chapters.map((c: { title: string }) => c.title)).toEqual(SCRIPT.sections.map((s) => s.title));
  });

  it('rebuilds nothing when nothing changed, and says why it rebuilds after a change', async () => {
    const again = await buildTestEpisode(show.root);
    expect(again.built).toEqual([]);
    const { appendFile } = await import('node:fs/promises');
    await appendFile(join(show.episodeDir, 'episode.yaml'), 'description: A changed description.\n');
    const after = await buildTestEpisode(show.root);
    expect(after.built.sort()).toEqual(['mp3', 'mp4']);
    expect(after.plan.steps.find((s) => s.output === 'mp3')?.reason).toMatch(/title, show details or cover changed/);
    expect(after.plan.steps.find((s) => s.output === 'thumbnail')?.action).toBe('keep');
  });
});
