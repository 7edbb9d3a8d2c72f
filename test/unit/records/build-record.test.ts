import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BuildRecordError, EpisodeBuildSchema, presentBuild, readBuildRecord, writeBuildRecord } from '../../../src/records/build-record.js';

const ID = '2023-01-20-x';
let root: string;
let dir: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'castline-record-'));
  dir = join(root, 'dist', 'episodes', ID);
  await mkdir(dir, { recursive: true });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const record = {
  id: ID,
  builtAt: '2023-01-20T09:00:00Z',
  durationSeconds: 120,
  outputs: { mp3: { path: `dist/episodes/${ID}/${ID}.mp3`, bytes: 1, sha256: 'x' } },
  chapters: [{ id: 'intro', title: 'Intro', startTime: 0, endTime: 120 }],
  chaptersEstimated: false,
  loudness: { target: -16, truePeakTarget: -1 },
};
const FILE = `dist/episodes/${ID}/build.json`;

describe('readBuildRecord', () => {
  it('is absent when the episode was never built', async () => {
    const read = await readBuildRecord(root, ID);
    expect(read).toEqual({ state: 'absent', file: FILE });
    expect(presentBuild(read)).toBeUndefined();
  });

  it('is stale when the MP3 it names is gone, present when it is there', async () => {
    await writeFile(join(dir, 'build.json'), JSON.stringify(record));
    const stale = await readBuildRecord(root, ID);
    expect(stale).toMatchObject({ state: 'stale', missing: `dist/episodes/${ID}/${ID}.mp3` });
    expect(presentBuild(stale)).toBeUndefined();
    await writeFile(join(dir, `${ID}.mp3`), 'x');
    const present = await readBuildRecord(root, ID);
    expect(present.state).toBe('present');
    expect(presentBuild(present)?.chapters).toEqual(record.chapters);
    expect(presentBuild(present)?.inputHashes).toEqual({}); // the schema's defaults are filled in
  });

  it('a record that is not JSON, or not the schema, is an error naming the file and the field', async () => {
    await writeFile(join(dir, 'build.json'), '{ "id": ');
    await expect(readBuildRecord(root, ID)).rejects.toSatisfy((e) => e instanceof BuildRecordError && e.file === FILE && /^dist\/episodes\/2023-01-20-x\/build\.json is not a valid build record: not JSON/.test(e.message));
    await writeFile(join(dir, 'build.json'), JSON.stringify({ ...record, durationSeconds: 'long' }));
    await expect(readBuildRecord(root, ID)).rejects.toMatchObject({
      code: 'build-record-invalid',
      message: expect.stringMatching(/^dist\/episodes\/2023-01-20-x\/build\.json is not a valid build record: .*durationSeconds/),
      hint: `castline writes it; run castline build ${ID} to rebuild the episode and rewrite it`,
    });
  });

  it('a record that cannot be read is an error, not "never built"', async () => {
    await mkdir(join(dir, 'build.json')); // a folder where the file should be: EISDIR
    await expect(readBuildRecord(root, ID)).rejects.toMatchObject({ code: 'build-record-unreadable', message: `${FILE} cannot be read (EISDIR)` });
  });

  it('reads back what writeBuildRecord wrote, and the write leaves no temp file beside it', async () => {
    await writeFile(join(dir, `${ID}.mp3`), 'x');
    const written = EpisodeBuildSchema.parse(record);
    await writeBuildRecord(root, written);
    expect((await readdir(dir)).sort()).toEqual(['build.json', `${ID}.mp3`].sort());
    const read = await readBuildRecord(root, ID);
    expect(read).toEqual({ state: 'present', file: FILE, record: written });
  });
});
