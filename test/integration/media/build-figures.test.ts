import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireTool } from '../../helpers/cli.js';
import { getBinaries } from '../../../src/media/ffmpeg/binaries.js';
import { parseScriptMd } from '../../../src/script/read-script.js';
import { CAMERA, CLEANUP_TEXT, SPEECH, cleanupTimes, fixturePath, wavSeconds } from '../../fixtures/media/registry.mjs';
import { EPISODE, buildTestEpisode, makeMediaShow } from './media-show.js';

/**
 * Figures shown when they are discussed (issue 15), measured on the built MP4: a frame a
 * second after the cue's sentence ends shows the figure (PSNR against the figure scaled by
 * ffmpeg here ≥ 25 dB), a frame a second before does not. The sentence times are the
 * fixtures' own layout (espeak-ng speech placed at known seconds), not castline's alignment.
 */

const ffmpeg = (): string => getBinaries().ffmpeg;
let work: string;

function run(args: string[]): string {
  const r = spawnSync(ffmpeg(), ['-hide_banner', '-nostats', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ffmpeg ${args.join(' ')} failed: ${r.stderr.slice(-800)}`);
  return r.stderr;
}

/** One frame of `mp4` at `t` (optionally a region of it) as a PNG. */
function frameAt(mp4: string, t: number, out: string, crop?: { x: number; y: number; width: number; height: number }): string {
  run(['-v', 'error', '-ss', t.toFixed(3), '-i', mp4, '-frames:v', '1', ...(crop ? ['-vf', `crop=${crop.width}:${crop.height}:${crop.x}:${crop.y}`] : []), '-y', out]);
  return out;
}

/** PSNR (dB, average over Y, U, V) of two same-size images, by ffmpeg's psnr filter. */
function psnr(a: string, b: string): number {
  const log = run(['-i', a, '-i', b, '-lavfi', '[0:v]format=yuv444p[a];[1:v]format=yuv444p[b];[a][b]psnr', '-f', 'null', '-']);
  const m = /average:(inf|[\d.]+)/.exec(log);
  if (!m?.[1]) throw new Error(`no PSNR in ${log.slice(-400)}`);
  return m[1] === 'inf' ? 99 : Number(m[1]);
}

/** The figure scaled by ffmpeg to `w`×`h`, as the reference a frame is compared with. */
function scaled(figure: string, w: number, h: number, out: string): string {
  run(['-v', 'error', '-i', figure, '-vf', `scale=${w}:${h}`, '-y', out]);
  return out;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'castline-figures-build-'));
});
afterAll(async () => rm(work, { recursive: true, force: true }));

const header = (id: string): string => `<!-- castline script\nepisode: ${id}\n-->\n\n# Figures\n\n`;

async function addFigure(episodeDir: string, name: string, source: string): Promise<string> {
  await mkdir(join(episodeDir, 'visuals'), { recursive: true });
  const path = join(episodeDir, 'visuals', name);
  run(['-v', 'error', '-f', 'lavfi', '-i', source, '-frames:v', '1', '-y', path]);
  return path;
}

describe.skipIf(!requireTool('espeak-ng'))('castline build: figures over title cards', () => {
  it('shows the figure full frame from the end of the sentence before its cue; an unplaceable cue is reported and shown at its section start', async () => {
    const show = await makeMediaShow({ 'recording.wav': 'cleanup-clean.wav' });
    try {
      const yaml = await readFile(join(show.root, 'show.yaml'), 'utf8');
      await writeFile(join(show.root, 'show.yaml'), yaml.replace(/video:\n {2}width: 1920\n {2}height: 1080\n {2}fps: 1\n/, 'video:\n  width: 640\n  height: 360\n  fps: 5\n'));
      const figure = await addFigure(show.episodeDir, 'figure-1.png', 'testsrc=s=640x360');
      // The recording: 8 s silence, paragraph A, 2 s pause, paragraph B, 8 s silence.
      const times = cleanupTimes();
      const script = (extra: string): ReturnType<typeof parseScriptMd> =>
        parseScriptMd(`${header(EPISODE)}## Research {#intro}\n\n${CLEANUP_TEXT.a}\n\n[image: A test chart](visuals/figure-1.png)\n\n## Opportunities {#news}\n\n${CLEANUP_TEXT.b}${extra}\n`, 'script.md');

      const { record } = await buildTestEpisode(show.root, { script: script('') });
      const mp4 = join(show.root, record.outputs.mp4?.path ?? '');
      // Where the cue stands: after paragraph A, whose speech ends at times.aEnd (less espeak's 0.3 s pad).
      const cueAt = times.aEnd - 0.3;
      expect(record.figures).toHaveLength(1);
      const placed = record.figures?.[0];
      expect(placed).toMatchObject({ file: `episodes/${EPISODE}/visuals/figure-1.png`, placement: 'after-sentence', shown: 'full', sectionId: 'intro' });
      expect(Math.abs((placed?.start ?? 0) - cueAt)).toBeLessThan(0.6);
      expect((placed?.end ?? 0) - (placed?.start ?? 0)).toBeCloseTo(8, 1);
      const ref = scaled(figure, 640, 360, join(work, 'ref-full.png'));
      const after = psnr(frameAt(mp4, cueAt + 1, join(work, 'after.png')), ref);
      const before = psnr(frameAt(mp4, cueAt - 1, join(work, 'before.png')), ref);
      expect(after).toBeGreaterThanOrEqual(25);
      expect(before).toBeLessThan(after - 10);
      // Issue 16: the figure is a silent chapter (toc: false) of chapters.json with its picture, in time order.
      const json = JSON.parse(await readFile(join(show.root, record.outputs.chapters?.path ?? ''), 'utf8')) as { chapters: { startTime: number; endTime?: number; title: string; img?: string; toc?: boolean }[] };
      const schema = JSON.parse(readFileSync(new URL('../../fixtures/schemas/json-chapters-1.2.schema.json', import.meta.url), 'utf8')) as object;
      const validate = new Ajv({ strict: false }).compile(schema);
      expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
      const starts = json.chapters.map((c) => c.startTime);
      expect([...starts].sort((a, b) => a - b)).toEqual(starts);
      const silent = json.chapters.filter((c) => c.toc === false);
      expect(silent).toEqual([{ startTime: placed?.start, endTime: placed?.end, title: 'A test chart', toc: false, img: expect.stringMatching(/^https:\/\/.*\/episodes\/2023-02-03-media\/chapters\/_figure-1\.jpg$/) }]);
      expect(json.chapters.filter((c) => c.toc !== false).map((c) => c.title)).toEqual(['Research', 'Opportunities']);
      const picture = join(show.root, 'dist', 'episodes', EPISODE, 'chapters', '_figure-1.jpg');
      expect((await stat(picture)).size).toBeGreaterThan(1000);
      expect(psnr(scaled(picture, 640, 360, join(work, 'pic.png')), ref)).toBeGreaterThanOrEqual(25);
      // The audio is untouched by the figures: the MP4 is as long as the MP3.
      expect(Math.abs(record.durationSeconds - times.total)).toBeLessThan(0.2);

      // A sentence added to the script after recording: the cue after it cannot be timed.
      const added = ' This sentence was written into the script long after the recording was made, so nobody ever read it aloud into the microphone at all.\n\n[image: A late chart](visuals/figure-1.png)';
      const second = await buildTestEpisode(show.root, { script: script(added) });
      const late = second.record.figures?.find((f) => f.alt === 'A late chart');
      expect(late).toMatchObject({ placement: 'unplaced', sectionId: 'news' });
      expect(late?.reason).toMatch(/not found in the recording|changed since recording/);
      const news = second.record.chapters.find((c) => c.id === 'news');
      expect(late?.start).toBeCloseTo(news?.startTime ?? -1, 2);
      expect(second.record.warnings.join('\n')).toMatch(/figure "A late chart" \(script\.md line \d+, visuals\/figure-1\.png\) cannot be placed: .*; shown at the start of section news/);
      const mp4b = join(show.root, second.record.outputs.mp4?.path ?? '');
      // At the section start + 1 s the figure is there (the first figure's window was cut short by it).
      expect(psnr(frameAt(mp4b, (news?.startTime ?? 0) + 1, join(work, 'late.png')), ref)).toBeGreaterThanOrEqual(25);
      expect(psnr(frameAt(mp4b, times.aStart + 1, join(work, 'early.png')), ref)).toBeLessThan(15);
    } finally {
      await show.cleanup();
    }
  }, 300_000);
});

describe.skipIf(!requireTool('espeak-ng'))('castline build: figures over a camera recording', () => {
  it('shows the figure as a large inset over the picture from the end of the sentence before its cue', async () => {
    const show = await makeMediaShow({}, { video: { 'camera.mp4': 'camera-720p.mp4' } });
    try {
      const yaml = await readFile(join(show.root, 'show.yaml'), 'utf8');
      await writeFile(join(show.root, 'show.yaml'), yaml.replace(/video:\n {2}width: 1920\n {2}height: 1080\n/, 'video:\n  width: 640\n  height: 360\n  lowerThirds: false\n  cameraPreset: ultrafast\n'));
      const figure = await addFigure(show.episodeDir, 'figure-1.png', 'smptehdbars=s=640x360');
      const text = `${header(EPISODE)}## Welcome {#intro}\n\n${SPEECH.intro}\n\n[image: Colour bars](visuals/figure-1.png)\n\n## News {#news}\n\n${SPEECH.news}\n\n## Goodbye {#outro}\n\n${SPEECH.outro}\n`;
      const { record } = await buildTestEpisode(show.root, { script: parseScriptMd(text, 'script.md') });
      const mp4 = join(show.root, record.outputs.mp4?.path ?? '');
      // The camera's sound: the intro take starts at CAMERA.speechAt and ends 0.3 s before its file does.
      const cueAt = CAMERA.speechAt + wavSeconds(fixturePath('take-intro.wav')) - 0.3;
      const placed = record.figures?.[0];
      expect(placed).toMatchObject({ placement: 'after-sentence', shown: 'inset' });
      expect(Math.abs((placed?.start ?? 0) - cueAt)).toBeLessThan(0.6);
      expect(record.camera?.reasons.join('; ')).toMatch(/1 figure shown over it/);
      const box = placed?.box ?? { x: 0, y: 0, width: 0, height: 0 };
      // A large inset: most of the frame's width, inside the frame.
      expect(box.width).toBeGreaterThanOrEqual(0.6 * 640);
      expect(box.x + box.width).toBeLessThanOrEqual(640);
      expect(box.y + box.height).toBeLessThanOrEqual(360);
      const ref = scaled(figure, box.width, box.height, join(work, 'ref-inset.png'));
      const after = psnr(frameAt(mp4, cueAt + 1, join(work, 'cam-after.png'), box), ref);
      const before = psnr(frameAt(mp4, cueAt - 1, join(work, 'cam-before.png'), box), ref);
      expect(after).toBeGreaterThanOrEqual(25);
      expect(before).toBeLessThan(after - 10);
      // Outside the inset the camera picture goes on: the left edge strip is the camera's.
      const strip = { x: 0, y: 0, width: Math.max(2, box.x - 2 - (box.x % 2)), height: 360 };
      expect(psnr(frameAt(mp4, cueAt + 1, join(work, 'cam-strip.png'), strip), scaled(figure, strip.width, 360, join(work, 'ref-strip.png')))).toBeLessThan(20);
    } finally {
      await show.cleanup();
    }
  }, 600_000);
});
