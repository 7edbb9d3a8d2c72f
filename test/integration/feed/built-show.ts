import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getBinaries } from '../../../src/media/ffmpeg/binaries.js';
import { sha256 } from '../../../src/core/hash.js';
import { EpisodeBuildSchema, type EpisodeBuild } from '../../../src/records/build-record.js';
import type { EpisodeNotes } from '../../../src/publication/episode-notes.js';
import type { NotesLoader } from '../../../src/pipeline/write-feed-and-site.js';
import { escapeHtml } from '../../../src/core/clean-text.js';
import { makeTempShow } from '../../helpers/cli.js';

/**
 * A temp copy of the example show with both episodes "built": a few seconds of sine made by
 * the real ffmpeg from lavfi, plus chapters.json, transcript.vtt/.srt and the build.json the
 * media stage writes. Small on purpose (a feed test needs real bytes, not a real episode).
 */
export const EPISODES = ['2023-01-13-mlaisu', '2023-01-20-mlaisu'] as const;
export const SECONDS = 6;

export const CHAPTERS = [
  { id: 'intro', title: 'Intro', startTime: 0, endTime: 2 },
  { id: 'superpositions-transformers', title: 'Superpositions & Transformers', startTime: 2, endTime: 4 },
  { id: 'opportunities', title: 'Opportunities', startTime: 4, endTime: SECONDS },
];

const VTT = `WEBVTT

1
00:00:00.000 --> 00:00:02.000
Welcome to ML &amp; AI Safety Update.

2
00:00:02.000 --> 00:00:04.000
Superpositions and transformers.

3
00:00:04.000 --> 00:00:06.000
Opportunities this week.
`;

const SRT = `1
00:00:00,000 --> 00:00:02,000
Welcome to ML & AI Safety Update.

2
00:00:02,000 --> 00:00:04,000
Superpositions and transformers.

3
00:00:04,000 --> 00:00:06,000
Opportunities this week.
`;

export async function makeBuiltShow(options: { episodes?: readonly string[]; video?: boolean } = {}): Promise<{ root: string; cleanup: () => Promise<void> }> {
  const ids = options.episodes ?? EPISODES;
  const show = await makeTempShow({ episodes: [...EPISODES] });
  for (const [i, id] of ids.entries()) await buildEpisode(show.root, id, 440 + 110 * i, { video: options.video ?? false });
  return show;
}

/** Frame size of the test MP4 (small: a feed test needs a real file, not a real video). */
export const VIDEO_SIZE = { width: 426, height: 240 };

export async function buildEpisode(root: string, id: string, frequency = 440, options: { video?: boolean } = {}): Promise<EpisodeBuild> {
  const dir = join(root, 'dist', 'episodes', id);
  await mkdir(dir, { recursive: true });
  const mp3 = join(dir, `${id}.mp3`);
  const { ffmpeg } = getBinaries();
  execFileSync(ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', `sine=frequency=${frequency}:duration=${SECONDS}:sample_rate=44100`, '-ac', '1', '-c:a', 'libmp3lame', '-b:a', '64k', mp3]);
  if (options.video) {
    const size = `${VIDEO_SIZE.width}x${VIDEO_SIZE.height}`;
    execFileSync(ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=size=${size}:rate=1:duration=${SECONDS}`, '-f', 'lavfi', '-i', `sine=frequency=${frequency}:duration=${SECONDS}`, '-t', String(SECONDS), '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-movflags', '+faststart', join(dir, `${id}.mp4`)]);
  }
  const chapters = JSON.stringify({ version: '1.2.0', chapters: CHAPTERS.map((c) => ({ startTime: c.startTime, title: c.title })) });
  await writeFile(join(dir, 'chapters.json'), chapters);
  await writeFile(join(dir, 'transcript.vtt'), VTT);
  await writeFile(join(dir, 'transcript.srt'), SRT);
  const file = async (name: string): Promise<{ path: string; bytes: number; sha256: string }> => {
    const data = await readFile(join(dir, name));
    return { path: `dist/episodes/${id}/${name}`, bytes: data.length, sha256: sha256(data) };
  };
  const build: EpisodeBuild = EpisodeBuildSchema.parse({
    id,
    builtAt: '2023-01-19T12:00:00.000Z',
    durationSeconds: SECONDS,
    outputs: { mp3: await file(`${id}.mp3`), ...(options.video ? { mp4: await file(`${id}.mp4`) } : {}), chapters: await file('chapters.json'), vtt: await file('transcript.vtt'), srt: await file('transcript.srt') },
    chapters: CHAPTERS,
    chaptersEstimated: false,
    loudness: { target: -16, truePeakTarget: -1 },
  });
  await writeFile(join(dir, 'build.json'), JSON.stringify(build, null, 2));
  return build;
}

/**
 * Notes for tests, standing in for the script stage's notes.md (its contract: a summary and
 * renderers limited to p/ol/ul/li/a for the feed).
 */
export const testNotes: NotesLoader = async (episode) => {
  const title = episode.config?.title ?? episode.id;
  const notes: EpisodeNotes = {
    summary: `This week: ${title}.`,
    html: ({ allowedTags }) =>
      `<p>This week: ${escapeHtml(title)}.</p>\n<ul>\n<li><a href="https://arxiv.org/abs/2301.05217">Progress measures for grokking</a></li>\n</ul>` +
      (allowedTags === 'full' ? '\n<h3>More</h3>\n<p><a href="https://aisafety.training">aisafety.training</a></p>' : ''),
  };
  return notes;
};
