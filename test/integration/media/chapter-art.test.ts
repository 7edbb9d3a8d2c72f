import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { Ajv } from 'ajv';
import { requireTool } from '../../helpers/cli.js';
import { probeMedia } from '../../../src/media/ffmpeg/probe.js';
import { getBinaries } from '../../../src/media/ffmpeg/binaries.js';
import { EPISODE, SCRIPT, buildTestEpisode, makeMediaShow, type MediaShow } from './media-show.js';

/**
 * Chapters with pictures and links (issue 16), from a real build of three espeak-ng takes with
 * a red visual for "news": chapters.json against the JSON chapters schema (ajv), the pictures
 * measured with ffprobe/ffmpeg, the MP3's CHAP frames read back by Debian's python3-mutagen
 * (an independent ID3 reader; node-id3 wrote them), and the incremental keys.
 */
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const hasEspeak = requireTool('espeak-ng');
const hasMutagen = requireTool('python3', PYTHON) && (spawnSync(PYTHON, ['-c', 'import mutagen']).status === 0 || Boolean(process.env['CI']));
const SCHEMA = JSON.parse(readFileSync(new URL('../../fixtures/schemas/json-chapters-1.2.schema.json', import.meta.url), 'utf8'));
const SPEC_EXAMPLE = JSON.parse(readFileSync(new URL('../../fixtures/schemas/json-chapters-example.json', import.meta.url), 'utf8'));
const LINK = 'https://transformer-circuits.pub/2023/toy-double-descent/index.html';

const NOTES = `# Media test

This week in one line.

## Welcome

No link in the welcome.

## ${SCRIPT.sections[1]!.title.replace(/[\\[\]]/g, '\\$&')}

Anthropic [showed how models memorise](${LINK}), and [a second link](https://example.org/second).

## Goodbye

See you at aisafety.training next week.
`;

