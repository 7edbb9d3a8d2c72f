import { execFileSync } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { getBinaries } from '../../../src/media/ffmpeg/binaries.js';
import { sha256 } from '../../../src/core/hash.js';
import type { z } from 'zod';
import type { EpisodeBuildSchema } from '../../../src/records/build-record.js';
import { makeTempShow } from '../../helpers/cli.js';

/**
 * A temp copy of the example show whose episodes look built (what `castline build` leaves in
 * dist/episodes/<id>/): a 30 s MP4 of ffmpeg's testsrc2 (about 4 MB at a near-lossless qp, so a
 * 1 MiB chunk size gives several chunks to interrupt), an MP3, a JPEG thumbnail, WebVTT
 * captions, build.json, and a published.yaml with the GUID the build assigns.
 */
export const EPISODES = ['2023-01-13-mlaisu', '2023-01-20-mlaisu'] as const;
export const SECONDS = 30;
export const CHAPTERS = [
  { id: 'intro', title: 'Intro', startTime: 0, endTime: 10 },
  { id: 'superpositions-transformers', title: 'Superpositions & <Transformers>', startTime: 10, endTime: 20 },
  { id: 'opportunities', title: 'Opportunities', startTime: 20, endTime: SECONDS },
];

const VTT = 'WEBVTT\n\n1\n00:00:00.000 --> 00:00:10.000\nWelcome to ML and AI Safety Update.\n\n2\n00:00:10.000 --> 00:00:30.000\nThis week in research.\n';

export async function makePublishableShow(options: { episodes?: readonly string[]; chunkMiB?: number; deployPath?: string } = {}): Promise<{ root: string; cleanup: () => Promise<void> }> {
  const ids = options.episodes ?? EPISODES;
  const show = await makeTempShow({ episodes: [...ids] });
  const showYaml = join(show.root, 'show.yaml');
  const config = parse(await readFile(showYaml, 'utf8')) as Record<string, any>;
  config['youtube'] = { ...config['youtube'], chunkMiB: options.chunkMiB ?? 1 };
  if (options.deployPath) config['deploy'] = { target: 'local', path: options.deployPath };
  await writeFile(showYaml, stringify(config));
  for (const [i, id] of ids.entries()) {
    // Without a recording, publish takes dist/ as it is instead of running the real build.
    await rm(join(show.root, 'episodes', id, 'audio'), { recursive: true, force: true });
    await buildEpisode(show.root, id, i);
  }
  return show;
}

export async function buildEpisode(root: string, id: string, seed = 0): Promise<void> {
  const dir = join(root, 'dist', 'episodes', id);
  await mkdir(dir, { recursive: true });
  const { ffmpeg } = getBinaries();
  const run = (args: string[]): void => void execFileSync(ffmpeg, ['-v', 'error', '-y', ...args]);
  run(['-f', 'lavfi', '-i', `testsrc2=s=640x360:r=5:d=${SECONDS}`, '-f', 'lavfi', '-i', `sine=frequency=${440 + 110 * seed}:duration=${SECONDS}`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-qp', '4', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '64k', '-shortest', join(dir, `${id}.mp4`)]);
  run(['-f', 'lavfi', '-i', `sine=frequency=${440 + 110 * seed}:duration=${SECONDS}`, '-ac', '1', '-c:a', 'libmp3lame', '-b:a', '64k', join(dir, `${id}.mp3`)]);
  run(['-f', 'lavfi', '-i', 'testsrc2=s=1280x720:d=1', '-frames:v', '1', join(dir, 'thumbnail.jpg')]);
  await writeFile(join(dir, 'transcript.vtt'), VTT);
  const file = async (name: string): Promise<{ path: string; bytes: number; sha256: string }> => {
    const data = await readFile(join(dir, name));
    return { path: `dist/episodes/${id}/${name}`, bytes: data.length, sha256: sha256(data) };
  };
  const build: z.input<typeof EpisodeBuildSchema> = {
    id,
    builtAt: '2023-01-19T12:00:00.000Z',
    durationSeconds: SECONDS,
    outputs: { mp3: await file(`${id}.mp3`), mp4: await file(`${id}.mp4`), thumbnail: await file('thumbnail.jpg'), vtt: await file('transcript.vtt') },
    chapters: CHAPTERS,
    chaptersEstimated: false,
    loudness: { target: -16, truePeakTarget: -1 },
    inputHashes: {},
    warnings: [],
  };
  await writeFile(join(dir, 'build.json'), JSON.stringify(build, null, 2));
  const ledger = join(root, 'episodes', id, 'published.yaml');
  await writeFile(ledger, stringify({ guid: `0000000${seed}-1111-4222-8333-444444444444`, createdAt: '2023-01-19T12:00:00.000Z', history: [] }));
}

export async function readLedger(root: string, id: string): Promise<Record<string, any>> {
  return parse(await readFile(join(root, 'episodes', id, 'published.yaml'), 'utf8')) as Record<string, any>;
}
