import { expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempShow } from '../../helpers/cli.js';
import { fixturePath } from '../../fixtures/media/registry.mjs';
import { loadValidShow, type ShowContext } from '../../../src/config/load-show.js';
import type { ScriptDoc, ScriptSection } from '../../../src/script/script-doc.js';
import { readEpisodeInputs } from '../../../src/pipeline/read-episode-inputs.js';
import { buildEpisode, type BuildEpisodeResult } from '../../../src/pipeline/build-episode.js';
import type { EncodeProgress } from '../../../src/pipeline/encode-progress.js';
import { getBinaries } from '../../../src/media/ffmpeg/binaries.js';

/** Shared setup for the media integration tests: a temp show with one test episode. */

export const EPISODE = '2023-02-03-media';

export function section(id: string, title: string, text: string, kind: ScriptSection['kind'] = 'body'): ScriptSection {
  const words = text.split(/\s+/).length;
  return { id, title, kind, paragraphs: [text], text, cues: [], words, estimateSeconds: (words / 155) * 60 };
}

export const SCRIPT: ScriptDoc = {
  episodeId: EPISODE,
  sourceHash: 'test',
  sections: [
    section('intro', 'Welcome', 'Welcome to the test show. This is the introduction.', 'intro'),
    section('news', 'It\'s 100% "news": a\\b;c [d] ,e', 'Here is the news. Researchers published three papers this week about interpretability.'),
    section('outro', 'Goodbye', 'That was the test show. Thanks for listening.', 'outro'),
  ],
  totalSeconds: 12,
  edited: false,
};

export interface MediaShow {
  root: string;
  episodeDir: string;
  cleanup: () => Promise<void>;
}

/** A temp copy of the example show (no episodes) plus episodes/<EPISODE>/ with `audio` files copied from fixtures. */
export async function makeMediaShow(audio: Record<string, string>, options: { showYamlExtra?: string; visuals?: Record<string, string>; video?: Record<string, string> } = {}): Promise<MediaShow> {
  const { root, cleanup } = await makeTempShow({ episodes: false });
  const episodeDir = join(root, 'episodes', EPISODE);
  await mkdir(join(episodeDir, 'audio'), { recursive: true });
  await writeFile(join(episodeDir, 'episode.yaml'), 'title: "Media test: <b>50%</b> & \\"quotes\\""\nnumber: 3\n');
  for (const [name, fixture] of Object.entries(audio)) {
    if (fixture.startsWith('text:')) await writeFile(join(episodeDir, 'audio', name), fixture.slice(5));
    else await copyFile(fixturePath(fixture), join(episodeDir, 'audio', name));
  }
  for (const [name, fixture] of Object.entries(options.video ?? {})) {
    await mkdir(join(episodeDir, 'video'), { recursive: true });
    await copyFile(fixturePath(fixture), join(episodeDir, 'video', name));
  }
  for (const [name, fixture] of Object.entries(options.visuals ?? {})) {
    await mkdir(join(episodeDir, 'visuals'), { recursive: true });
    await copyFile(fixturePath(fixture), join(episodeDir, 'visuals', name));
  }
  if (options.showYamlExtra) {
    const { appendFile } = await import('node:fs/promises');
    await appendFile(join(root, 'show.yaml'), options.showYamlExtra);
  }
  return { root, episodeDir, cleanup };
}

export const quietProgress: EncodeProgress = { start: () => ({ update: () => undefined, finish: () => undefined }), close: () => undefined };

export async function buildTestEpisode(root: string, options: { force?: boolean; script?: ScriptDoc; captions?: boolean } = {}): Promise<BuildEpisodeResult & { show: ShowContext }> {
  const show = await loadValidShow(root);
  const episode = show.episodes.find((e) => e.id === EPISODE);
  if (!episode) throw new Error('no test episode');
  const read = await readEpisodeInputs(show, episode, async () => options.script ?? SCRIPT);
  if (read.status !== 'ready') throw new Error('not recorded');
  const buildCaptions = options.captions ? (await import('../../../src/captions/index.js')).buildCaptions : undefined;
  const result = await buildEpisode({ show, inputs: read.inputs, force: Boolean(options.force), progress: quietProgress, buildCaptions });
  return { ...result, show };
}

/** Independent loudness check: ffmpeg's ebur128 run and parsed here, not by castline's code. */
export function ebur128Of(file: string): { integrated: number; truePeak: number } {
  const r = spawnSync(getBinaries().ffmpeg, ['-hide_banner', '-nostats', '-i', file, '-map', '0:a:0', '-af', 'ebur128=peak=true:framelog=verbose', '-f', 'null', '-'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ebur128 failed on ${file}: ${r.stderr.slice(-500)}`);
  const summary = r.stderr.slice(r.stderr.lastIndexOf('Summary:'));
  const i = /I:\s+(-?[\d.]+) LUFS/.exec(summary);
  const p = /Peak:\s+(-?[\d.]+) dBFS/.exec(summary);
  if (!i?.[1] || !p?.[1]) throw new Error(`no ebur128 summary for ${file}`);
  return { integrated: Number(i[1]), truePeak: Number(p[1]) };
}

/**
 * Issue 14: every output within ±0.3 LU of the show's -16 LUFS and at or under its -1 dBTP,
 * measured here by ffmpeg's ebur128 with true peak (4× oversampled) on the finished file.
 */
export function expectOnTarget(file: string): { integrated: number; truePeak: number } {
  const m = ebur128Of(file);
  expect(Math.abs(m.integrated - -16), `${file}: ${m.integrated} LUFS`).toBeLessThanOrEqual(0.3);
  expect(m.truePeak, `${file}: true peak ${m.truePeak} dBTP`).toBeLessThanOrEqual(-1);
  return m;
}

/** One decoded frame at time `t` as raw RGB: the mean colour, to see which visual is shown. */
export function frameColour(file: string, t: number): [number, number, number] {
  const r = spawnSync(getBinaries().ffmpeg, ['-v', 'error', '-ss', String(t), '-i', file, '-frames:v', '1', '-vf', 'scale=16:9', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`frame grab failed: ${String(r.stderr)}`);
  const buf = r.stdout;
  const sum = [0, 0, 0];
  for (let k = 0; k < buf.length; k += 3) for (let c = 0; c < 3; c++) sum[c] = (sum[c] ?? 0) + (buf[k + c] ?? 0);
  const n = buf.length / 3;
  return [Math.round((sum[0] ?? 0) / n), Math.round((sum[1] ?? 0) / n), Math.round((sum[2] ?? 0) / n)];
}