/** Mean RGB of a picture, decoded by ffmpeg (not by castline's code). */
function imageColour(file: string): [number, number, number] {
  const buf = execFileSync(getBinaries().ffmpeg, ['-v', 'error', '-i', file, '-vf', 'scale=16:9', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 1 << 20 });
  const sum = [0, 0, 0];
  for (let k = 0; k < buf.length; k += 3) for (let c = 0; c < 3; c++) sum[c] = (sum[c] ?? 0) + (buf[k + c] ?? 0);
  const n = buf.length / 3;
  if (!n) throw new Error(`no pixels decoded from ${file}`);
  return [0, 1, 2].map((c) => Math.round((sum[c] ?? 0) / n)) as [number, number, number];
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** The MP3's chapter frames as mutagen reads them. */
function mutagenChapters(file: string): { id: string; start: number; end: number; title: string; apic?: { mime: string; type: number; sha256: string }; wxxx?: string }[] {
  const script = `
import sys, json, hashlib
from mutagen.id3 import ID3
tags = ID3(sys.argv[1])
out = []
for chap in tags.getall('CHAP'):
  apic = [f for f in chap.sub_frames.values() if f.FrameID == 'APIC']
  wxxx = [f for f in chap.sub_frames.values() if f.FrameID == 'WXXX']
  out.append({'id': chap.element_id, 'start': chap.start_time, 'end': chap.end_time, 'title': str(chap.sub_frames['TIT2']),
    **({'apic': {'mime': apic[0].mime, 'type': int(apic[0].type), 'sha256': hashlib.sha256(apic[0].data).hexdigest()}} if apic else {}),
    **({'wxxx': wxxx[0].url} if wxxx else {})})
toc = tags.getall('CTOC')
print(json.dumps({'chapters': out, 'toc': [list(t.child_element_ids) for t in toc]}))
`;
  const parsed = JSON.parse(execFileSync(PYTHON, ['-c', script, file], { encoding: 'utf8' }));
  expect(parsed.toc).toEqual([parsed.chapters.map((c: { id: string }) => c.id)]);
  return parsed.chapters;
}

describe.skipIf(!hasEspeak)('chapters with pictures and links', () => {
  let show: MediaShow;
  let result: Awaited<ReturnType<typeof buildTestEpisode>>;
  const dist = (f: string): string => join(show.root, 'dist', 'episodes', EPISODE, f);
  const base = 'https://example.org/mlaisu/';

  beforeAll(async () => {
    show = await makeMediaShow({ 'intro.wav': 'take-intro.wav', 'news.wav': 'take-news.wav', 'outro.wav': 'take-outro.wav' }, { visuals: { 'news.png': 'visual-red.png' } });
    await writeFile(join(show.episodeDir, 'notes.md'), NOTES);
    result = await buildTestEpisode(show.root);
  });
  afterAll(() => show?.cleanup());

  it('the JSON chapters schema accepts the spec\'s own example and refuses a misspelt key', () => {
    const validate = new Ajv({ allErrors: true }).compile(SCHEMA);
    expect(validate(SPEC_EXAMPLE), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ version: '1.2.0', chapters: [{ startTime: 0, image: 'x' }] })).toBe(false);
    expect(validate({ version: '1.2.0', chapters: [{ title: 'no start' }] })).toBe(false);
  });

  it('chapters.json is valid JSON chapters 1.2, each chapter with its picture and the first link of its section', () => {
    const json = JSON.parse(readFileSync(dist('chapters.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true }).compile(SCHEMA);
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    expect(json.chapters.map((c: { img: string }) => c.img)).toEqual(['intro', 'news', 'outro'].map((id) => `${base}episodes/${EPISODE}/chapters/${id}.jpg`));
    expect(json.chapters.map((c: { url?: string }) => c.url)).toEqual([undefined, LINK, 'https://aisafety.training']);
  });

  it('the pictures are 1280×720 JPEGs: the red visual for news, title cards for the others', async () => {
    for (const id of ['intro', 'news', 'outro']) {
      const probe = await probeMedia(dist(`chapters/${id}.jpg`));
      expect(probe.streams[0]?.codec_name).toBe('mjpeg');
      expect([probe.streams[0]?.width, probe.streams[0]?.height]).toEqual([1280, 720]);
    }
    const red = imageColour(dist('chapters/news.jpg'));
    expect(red[0]).toBeGreaterThan(200);
    expect(red[1]).toBeLessThan(60);
    const card = imageColour(dist('chapters/intro.jpg'));
    expect(card[0] > 200 && card[1] < 60).toBe(false);
    expect(result.record.chapterImages?.map((f) => f.chapterId)).toEqual(['intro', 'news', 'outro']);
  });

  it.runIf(hasMutagen)('the MP3\'s CHAP frames carry the same pictures (APIC) and links (WXXX), read by mutagen', () => {
    const chapters = mutagenChapters(dist(`${EPISODE}.mp3`));
    expect(chapters.map((c) => c.title)).toEqual(SCRIPT.sections.map((s) => s.title));
    for (const [i, id] of ['intro', 'news', 'outro'].entries()) {
      expect(chapters[i]?.apic).toEqual({ mime: 'image/jpeg', type: 0, sha256: sha(readFileSync(dist(`chapters/${id}.jpg`))) });
      expect(chapters[i]?.start).toBe(Math.round((result.record.chapters[i]?.startTime ?? -1) * 1000));
    }
    expect(chapters.map((c) => c.wxxx)).toEqual([undefined, LINK, 'https://aisafety.training']);
  });

  it('a new picture rebuilds the chapters and the MP3 tags (and the video), a new link only chapters and MP3; unchanged rebuilds nothing', async () => {
    expect((await buildTestEpisode(show.root)).built).toEqual([]);
    execFileSync(getBinaries().ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=blue:s=640x360', '-frames:v', '1', join(show.episodeDir, 'visuals', 'news.png')]);
    const picture = await buildTestEpisode(show.root);
    expect(picture.built.sort()).toEqual(['chapters', 'mp3', 'mp4']);
    expect(picture.plan.steps.find((s) => s.output === 'chapters')?.reason).toContain('chapter pictures or links changed');
    const blue = imageColour(dist('chapters/news.jpg'));
    expect(blue[2]).toBeGreaterThan(200);
    expect(blue[0]).toBeLessThan(60);
    if (hasMutagen) expect(mutagenChapters(dist(`${EPISODE}.mp3`))[1]?.apic?.sha256).toBe(sha(readFileSync(dist('chapters/news.jpg'))));

    await writeFile(join(show.episodeDir, 'notes.md'), NOTES.replace(LINK, 'https://arxiv.org/abs/2301.05217'));
    const link = await buildTestEpisode(show.root);
    expect(link.built.sort()).toEqual(['chapters', 'mp3']);
    expect(JSON.parse(readFileSync(dist('chapters.json'), 'utf8')).chapters[1].url).toBe('https://arxiv.org/abs/2301.05217');
    if (hasMutagen) expect(mutagenChapters(dist(`${EPISODE}.mp3`))[1]?.wxxx).toBe('https://arxiv.org/abs/2301.05217');
  });
});
