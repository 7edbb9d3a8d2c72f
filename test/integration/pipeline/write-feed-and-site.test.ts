import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { parse as parseYaml } from 'yaml';
import { loadValidShow } from '../../../src/config/load-show.js';
import { writeFeedAndSite } from '../../../src/pipeline/write-feed-and-site.js';
import { createReporter } from '../../../src/core/reporter.js';
import { makeBuiltShow, testNotes } from '../feed/built-show.js';

const quiet = createReporter({ quiet: true, stderr: { write: () => true } as unknown as NodeJS.WritableStream });
const NOW = new Date('2023-02-01T00:00:00Z');
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });

let show: { root: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  show = await makeBuiltShow();
});
afterEach(async () => show.cleanup());

async function build(now = NOW) {
  const ctx = await loadValidShow(show.root);
  return writeFeedAndSite(ctx, { reporter: quiet, now, loadNotes: testNotes });
}

describe('writeFeedAndSite', () => {
  it('writes the feed, pages and assets, newest first, with exact enclosure lengths', async () => {
    const result = await build();
    expect(result.included).toEqual(['2023-01-20-mlaisu', '2023-01-13-mlaisu']);
    expect(result.excluded).toEqual([]);
    const xml = await readFile(join(show.root, 'dist/feed.xml'), 'utf8');
    const doc = parser.parse(xml);
    const items = doc.rss.channel.item;
    const mp3 = await readFile(join(show.root, 'dist/episodes/2023-01-20-mlaisu/2023-01-20-mlaisu.mp3'));
    expect(Number(items[0].enclosure['@length'])).toBe(mp3.length);
    expect(items[0].enclosure['@url']).toBe('https://example.org/mlaisu/episodes/2023-01-20-mlaisu/2023-01-20-mlaisu.mp3');
    for (const page of ['index.html', 'episodes/2023-01-20-mlaisu/index.html', 'episodes/2023-01-13-mlaisu/index.html', 'castline.css', 'castline.js', 'cover.png']) {
      expect(existsSync(join(show.root, 'dist', page)), page).toBe(true);
    }
  });

  it('produces a byte-identical feed when nothing changed (lastBuildDate from content, not the clock)', async () => {
    await build();
    const first = await readFile(join(show.root, 'dist/feed.xml'), 'utf8');
    await build(new Date('2024-06-01T00:00:00Z'));
    const second = await readFile(join(show.root, 'dist/feed.xml'), 'utf8');
    expect(second).toBe(first);
    // The correction dated 2023-01-20 and the newest item (09:00 Copenhagen = 08:00 UTC).
    expect(first).toContain('<lastBuildDate>Fri, 20 Jan 2023 08:00:00 GMT</lastBuildDate>');
  });

  it('keeps GUIDs when the folder is renamed and the title edited', async () => {
    await build();
    const guidOf = async (id: string) => (parseYaml(await readFile(join(show.root, 'episodes', id, 'published.yaml'), 'utf8')) as { guid: string }).guid;
    const before = await guidOf('2023-01-20-mlaisu');
    expect(before).toMatch(/^[0-9a-f-]{36}$/);
    await rename(join(show.root, 'episodes/2023-01-20-mlaisu'), join(show.root, 'episodes/2023-01-20-superposition'));
    await rename(join(show.root, 'dist/episodes/2023-01-20-mlaisu'), join(show.root, 'dist/episodes/2023-01-20-superposition'));
    const record = join(show.root, 'dist/episodes/2023-01-20-superposition/build.json');
    await writeFile(record, (await readFile(record, 'utf8')).replaceAll('2023-01-20-mlaisu', '2023-01-20-superposition'));
    const yamlPath = join(show.root, 'episodes/2023-01-20-superposition/episode.yaml');
    await writeFile(yamlPath, (await readFile(yamlPath, 'utf8')).replace(/^title: .*$/m, 'title: A new title'));
    await rename(join(show.root, 'dist/episodes/2023-01-20-superposition/2023-01-20-mlaisu.mp3'), join(show.root, 'dist/episodes/2023-01-20-superposition/2023-01-20-superposition.mp3'));
    await build();
    expect(await guidOf('2023-01-20-superposition')).toBe(before);
    const xml = await readFile(join(show.root, 'dist/feed.xml'), 'utf8');
    expect(xml).toContain(`<guid isPermaLink="false">${before}</guid>`);
    expect(xml).toContain('A new title');
    const ctx = await loadValidShow(show.root);
    expect(ctx.episodes.find((e) => e.id === '2023-01-20-superposition')?.published?.guid).toBe(before);
  });

  it('keeps the podcast:guid once stored, even when site.baseUrl changes', async () => {
    await build();
    const ledger = await readFile(join(show.root, 'published.yaml'), 'utf8');
    const showYaml = join(show.root, 'show.yaml');
    await writeFile(showYaml, (await readFile(showYaml, 'utf8')).replace('https://example.org/mlaisu/', 'https://podcast.example.net/'));
    await build();
    expect(await readFile(join(show.root, 'published.yaml'), 'utf8')).toBe(ledger);
    const xml = await readFile(join(show.root, 'dist/feed.xml'), 'utf8');
    expect(xml).toContain(`<podcast:guid>${(parseYaml(ledger) as { podcastGuid: string }).podcastGuid}</podcast:guid>`);
    expect(xml).toContain('https://podcast.example.net/feed.xml');
  });

  it('leaves future-dated episodes out until their time, and reports unbuilt ones', async () => {
    const yamlPath = join(show.root, 'episodes/2023-01-20-mlaisu/episode.yaml');
    await writeFile(yamlPath, (await readFile(yamlPath, 'utf8')).replace('time: "09:00"', 'time: "18:30"'));
    const before = await build(new Date('2023-01-20T17:29:00Z'));
    expect(before.included).toEqual(['2023-01-13-mlaisu']);
    expect(before.excluded[0]?.id).toBe('2023-01-20-mlaisu');
    expect(before.excluded[0]?.reason).toMatch(/scheduled for 2023-01-20T17:30:00.000Z/);
    expect(await readFile(join(show.root, 'dist/feed.xml'), 'utf8')).not.toContain('Overfitting in superposition');
    const after = await build(new Date('2023-01-20T17:30:00Z'));
    expect(after.included).toEqual(['2023-01-20-mlaisu', '2023-01-13-mlaisu']);

    await rm(join(show.root, 'dist/episodes/2023-01-13-mlaisu/build.json'));
    const unbuilt = await build();
    expect(unbuilt.excluded).toEqual([{ id: '2023-01-13-mlaisu', reason: 'not built yet (run castline build 2023-01-13-mlaisu)' }]);
  });

  it('puts the dated correction first in description, content:encoded and the page, and links a published video', async () => {
    const pub = join(show.root, 'episodes/2023-01-13-mlaisu/published.yaml');
    await build();
    const record = parseYaml(await readFile(pub, 'utf8')) as Record<string, unknown>;
    await writeFile(pub, JSON.stringify({ ...record, youtube: { videoId: 'dQw4w9WgXcQ' } }));
    await build();
    const doc = parser.parse(await readFile(join(show.root, 'dist/feed.xml'), 'utf8'));
    const item = doc.rss.channel.item[1];
    expect(item.description).toMatch(/^<p>Correction \(January 20, 2023\): Another piece reveals/);
    expect(item['content:encoded']).toMatch(/^<p>Correction \(January 20, 2023\)/);
    expect(item.description).toContain('https://www.youtube.com/watch?v=dQw4w9WgXcQ');
    expect(item['content:encoded']).toContain('https://www.youtube.com/watch?v=dQw4w9WgXcQ');
    const page = await readFile(join(show.root, 'dist/episodes/2023-01-13-mlaisu/index.html'), 'utf8');
    expect(page).toMatch(/<aside class="correction"[^>]*>\s*<h2[^>]*>Correction<\/h2>\s*<p><time datetime="2023-01-20">January 20, 2023<\/time>: Another piece/);
    expect(page).toContain('href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"');
  });
});

