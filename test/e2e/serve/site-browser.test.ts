import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadValidShow } from '../../../src/config/load-show.js';
import { writeFeedAndSite } from '../../../src/pipeline/write-feed-and-site.js';
import { createReporter } from '../../../src/core/reporter.js';
import { REPO_ROOT, requireTool } from '../../helpers/cli.js';
import { makeBuiltShow, testNotes } from '../../integration/feed/built-show.js';
import { startServe } from './start-serve.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = requireTool('chromium', CHROMIUM);
const quiet = createReporter({ quiet: true, stderr: { write: () => true } as unknown as NodeJS.WritableStream });
const ID = '2023-01-13-mlaisu';
const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');

let show: { root: string; cleanup: () => Promise<void> };
let server: Awaited<ReturnType<typeof startServe>>;
let browser: Browser;

/** Open a page, recording console errors and every request that leaves the preview origin. */
async function open(url: string, viewport = { width: 1280, height: 900 }): Promise<{ page: Page; errors: string[]; external: string[] }> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  const external: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`);
  });
  page.on('request', (r) => {
    if (!r.url().startsWith(server.origin) && !r.url().startsWith('data:')) external.push(r.url());
  });
  await page.route((u) => !u.href.startsWith(server.origin), (route) => route.abort());
  await page.goto(url, { waitUntil: 'load' });
  return { page, errors, external };
}

describe.runIf(hasChromium)('the site in headless Chromium', () => {
  beforeAll(async () => {
    show = await makeBuiltShow();
    const ctx = await loadValidShow(show.root);
    await writeFeedAndSite(ctx, { reporter: quiet, now: new Date('2023-02-01T00:00:00Z'), loadNotes: testNotes });
    server = await startServe(show.root);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    await mkdir(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await show?.cleanup();
  });

  it('plays the MP3, seeks by chapter, loads the captions track, with no errors and no external requests', async () => {
    const { page, errors, external } = await open(`${server.origin}episodes/${ID}/`);
    // Browser-side code as strings: the test compiles without the DOM library.
    const duration = await page.waitForFunction(`(() => {
      const a = document.querySelector('#player');
      return a && a.readyState >= 1 && Number.isFinite(a.duration) ? a.duration : false;
    })()`);
    expect(Math.round(Number(await duration.jsonValue()))).toBe(6);

    await page.getByRole('button', { name: /Opportunities/ }).click();
    const at = await page.waitForFunction(`(() => {
      const a = document.querySelector('#player');
      return a && a.currentTime >= 4 ? a.currentTime : false;
    })()`);
    expect(Number(await at.jsonValue())).toBeGreaterThanOrEqual(4);
    await page.waitForFunction(`document.querySelector('button[data-start="4"]')?.getAttribute('aria-current') === 'true'`);

    const cues = await page.waitForFunction(`(() => {
      const t = document.querySelector('#player')?.textTracks[0];
      if (t && t.mode === 'disabled') t.mode = 'hidden';
      return t?.cues && t.cues.length > 0 ? Array.from(t.cues, (c) => c.text) : false;
    })()`);
    // VTTCue.text is the raw cue payload (entities unparsed), as in the file.
    expect(await cues.jsonValue()).toEqual(['Welcome to ML &amp; AI Safety Update.', 'Superpositions and transformers.', 'Opportunities this week.']);

    expect(await page.locator('aside.correction').textContent()).toContain('Another piece reveals');
    await page.screenshot({ path: join(ARTIFACTS, 'site-episode.png'), fullPage: true });
    await page.waitForLoadState('networkidle');
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
    await page.close();
  });

  it('shows an accessible index page that fits a phone', async () => {
    const { page, errors, external } = await open(server.origin, { width: 375, height: 740 });
    const report = (await page.evaluate(`({
      lang: document.documentElement.lang,
      imagesWithoutAlt: Array.from(document.images).filter((i) => !i.alt).length,
      headings: Array.from(document.querySelectorAll('h1, h2, h3, h4')).map((h) => Number(h.tagName[1])),
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      links: Array.from(document.querySelectorAll('nav.subscribe a')).map((a) => a.textContent),
      coverLoaded: Array.from(document.images).every((i) => i.complete && i.naturalWidth > 0),
    })`)) as { lang: string; imagesWithoutAlt: number; headings: number[]; overflow: number; links: string[]; coverLoaded: boolean };
    expect(report.lang).toBe('en');
    expect(report.imagesWithoutAlt).toBe(0);
    expect(report.headings[0]).toBe(1);
    for (let i = 1; i < report.headings.length; i++) expect(report.headings[i]! - report.headings[i - 1]!).toBeLessThanOrEqual(1);
    expect(report.overflow).toBeLessThanOrEqual(0);
    expect(report.links).toEqual(['RSS feed', 'Apple Podcasts', 'Spotify', 'YouTube']);
    expect(report.coverLoaded).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'site-index-phone.png'), fullPage: true });
    await page.waitForLoadState('networkidle');
    expect(errors).toEqual([]);
    // Subscribe links point to Spotify/Apple/YouTube but nothing is fetched from them.
    expect(external).toEqual([]);
    await page.close();
  });
});
