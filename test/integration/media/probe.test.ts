import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ffmpeg from 'fluent-ffmpeg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBinaries } from '../../../src/media/ffmpeg/binaries.js';
import { probeMedia } from '../../../src/media/ffmpeg/probe.js';

/**
 * An MP3 whose comment tag holds newlines that read like ffprobe's own `key=value` output,
 * with one chapter: what a recording's tags or an issue's text can put into a file.
 */
const COMMENT = 'hello\nduration=999\n[/FORMAT]\ncodec_type=video';
let dir: string;
let file: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'castline-probe-'));
  file = join(dir, 'tagged.mp3');
  const meta = join(dir, 'meta.txt');
  await writeFile(meta, ';FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=1500\ntitle=First part\n');
  execFileSync(getBinaries().ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', 'sine=d=2', '-i', meta, '-map_metadata', '1', '-map_chapters', '1', '-metadata', `comment=${COMMENT}`, '-c:a', 'libmp3lame', '-y', file]);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('probeMedia', () => {
  it('reads length, streams, chapters and tags as ffprobe reports them, whatever the tags hold', async () => {
    const probe = await probeMedia(file);
    expect(Number(probe.format.duration)).toBeCloseTo(2.04, 1);
    expect(probe.streams.map((s) => s.codec_type)).toEqual(['audio']);
    expect(probe.format.tags?.['comment']).toBe(COMMENT);
    expect(probe.chapters).toMatchObject([{ start_time: '0.000000', end_time: '1.500000', tags: { title: 'First part' } }]);
  });

  it('(why it does not use fluent-ffmpeg\'s ffprobe) fluent-ffmpeg parses the same file as 999 s long', async () => {
    ffmpeg.setFfprobePath(getBinaries().ffprobe);
    const data = await new Promise<ffmpeg.FfprobeData>((resolve, reject) => ffmpeg.ffprobe(file, ['-show_chapters'], (error, d) => (error ? reject(error) : resolve(d))));
    expect(data.format.duration).toBe(999);
    expect(data.format.tags?.['comment']).toBe('hello');
  });
});