describe('with the script stage notes.md of the example show', () => {
  it('fills description (≤ 4000 bytes, p/ol/ul/li/a only) and content:encoded from notes.md', async () => {
    const ctx = await loadValidShow(show.root);
    const result = await writeFeedAndSite(ctx, { reporter: quiet, now: NOW });
    expect(result.included).toHaveLength(2);
    const doc = parser.parse(await readFile(join(show.root, 'dist/feed.xml'), 'utf8'));
    const newest = doc.rss.channel.item[0];
    expect(Buffer.byteLength(newest.description)).toBeLessThanOrEqual(4000);
    const tags = new Set([...String(newest.description).matchAll(/<\/?([a-z0-9]+)/g)].map((m) => m[1]));
    expect([...tags].every((t) => ['p', 'ol', 'ul', 'li', 'a'].includes(t!))).toBe(true);
    expect(newest.description).toContain('Anthropic');
    expect(newest['content:encoded']).toContain('Tracr');
    expect(newest['itunes:summary']).toMatch(/\S/);
    const page = await readFile(join(show.root, 'dist/episodes/2023-01-20-mlaisu/index.html'), 'utf8');
    expect(page).toContain('Tracr');
  });
});

describe('episode artwork and dropped builds', () => {
  it('copies the episode image into dist/ and names it in itunes:image', async () => {
    const { cp } = await import('node:fs/promises');
    await cp(join(show.root, 'assets/cover.png'), join(show.root, 'episodes/2023-01-20-mlaisu/art.png'));
    const yamlPath = join(show.root, 'episodes/2023-01-20-mlaisu/episode.yaml');
    await writeFile(yamlPath, `${await readFile(yamlPath, 'utf8')}image: art.png\n`);
    await build();
    const doc = parser.parse(await readFile(join(show.root, 'dist/feed.xml'), 'utf8'));
    expect(doc.rss.channel.item[0]['itunes:image']['@href']).toBe('https://example.org/mlaisu/episodes/2023-01-20-mlaisu/cover.png');
    expect(existsSync(join(show.root, 'dist/episodes/2023-01-20-mlaisu/cover.png'))).toBe(true);
  });

  it('warns loudly when an episode that had a GUID loses its build', async () => {
    await build();
    await rm(join(show.root, 'dist/episodes/2023-01-13-mlaisu/2023-01-13-mlaisu.mp3'));
    const warnings: string[] = [];
    const reporter = { ...quiet, warn: (m: string) => warnings.push(m) };
    const result = await writeFeedAndSite(await loadValidShow(show.root), { reporter, now: NOW, loadNotes: testNotes });
    expect(result.included).toEqual(['2023-01-20-mlaisu']);
    expect(warnings).toEqual(['2023-01-13-mlaisu has a GUID but no build in dist/, so the feed no longer lists it: run castline build 2023-01-13-mlaisu']);
  });
});

