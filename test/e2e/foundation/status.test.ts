import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { makeBareShow } from './bare-show.js';

/** `castline status`: script? recording? built? published where? — as a table and as JSON. */

let show: Awaited<ReturnType<typeof makeBareShow>>;
beforeAll(async () => {
  show = await makeBareShow();
  // The later episode: scripted, recorded, built and on YouTube; the earlier has a pending correction.
  const ep = join(show.root, 'episodes', '2023-01-20-mlaisu');
  await writeFile(join(ep, 'script.md'), '# Script\n');
  await mkdir(join(ep, 'audio'), { recursive: true });
  await writeFile(join(ep, 'audio', 'take.wav'), 'RIFF');
  await writeFile(join(ep, 'audio', 'labels.txt'), '0\t1\tintro\n');
  await mkdir(join(show.root, 'dist', 'episodes', '2023-01-20-mlaisu'), { recursive: true });
  await writeFile(join(show.root, 'dist', 'episodes', '2023-01-20-mlaisu', '2023-01-20-mlaisu.mp3'), 'ID3');
  await writeFile(
    join(ep, 'published.yaml'),
    'guid: castline-2023-01-20-mlaisu\ncreatedAt: "2023-01-20T08:00:00Z"\nfeed:\n  pushedAt: "2023-01-20T09:00:00Z"\nyoutube:\n  videoId: abcDEF12345\n',
  );
});
afterAll(() => show.cleanup());

describe('castline status', () => {
  it('prints a table with one row per episode', async () => {
    const result = await runCli(['status'], { cwd: show.root });
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('ML & AI Safety Update');
    expect(lines[1]?.split(/\s{2,}/)).toEqual(['EPISODE', 'DATE', 'SCRIPT', 'RECORDING', 'BUILT', 'FEED', 'YOUTUBE', 'CORRECTIONS']);
    expect(lines[2]?.split(/\s{2,}/)).toEqual(['2023-01-13-mlaisu', '2023-01-13', '-', '-', '-', '-', 'not uploaded', '1 pending']);
    expect(lines[3]?.split(/\s{2,}/)).toEqual(['2023-01-20-mlaisu', '2023-01-20', 'yes', 'yes', 'yes', 'deployed', 'https://youtu.be/abcDEF12345', 'none']);
    expect(lines).toHaveLength(4);
  });

  it('prints the same as JSON with --json, and nothing else on stdout', async () => {
    const result = await runCli(['status', '--json'], { cwd: show.root });
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout) as { show: string; episodes: Record<string, unknown>[] };
    expect(doc.show).toBe('ML & AI Safety Update');
    expect(doc.episodes).toEqual([
      { episode: '2023-01-13-mlaisu', date: '2023-01-13', title: 'Who labels the data behind ChatGPT', script: false, recording: false, built: false, feed: false, youtubeState: 'not uploaded', corrections: '1 pending' },
      {
        episode: '2023-01-20-mlaisu',
        date: '2023-01-20',
        title: 'Overfitting in superposition and a compiler for Transformers',
        script: true,
        recording: true,
        built: true,
        feed: true,
        youtube: 'https://youtu.be/abcDEF12345',
        youtubeState: 'uploaded',
        corrections: 'none',
      },
    ]);
  });

  it('says how to start when there are no episodes', async () => {
    const empty = await makeBareShow({ episodes: false });
    try {
      const result = await runCli(['status'], { cwd: empty.root });
      expect(result.code).toBe(0);
      expect(result.stderr).toContain('no episodes yet: castline new <slug> --issue <file>');
    } finally {
      await empty.cleanup();
    }
  });
});
