import { readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { ShowContext } from '../config/load-show.js';
import type { Reporter } from '../core/reporter.js';
import { readEpisodeBuild, type OutputFile } from '../media/build-record.js';
import { CastlineError } from '../core/errors.js';
import { copyFileAtomic, writeFileAtomic } from '../core/fs-atomic.js';
import { sha256 } from '../core/hash.js';
import { mapLimit } from '../core/map-limit.js';
import { publicationInstant } from './publication-time.js';
import { planFeed, type EpisodeFeedInput, type FeedPlan } from './plan-feed.js';
import { buildFeedXml } from './build-feed-xml.js';
import { ensureShowLedger } from './show-ledger.js';
import { ensureEpisodeGuidFor } from './ensure-episode-guid.js';
import { readEpisodeNotes, type NotesLoader } from './episode-notes.js';
import { renderEpisodePage, renderIndexPage, type PageFile } from '../site/render-pages.js';
import { SITE_CSS, SITE_CSS_FILE, SITE_JS, SITE_JS_FILE } from '../site/site-assets.js';
import { vttToText } from '../site/vtt-text.js';

export interface FeedAndSiteResult {
  feed: OutputFile;
  /** index.html and every episode page written. */
  pages: OutputFile[];
  /** Episodes in the feed, newest first. */
  included: string[];
  /** Episodes left out, with why (not built yet, dated in the future). */
  excluded: { id: string; reason: string }[];
}

export interface FeedAndSiteOptions {
  reporter: Reporter;
  now?: Date;
  /** Where show notes come from (default: the script stage's notes.md reader). */
  loadNotes?: NotesLoader;
}

/**
 * Write dist/feed.xml (atomically) and the static site from the show and every episode's
 * build record (dist/episodes/<id>/build.json). Called last by `castline build`/`publish`.
 * Read everything, plan (pure), then write: pages and assets first, the feed last, so the
 * feed never points at a page or file that is not there yet.
 */
export async function writeFeedAndSite(show: ShowContext, options: FeedAndSiteOptions): Promise<FeedAndSiteResult> {
  const now = options.now ?? new Date();
  const { reporter } = options;
  const dist = join(show.root, 'dist');
  // Checked before anything is written.
  const coverDistPath = `cover${extname(show.show.cover).toLowerCase()}`;
  const coverSource = join(show.root, show.show.cover);
  if (!existsSync(coverSource)) {
    throw new CastlineError('cover-missing', `show.yaml cover ${show.show.cover} does not exist`, {
      hint: 'add the image or fix the path in show.yaml; castline check lists every problem',
      state: 'dist/feed.xml and the site were left as they were',
    });
  }
  const feedUrl = `${show.show.site.baseUrl}feed.xml`;
  const ledger = await ensureShowLedger(show.root, feedUrl, now);

  // Episodes are independent: read them concurrently (1,000 episodes are I/O-latency bound).
  const inputs = await mapLimit(show.episodes, 16, async (ep): Promise<EpisodeFeedInput> => {
    const input: EpisodeFeedInput = { id: ep.id, folderDate: ep.folderDate, config: ep.config, build: undefined, guid: undefined, videoId: undefined, notes: undefined };
    if (!ep.config) return input;
    const due = publicationInstant(ep.config.date ?? ep.folderDate, ep.config.time, ep.config.timezone) <= now;
    input.build = await readEpisodeBuild(show.root, ep.id);
    if (!due || !input.build) return input;
    input.guid = await ensureEpisodeGuidFor(ep, now);
    input.videoId = ep.published?.youtube?.videoId;
    if (options.loadNotes) {
      input.notes = await options.loadNotes(ep);
    } else {
      const read = await readEpisodeNotes(ep);
      input.notes = read.notes;
      if (!read.notes) reporter.warn(`${ep.id}: no show notes (${read.reason}); using episode.yaml description`);
    }
    if (ep.config.image) {
      input.imageDistPath = `episodes/${ep.id}/cover${extname(ep.config.image).toLowerCase()}`;
      await copyIfChanged(join(ep.dir, ep.config.image), join(dist, input.imageDistPath));
    }
    return input;
  });

  await copyIfChanged(coverSource, join(dist, coverDistPath));

  const plan = planFeed(show.show, inputs, { now, podcastGuid: ledger.podcastGuid, ledgerCreatedAt: ledger.createdAt, coverDistPath });
  const xml = buildFeedXml(plan);
  const pages = await renderPages(show.root, plan, coverDistPath);

  await writeIfChanged(join(dist, SITE_CSS_FILE), SITE_CSS);
  await writeIfChanged(join(dist, SITE_JS_FILE), SITE_JS);
  const written = await mapLimit(pages, 16, async (page) => {
    await writeIfChanged(join(dist, page.path), page.html);
    return describe(`dist/${page.path}`, page.html);
  });
  await writeFileAtomic(join(dist, 'feed.xml'), xml);
  const feed = describe('dist/feed.xml', xml);
  reporter.done(`wrote dist/feed.xml (${plan.items.length} episode${plan.items.length === 1 ? '' : 's'}) and ${pages.length} page${pages.length === 1 ? '' : 's'}`);
  for (const ex of plan.excluded) {
    const listedBefore = show.episodes.find((e) => e.id === ex.id)?.published?.guid && !inputs.find((i) => i.id === ex.id)?.build;
    // An episode that has a GUID was built (and maybe published) before: dropping it from the
    // feed makes podcatchers delete it, so say so loudly rather than in passing.
    if (listedBefore) reporter.warn(`${ex.id} has a GUID but no build in dist/, so the feed no longer lists it: run castline build ${ex.id}`);
    else reporter.info(`  not in the feed: ${ex.id}: ${ex.reason}`);
  }
  return { feed, pages: written, included: plan.items.map((i) => i.id), excluded: plan.excluded };
}

async function renderPages(root: string, plan: FeedPlan, coverDistPath: string): Promise<PageFile[]> {
  const episodes = await mapLimit(plan.items, 16, async (item) => {
    const vtt = item.vtt ? await readFile(join(root, 'dist', item.vtt.distPath), 'utf8').catch(() => undefined) : undefined;
    return renderEpisodePage(plan, item, vtt === undefined ? {} : { transcript: vttToText(vtt) });
  });
  return [renderIndexPage(plan, coverDistPath), ...episodes];
}

function describe(path: string, text: string): OutputFile {
  return { path, bytes: Buffer.byteLength(text, 'utf8'), sha256: sha256(text) };
}

/**
 * Pages are rewritten only when their text changed: an atomic write costs an fsync, and a
 * 1,000-episode show would otherwise sync 1,000 unchanged pages (bench-feed.mjs).
 */
async function writeIfChanged(path: string, text: string): Promise<void> {
  const current = await readFile(path, 'utf8').catch(() => undefined);
  if (current !== text) await writeFileAtomic(path, text);
}

async function copyIfChanged(source: string, target: string): Promise<void> {
  const [s, t] = await Promise.all([stat(source), stat(target).catch(() => undefined)]);
  if (t && t.size === s.size && t.mtimeMs >= s.mtimeMs) return;
  await copyFileAtomic(source, target);
}

/**
 * The episode's GUID from published.yaml, assigning one (and writing published.yaml
 * atomically) at its first build. Never changes afterwards.
 */
export async function ensureEpisodeGuid(show: ShowContext, episodeId: string): Promise<string> {
  const episode = show.episodes.find((e) => e.id === episodeId);
  if (!episode) throw new CastlineError('unknown-episode', `No episode "${episodeId}" in episodes/`, { hint: 'pass the episode folder name' });
  return ensureEpisodeGuidFor(episode);
}
