import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  PublishedSchema,
  createEpisodeLedger,
  createShowLedger,
  episodeLedgerState,
  newEpisodeLedger,
  readShowLedger,
  updateLedger,
  type LedgerHolder,
} from '../../../src/records/published-ledger.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'castline-ledger-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const holder = (): LedgerHolder => ({ id: '2023-01-20-x', files: { published: join(dir, 'published.yaml') }, published: undefined });
const NOW = new Date('2023-01-20T09:00:00Z');
const GUID = '6f1c2a9e-3b4d-4e5f-8a6b-7c8d9e0f1a2b';

describe('PublishedSchema', () => {
  const messages = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }): string[] =>
    r.success ? [] : (r.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);
  it('needs a guid and createdAt and keeps the history', () => {
    expect(PublishedSchema.parse({ guid: 'g', createdAt: '2023-01-20T09:00:00Z' }).history).toEqual([]);
    expect(messages(PublishedSchema.safeParse({ guid: '' }))).toEqual(['guid: Too small: expected string to have >=1 characters', 'createdAt: Invalid input: expected string, received undefined']);
  });
});

describe('the episode ledger', () => {
  it('is created once, with the GUID and a history entry, and readable by the schema', async () => {
    const episode = holder();
    await createEpisodeLedger(episode, newEpisodeLedger(GUID, NOW));
    const text = await readFile(episode.files.published, 'utf8');
    expect(text.startsWith('# Written by castline')).toBe(true);
    expect(PublishedSchema.parse(parse(text))).toEqual({ guid: GUID, createdAt: '2023-01-20T09:00:00.000Z', history: [{ at: '2023-01-20T09:00:00.000Z', action: 'guid-assigned' }] });
    expect(episode.published?.guid).toBe(GUID);
  });

  it('is never replaced by a second create: the first GUID stays, byte for byte', async () => {
    await createEpisodeLedger(holder(), newEpisodeLedger(GUID, NOW));
    const before = await readFile(join(dir, 'published.yaml'), 'utf8');
    const late = holder();
    await expect(createEpisodeLedger(late, newEpisodeLedger('00000000-0000-4000-8000-000000000000', NOW))).rejects.toMatchObject({
      code: 'ledger-exists',
      message: 'episodes/2023-01-20-x/published.yaml was created by something else while castline was running, so no GUID was assigned',
    });
    expect(await readFile(join(dir, 'published.yaml'), 'utf8')).toBe(before);
    expect(late.published).toBeUndefined();
    expect(await readdir(dir)).toEqual(['published.yaml']);
  });

  it('is updated by replacing the file, re-read first, and an update cannot change the GUID', async () => {
    const episode = holder();
    await createEpisodeLedger(episode, newEpisodeLedger(GUID, NOW));
    await updateLedger(episode, (r) => {
      r.youtube = { videoId: 'abc' };
    });
    expect(PublishedSchema.parse(parse(await readFile(episode.files.published, 'utf8'))).youtube).toEqual({ videoId: 'abc' });
    const before = await readFile(episode.files.published, 'utf8');
    await expect(
      updateLedger(episode, (r) => {
        r.guid = 'something-else';
      }),
    ).rejects.toThrow(/an update tried to change the GUID/);
    expect(await readFile(episode.files.published, 'utf8')).toBe(before);
  });

  it('refuses to update a ledger that is not there or not valid, naming it', async () => {
    await expect(updateLedger(holder(), () => undefined)).rejects.toMatchObject({ code: 'no-ledger', message: 'episodes/2023-01-20-x/published.yaml does not exist, so there is no GUID to publish under' });
    await writeFile(join(dir, 'published.yaml'), 'guid: [1, 2]\n');
    await expect(updateLedger(holder(), () => undefined)).rejects.toMatchObject({ code: 'bad-published', hint: expect.stringContaining('git checkout -- episodes/2023-01-20-x/published.yaml') });
    expect(await readFile(join(dir, 'published.yaml'), 'utf8')).toBe('guid: [1, 2]\n');
  });

  it('state: absent without a file, present when loaded, an error when the file is there but did not load', async () => {
    expect(episodeLedgerState(holder())).toEqual({ state: 'absent' });
    const record = newEpisodeLedger(GUID, NOW);
    expect(episodeLedgerState({ ...holder(), published: record })).toEqual({ state: 'present', record });
    await writeFile(join(dir, 'published.yaml'), 'guid: [1, 2]\n');
    expect(() => episodeLedgerState(holder())).toThrow("episodes/2023-01-20-x/published.yaml is not valid, so the episode's GUID cannot be read");
  });
});

describe('the show ledger', () => {
  const ledger = { podcastGuid: '917393e3-1b1e-5cef-ace4-edaa54e1f810', feedUrl: 'https://example.org/feed.xml', createdAt: '2023-01-20T09:00:00.000Z' };

  it('reads absent, then present after it is created; a second create is refused', async () => {
    expect(await readShowLedger(dir)).toEqual({ state: 'absent' });
    await createShowLedger(dir, ledger);
    expect(await readShowLedger(dir)).toEqual({ state: 'present', ledger });
    await expect(createShowLedger(dir, { ...ledger, podcastGuid: '00000000-0000-5000-8000-000000000000' })).rejects.toMatchObject({ code: 'ledger-exists' });
    expect(await readShowLedger(dir)).toEqual({ state: 'present', ledger });
  });

  it('an invalid show ledger is an error naming it, with the schema problem in the details', async () => {
    await writeFile(join(dir, 'published.yaml'), 'podcastGuid: not-a-uuid\nfeedUrl: x\ncreatedAt: y\n');
    await expect(readShowLedger(dir)).rejects.toMatchObject({ code: 'bad-show-ledger', message: "published.yaml (the show's ledger) is not valid", details: expect.stringContaining('podcastGuid') });
  });
});
