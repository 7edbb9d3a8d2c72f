import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { makePublishableShow } from './built-episode.js';
import { cli } from './cli-with-fake.js';

// `castline publish --dry-run --json` plans YouTube's two quota buckets
// (https://developers.google.com/youtube/v3/determine_quota_cost): videos.insert has its own
// 100 calls a day; everything else draws on 10,000 units. The expected numbers are worked out
// by hand from that table, not from castline's constants.
const ID = '2023-01-20-mlaisu';
let show: { root: string; cleanup: () => Promise<void> };

/** 29 more built, never-published episodes cloned from the first (a back catalog). */
async function addBackCatalog(root: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  const build = JSON.parse(await readFile(join(root, 'dist', 'episodes', ID, 'build.json'), 'utf8')) as Record<string, unknown>;
  for (let i = 0; i < count; i++) {
    const day = new Date(Date.UTC(2022, 0, 7 + 7 * i)).toISOString().slice(0, 10);
    const id = `${day}-back-${i}`;
    ids.push(id);
    const dir = join(root, 'episodes', id);
    await cp(join(root, 'episodes', ID), dir, { recursive: true });
    const episode = parse(await readFile(join(dir, 'episode.yaml'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(dir, 'episode.yaml'), stringify({ ...episode, title: `Back catalog ${i}`, number: 100 + i, date: day }));
    await writeFile(join(dir, 'published.yaml'), stringify({ guid: `00000000-1111-4222-8333-${String(i).padStart(12, '0')}`, createdAt: '2023-01-19T12:00:00.000Z', history: [] }));
    await mkdir(join(root, 'dist', 'episodes', id), { recursive: true });
    await writeFile(join(root, 'dist', 'episodes', id, 'build.json'), JSON.stringify({ ...build, id }));
  }
  return ids;
}

beforeAll(async () => {
  show = await makePublishableShow({ episodes: [ID] });
});
afterAll(() => show.cleanup());

const dryRun = async (ids: string[]) => {
  const r = await cli(['publish', ...ids, '--dry-run', '--json', '--youtube-only'], show.root, { XDG_CONFIG_HOME: join(show.root, '.no-config'), CASTLINE_YOUTUBE_ROOT_URL: 'http://127.0.0.1:9/' });
  expect(r.code, r.stderr).toBe(0);
  return { json: JSON.parse(r.stdout) as { plan: { quota: { videosInsert: number; units: number } } }, stderr: r.stderr };
};

describe('publish --dry-run: quota per bucket', () => {
  it('one new episode: 1 videos.insert call and 451 units', async () => {
    // videos.insert: 1 call in its own bucket. Units: videos.list 1 (processing check after the
    // upload) + thumbnails.set 50 + captions.insert 400 = 451. The example show has no playlist.
    const { json, stderr } = await dryRun([ID]);
    expect(json.plan.quota).toEqual({ videosInsert: 1, units: 451 });
    expect(stderr).toContain('YouTube quota: 1 of 100 videos.insert calls and 451 of 10,000 units');
    expect(stderr).not.toMatch(/more than (the 100|YouTube's default)/);
  });

  it('thirty new episodes: 30 insert calls (fits its bucket) and 13,530 units (over the 10,000: warned)', async () => {
    const ids = [ID, ...(await addBackCatalog(show.root, 29))];
    // 30 × 1 insert call = 30 ≤ 100. 30 × 451 units = 13,530 > 10,000.
    const { json, stderr } = await dryRun(ids);
    expect(json.plan.quota).toEqual({ videosInsert: 30, units: 13530 });
    expect(stderr).toContain('YouTube quota: 30 of 100 videos.insert calls and 13530 of 10,000 units');
    expect(stderr).toContain('this plan needs 13530 quota units, more than YouTube\'s default 10,000 a day');
    expect(stderr).not.toContain('more than the 100 videos.insert calls');
  });
});