describe('bad input leaves the feed alone', () => {
  it('refuses an invalid published.yaml with a hint, writing nothing', async () => {
    await build();
    const before = await readFile(join(show.root, 'dist/feed.xml'), 'utf8');
    const pub = join(show.root, 'episodes/2023-01-20-mlaisu/published.yaml');
    await writeFile(pub, 'guid: [not, a, string]\n');
    const ctx = await loadValidShow(show.root).catch(() => undefined);
    expect(ctx).toBeUndefined(); // the loader reports it; the feed stage must refuse it too
    const { loadShow } = await import('../../../src/config/load-show.js');
    const loose = await loadShow(show.root);
    await expect(writeFeedAndSite(loose, { reporter: quiet, now: NOW, loadNotes: testNotes })).rejects.toMatchObject({
      message: 'episodes/2023-01-20-mlaisu/published.yaml is not valid, so the episode\'s GUID cannot be read',
      hint: expect.stringContaining('restore it from git'),
    });
    expect(await readFile(pub, 'utf8')).toBe('guid: [not, a, string]\n');
    expect(await readFile(join(show.root, 'dist/feed.xml'), 'utf8')).toBe(before);
  });

  it('refuses a damaged build.json, naming it, instead of silently dropping the episode', async () => {
    await build();
    const before = await readFile(join(show.root, 'dist/feed.xml'), 'utf8');
    await writeFile(join(show.root, 'dist/episodes/2023-01-13-mlaisu/build.json'), '{ "broken": true }');
    await expect(writeFeedAndSite(await loadValidShow(show.root), { reporter: quiet, now: NOW, loadNotes: testNotes })).rejects.toMatchObject({
      code: 'build-record-invalid',
      message: expect.stringMatching(/^dist\/episodes\/2023-01-13-mlaisu\/build\.json is not a valid build record: .*id/),
      hint: 'castline writes it; run castline build 2023-01-13-mlaisu to rebuild the episode and rewrite it',
    });
    await writeFile(join(show.root, 'dist/episodes/2023-01-13-mlaisu/build.json'), '{ not json');
    await expect(writeFeedAndSite(await loadValidShow(show.root), { reporter: quiet, now: NOW, loadNotes: testNotes })).rejects.toMatchObject({
      message: expect.stringMatching(/^dist\/episodes\/2023-01-13-mlaisu\/build\.json is not a valid build record: not JSON/),
    });
    expect(await readFile(join(show.root, 'dist/feed.xml'), 'utf8')).toBe(before);
  });

  it('refuses show notes without text, naming notes.md, before writing anything', async () => {
    await writeFile(join(show.root, 'episodes/2023-01-20-mlaisu/notes.md'), '# Only a title\n');
    await expect(writeFeedAndSite(await loadValidShow(show.root), { reporter: quiet, now: NOW })).rejects.toMatchObject({
      code: 'notes-empty',
      message: 'episodes/2023-01-20-mlaisu/notes.md has no show notes text',
    });
    expect(existsSync(join(show.root, 'dist/feed.xml'))).toBe(false);
    expect(existsSync(join(show.root, 'published.yaml'))).toBe(false); // the show ledger is written in the apply phase only
  });

  it('refuses a missing cover, saying the feed was left as it was', async () => {
    await build();
    const before = await readFile(join(show.root, 'dist/feed.xml'), 'utf8');
    const { rm } = await import('node:fs/promises');
    await rm(join(show.root, 'assets/cover.png'));
    await expect(writeFeedAndSite(await loadValidShow(show.root), { reporter: quiet, now: NOW, loadNotes: testNotes })).rejects.toMatchObject({
      message: 'show.yaml cover assets/cover.png does not exist',
      state: 'dist/feed.xml and the site were left as they were',
    });
    expect(await readFile(join(show.root, 'dist/feed.xml'), 'utf8')).toBe(before);
  });
});
