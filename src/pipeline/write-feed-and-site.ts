import { readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { EpisodeContext, ShowContext } from '../config/load-show.js';
import type { Reporter } from '../core/reporter.js';
import { CastlineError } from '../core/errors.js';
import { copyFileAtomic, writeFileAtomic } from '../core/fs-atomic.js';
import { sha256 } from '../core/hash.js';
import { mapLimit } from '../core/map-limit.js';
import { presentBuild, readBuildRecord, type BuildRecordRead, type EpisodeBuild, type OutputFile } from '../records/build-record.js';
import { createShowLedger, episodeLedgerState, readShowLedger, type EpisodeLedgerState, type ShowLedger } from '../records/published-ledger.js';
import { readOptionalNotes, renderNotesHtml } from '../script/notes.js';
import { publicationInstant } from '../publication/publication-time.js';
import { planPublication, planVideoFeed, VIDEO_FEED_FILE, type EpisodePublicationInput, type PublicationPlan } from '../publication/plan-publication.js';
import type { EpisodeNotes } from '../publication/episode-notes.js';
import { buildFeedXml } from '../feed/build-feed-xml.js';
import { derivePodcastGuid, uuidV5 } from '../feed/podcast-guid.js';
import { renderEpisodePage, renderIndexPage, type PageFile } from '../site/render-pages.js';
import { SITE_CSS, SITE_CSS_FILE, SITE_JS, SITE_JS_FILE } from '../site/site-assets.js';
import { vttToText } from '../site/vtt-text.js';
import { applyEpisodeGuids, planEpisodeGuids, type GuidAssignment } from './assign-episode-guids.js';

export interface FeedAndSiteResult {
  feed: OutputFile;
  /** dist/feed-video.xml (feed.videoFeed). */
  videoFeed?: OutputFile;
  /** index.html and every episode page written. */
  pages: OutputFile[];
  /** Episodes in the feed, newest first. */
  included: string[];
  /** Episodes left out, with why (not built yet, dated in the future). */
  excluded: { id: string; reason: string }[];
}

/** Where an episode's show notes come from; a seam for tests (default: the script stage's notes.md). */
export type NotesLoader = (episode: EpisodeContext) => Promise<EpisodeNotes | undefined>;

export interface FeedAndSiteOptions {
  reporter: Reporter;
  now?: Date;
  loadNotes?: NotesLoader;
}

/** What the read phase found for one episode. */
interface EpisodeRead {
  episode: EpisodeContext;
  build: BuildRecordRead | undefined;
  /** Read only for episodes that go into the feed (due and built). */
  ledger: EpisodeLedgerState | undefined;
  notes: EpisodeNotes | undefined;
  /** Transcript cues for the page, from the build's VTT. */
  transcript: string[] | undefined;
  /** The episode's own artwork (episode.yaml `image`), checked to exist. */
  imageSource: string | undefined;
}

/**
 * Write dist/feed.xml (atomically) and the static site from the show, every episode's build
 * record (dist/episodes/<id>/build.json), ledger (published.yaml) and notes (notes.md). Called
 * last by `castline build` and `castline publish`. Read everything, plan (pure: the publication
 * plan, the feed XML, the pages), then apply: new ledgers (show podcast:guid, episode GUIDs)
 * first, then copies, pages and assets, and the feed last, so the feed never points at a page
 * or file that is not there yet.
 */
export async function writeFeedAndSite(show: ShowContext, options: FeedAndSiteOptions): Promise<FeedAndSiteResult> {
  const now = options.now ?? new Date();
  const { reporter } = options;
  const dist = join(show.root, 'dist');

  // Read.
  const coverDistPath = `cover${extname(show.show.cover).toLowerCase()}`;
  const coverSource = join(show.root, show.show.cover);
  if (!existsSync(coverSource)) {
    throw new CastlineError('cover-missing', `show.yaml cover ${show.show.cover} does not exist`, {
      hint: 'add the image or fix the path in show.yaml; castline check lists every problem',
      state: 'dist/feed.xml and the site were left as they were',
    });
  }
  const showLedger = await readShowLedger(show.root);
  // Episodes are independent: read them concurrently (1,000 episodes are I/O-latency bound).
  const reads = await mapLimit(show.episodes, 16, (episode) => readEpisode(show.root, episode, now, reporter, options.loadNotes));

  // Plan (pure).
  const feedUrl = `${show.show.site.baseUrl}feed.xml`;
  const ledger: ShowLedger = showLedger.state === 'present' ? showLedger.ledger : { podcastGuid: derivePodcastGuid(feedUrl), feedUrl, createdAt: now.toISOString() };
  const guids = planEpisodeGuids(
    reads.flatMap((r) => (r.ledger ? [{ id: r.episode.id, ledger: r.ledger }] : [])),
    { now },
  );
  const inputs = reads.map((r) => publicationInput(r, guids));
  const plan = planPublication(show.show, inputs, { now, podcastGuid: ledger.podcastGuid, ledgerCreatedAt: ledger.createdAt, coverDistPath });
  const xml = buildFeedXml(plan);
  const videoXml = show.show.feed.videoFeed ? buildFeedXml(videoPlan(plan, ledger)) : undefined;
  const pages = renderPages(plan, reads, coverDistPath);
  const copies = [
    { from: coverSource, to: coverDistPath },
    ...reads.flatMap((r) => {
      const to = inputs.find((i) => i.id === r.episode.id)?.imageDistPath;
      return r.imageSource && to && plan.items.some((item) => item.id === r.episode.id) ? [{ from: r.imageSource, to }] : [];
    }),
  ];

  // Apply: ledgers first (the feed carries their GUIDs), the feed last.
  if (showLedger.state === 'absent') await createShowLedger(show.root, ledger);
  await applyEpisodeGuids(show, guids);
  for (const c of copies) await copyIfChanged(c.from, join(dist, c.to));
  await writeIfChanged(join(dist, SITE_CSS_FILE), SITE_CSS);
  await writeIfChanged(join(dist, SITE_JS_FILE), SITE_JS);
  const written = await mapLimit(pages, 16, async (page) => {
    await writeIfChanged(join(dist, page.path), page.html);
    return describe(`dist/${page.path}`, page.html);
  });
  if (videoXml !== undefined) await writeFileAtomic(join(dist, VIDEO_FEED_FILE), videoXml);
  await writeFileAtomic(join(dist, 'feed.xml'), xml);
  const feed = describe('dist/feed.xml', xml);

  reporter.done(`wrote dist/feed.xml (${plan.items.length} episode${plan.items.length === 1 ? '' : 's'}) and ${pages.length} page${pages.length === 1 ? '' : 's'}`);
  for (const r of guids) reporter.info(`  ${r.id}: assigned its permanent GUID ${r.record.guid} (episodes/${r.id}/published.yaml)`);
  for (const ex of plan.excluded) {
    const read = reads.find((r) => r.episode.id === ex.id);
    // An episode that has a GUID was built (and maybe published) before: dropping it from the
    // feed makes podcatchers delete it, so say so loudly rather than in passing.
    if (read?.episode.published?.guid && !isBuilt(read.build)) {
      reporter.warn(`${ex.id} has a GUID but no build in dist/, so the feed no longer lists it: run castline build ${ex.id}`);
    } else reporter.info(`  not in the feed: ${ex.id}: ${ex.reason}`);
  }
  return { feed, ...(videoXml !== undefined ? { videoFeed: describe(`dist/${VIDEO_FEED_FILE}`, videoXml) } : {}), pages: written, included: plan.items.map((i) => i.id), excluded: plan.excluded };
}

/**
 * The video feed's plan. Its podcast:guid follows the namespace's rule (docs/tags/guid.md:
 * UUIDv5 of the feed URL without scheme) applied to the video feed's URL beside the feed URL
 * the show's GUID was first derived from (the show ledger keeps it), so, like the show's, it
 * does not change when site.baseUrl moves.
 */
function videoPlan(plan: PublicationPlan, ledger: ShowLedger): PublicationPlan {
  const firstUrl = ledger.feedUrl.replace(/feed\.xml$/, VIDEO_FEED_FILE);
  const podcastGuid = derivePodcastGuid(firstUrl);
  return planVideoFeed(plan, { feedUrl: plan.channel.feedUrl.replace(/feed\.xml$/, VIDEO_FEED_FILE), podcastGuid, itemGuid: (guid) => uuidV5(guid, podcastGuid) });
}

/**
 * One episode's build record, and for an episode due and built its ledger, notes and
 * transcript. A missing optional file is a typed absent; anything else is an error naming it.
 */
async function readEpisode(root: string, episode: EpisodeContext, now: Date, reporter: Reporter, loadNotes: NotesLoader | undefined): Promise<EpisodeRead> {
  const read: EpisodeRead = { episode, build: undefined, ledger: undefined, notes: undefined, transcript: undefined, imageSource: undefined };
  const config = episode.config;
  if (!config) return read;
  read.build = await readBuildRecord(root, episode.id);
  const due = publicationInstant(config.date ?? episode.folderDate, config.time, config.timezone) <= now;
  if (!due || !isBuilt(read.build)) return read;
  const build = presentBuild(read.build)!;
  // The feed names the MP4 only when it is in dist/ (never a file that is not deployed), or
  // kept on the deploy target with the rest of a build read back from there.
  const mp4 = build.outputs.mp4;
  if (mp4 && read.build.state === 'present' && !existsSync(join(root, mp4.path))) {
    const { mp4: _gone, ...outputs } = build.outputs;
    read.build = { ...read.build, record: { ...build, outputs } };
  }
  read.ledger = episodeLedgerState(episode);
  read.notes = loadNotes ? await loadNotes(episode) : await readNotesFor(episode, build, reporter);
  if (build.outputs.vtt) read.transcript = await readTranscript(root, build.outputs.vtt.path);
  if (config.image) {
    read.imageSource = join(episode.dir, config.image);
    if (!existsSync(read.imageSource)) {
      throw new CastlineError('file-missing', `episodes/${episode.id}/episode.yaml → image: ${config.image} does not exist`, {
        hint: 'add the image to the episode folder or remove the image line; castline check lists every problem',
        state: 'dist/feed.xml and the site were left as they were',
      });
    }
  }
  return read;
}

async function readNotesFor(episode: EpisodeContext, build: EpisodeBuild, reporter: Reporter): Promise<EpisodeNotes | undefined> {
  const read = await readOptionalNotes(episode, build);
  if (read.state === 'absent') {
    reporter.warn(`${episode.id}: no show notes (${read.file} is missing: there are no show notes for episode ${episode.id} yet); using episode.yaml description`);
    return undefined;
  }
  const notes = read.notes;
  return { summary: notes.summary, html: (options) => renderNotesHtml(notes, options) };
}

/** The transcript cues of a VTT the build record names; a VTT deleted since is simply no transcript. */
async function readTranscript(root: string, showRelative: string): Promise<string[] | undefined> {
  try {
    return vttToText(await readFile(join(root, showRelative), 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CastlineError('transcript-unreadable', `${showRelative} (the episode's transcript) cannot be read (${(error as NodeJS.ErrnoException).code})`, {
      hint: 'check the permissions of dist/, or rebuild the episode with castline build',
      cause: error,
    });
  }
}

/** Built here, or kept on the deploy target (its record read back): either way in the feed. */
function isBuilt(read: BuildRecordRead | undefined): boolean {
  return read !== undefined && presentBuild(read) !== undefined;
}

function publicationInput(r: EpisodeRead, guids: readonly GuidAssignment[]): EpisodePublicationInput {
  const { episode } = r;
  const guid = r.ledger?.state === 'present' ? r.ledger.record.guid : guids.find((g) => g.id === episode.id)?.record.guid;
  const image = episode.config?.image;
  return {
    id: episode.id,
    folderDate: episode.folderDate,
    config: episode.config,
    build: r.build ? presentBuild(r.build) : undefined,
    guid,
    videoId: episode.published?.youtube?.videoId,
    notes: r.notes,
    ...(image && r.ledger ? { imageDistPath: `episodes/${episode.id}/cover${extname(image).toLowerCase()}` } : {}),
  };
}

function renderPages(plan: PublicationPlan, reads: readonly EpisodeRead[], coverDistPath: string): PageFile[] {
  const episodes = plan.items.map((item) => {
    const transcript = reads.find((r) => r.episode.id === item.id)?.transcript;
    return renderEpisodePage(plan, item, transcript === undefined ? {} : { transcript });
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
  let current: string | undefined;
  try {
    current = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (current !== text) await writeFileAtomic(path, text);
}

async function copyIfChanged(source: string, target: string): Promise<void> {
  const s = await stat(source);
  let t: Awaited<ReturnType<typeof stat>> | undefined;
  try {
    t = await stat(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (t && t.size === s.size && t.mtimeMs >= s.mtimeMs) return;
  await copyFileAtomic(source, target);
}
