import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The disk fills up halfway through writing the new feed: the real writeFileAtomic runs, but
 * the temp file's handle writes half the bytes and fails with ENOSPC. Readers must still see
 * the previous feed, whole, and no temp file may be left behind.
 */
const failFeedWrites = { on: false };
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof actual.open = async (...args: Parameters<typeof actual.open>) => {
    const handle = await actual.open(...args);
    if (!failFeedWrites.on || !String(args[0]).includes('.feed.xml.')) return handle;
    return new Proxy(handle, {
      get(target, prop, receiver) {
        if (prop === 'writeFile') {
          return async (data: string | Uint8Array) => {
            const bytes = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data);
            await target.write(bytes.subarray(0, bytes.length >> 1));
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
          };
        }
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  };
  return { ...actual, open, default: { ...actual, open } };
});

const { loadValidShow } = await import('../../../src/config/load-show.js');
const { writeFeedAndSite } = await import('../../../src/pipeline/write-feed-and-site.js');
const { createReporter } = await import('../../../src/core/reporter.js');
const { makeBuiltShow, testNotes } = await import('./built-show.js');

const quiet = createReporter({ quiet: true, stderr: { write: () => true } as unknown as NodeJS.WritableStream });
let show: { root: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  show = await makeBuiltShow();
});
afterAll(async () => show?.cleanup());

describe('feed.xml is replaced atomically', () => {
  it('keeps the previous feed intact when the write fails midway', async () => {
    const now = new Date('2023-02-01T00:00:00Z');
    await writeFeedAndSite(await loadValidShow(show.root), { reporter: quiet, now, loadNotes: testNotes });
    const feedPath = join(show.root, 'dist/feed.xml');
    const before = await readFile(feedPath, 'utf8');

    const yamlPath = join(show.root, 'episodes/2023-01-20-mlaisu/episode.yaml');
    await writeFile(yamlPath, (await readFile(yamlPath, 'utf8')).replace(/^title: .*$/m, 'title: A changed title'));
    failFeedWrites.on = true;
    await expect(writeFeedAndSite(await loadValidShow(show.root), { reporter: quiet, now, loadNotes: testNotes })).rejects.toThrow(/ENOSPC/);
    failFeedWrites.on = false;

    expect(await readFile(feedPath, 'utf8')).toBe(before);
    expect((await readdir(join(show.root, 'dist'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    await writeFeedAndSite(await loadValidShow(show.root), { reporter: quiet, now, loadNotes: testNotes });
    expect(await readFile(feedPath, 'utf8')).toContain('A changed title');
  });
});
