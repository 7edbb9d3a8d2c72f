import { join } from 'node:path';
import { existsSync, readdirSync } from 'node:fs';
import { loadShow, type EpisodeContext, type ShowContext } from '../config/load-show.js';
import type { Reporter } from '../core/reporter.js';
import { CastlineError, ProblemsError, errorMessage, formatProblem, type ErrorCode } from '../core/errors.js';
import { presentBuild, readBuildRecord, type EpisodeBuild } from '../records/build-record.js';
import { episodeLedgerState, historyEntry, updateLedger } from '../records/published-ledger.js';
import { readFile } from 'node:fs/promises';
import { sha256 } from '../core/hash.js';
import { writeFeedAndSite } from '../pipeline/write-feed-and-site.js';
import { AUDIO_EXT, CAMERA_EXT } from '../media/find-recording.js';
import { applyEpisodeGuids, planEpisodeGuids } from '../pipeline/assign-episode-guids.js';
import { loadCredentials, missingCredentialsError } from '../youtube/load-credentials.js';
import { createYouTubeClient, youtubeEndpoints, type YouTubeClient } from '../youtube/create-youtube-client.js';
import { toYouTubeError, YouTubeApiError } from '../youtube/youtube-error.js';
import { readNotesText } from '../youtube/read-notes-text.js';
import { planPublish, formatPlan, assertNever, type PublishPlan, type EpisodePublishInput } from './plan-publish.js';
import { applyEpisodeYouTube, type EpisodeOutcome } from './apply-youtube.js';
import { acquirePublishLock } from './publish-lock.js';
import { describeDeploy } from '../deploy/create-target.js';
import type { DeploySiteResult } from '../deploy/deploy-site.js';
import type { VerifyResult } from '../deploy/verify-site.js';

/**
 * `castline publish`: read everything, plan (pure), then apply — YouTube per episode, then the
 * feed and site (last, so the feed never points at a video or file that is not there), then the
 * deploy, then corrections recorded as pushed. One episode failing does not undo the others;
 * the summary says where each one stands.
 */
export interface PublishOptions {
  root: string;
  /** Episode ids (default: every episode). */
  ids: readonly string[] | undefined;
  dryRun: boolean;
  /** Write the feed/site and deploy after YouTube (false with --youtube-only). */
  feed: boolean;
  /** After a deploy to S3 or SFTP, check the live site (castline verify); default true. */
  verify?: boolean;
  reporter: Reporter;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  /**
   * Build these episodes first (those with a recording): the media stage's incremental build,
   * which re-encodes only what changed. Absent: use whatever dist/ holds.
   */
  build?: (ids: string[], needsLocalMedia: (id: string) => boolean) => Promise<void>;
}

export interface EpisodeSummary {
  id: string;
  state: string;
  videoId?: string;
  url?: string;
  done: string[];
  error?: { code: ErrorCode; message: string; hint?: string };
}

export interface PublishResult {
  dryRun: boolean;
  plan: PublishPlan;
  episodes: EpisodeSummary[];
  feed?: { path: string; episodes: string[] } | { error: string };
  deploy?: DeploySiteResult | { error: string };
  verify?: VerifyResult | { error: string };
  ok: boolean;
}

export async function runPublish(options: PublishOptions): Promise<PublishResult> {
  if (options.dryRun) return publishLocked(options);
  const release = await acquirePublishLock(options.root);
  try {
    return await publishLocked(options);
  } finally {
    await release();
  }
}

async function publishLocked(options: PublishOptions): Promise<PublishResult> {
  const { reporter } = options;
  const now = options.now ?? (() => new Date());
  const env = options.env ?? process.env;
  let show = await loadShow(options.root, options.ids ? { only: options.ids } : {});
  const recorded = (options.ids ?? show.episodes.map((e) => e.id)).filter((id) => hasRecording(show.episodes.find((e) => e.id === id)));
  if (options.dryRun && options.build && recorded.length) reporter.info(`first: castline build ${recorded.join(' ')} (re-encodes only what changed)`);
  if (!options.dryRun && options.build && recorded.length) {
    try {
      // A video still to upload needs its MP4 here, even when the episode is deployed already.
      const needsVideo = (id: string): boolean => {
        const ep = show.episodes.find((e) => e.id === id);
        return Boolean(show.show.youtube && ep?.config && !ep.config.youtube.skip && !ep.published?.youtube?.videoId);
      };
      await options.build(recorded, needsVideo);
    } catch (error) {
      const state = 'the build failed, so nothing was published';
      // A build's problem list (a damaged visual, a bad take) is printed whole, not as its summary line.
      if (error instanceof ProblemsError && !error.state) throw new ProblemsError(error.problems, error.message, { state, cause: error });
      if (error instanceof CastlineError && !error.state) {
        throw new CastlineError(error.code, error.message, { hint: error.hint, state, cause: error });
      }
      throw error;
    }
    // Reloaded: the build assigned GUIDs and wrote new build records.
    show = await loadShow(options.root, options.ids ? { only: options.ids } : {});
  }
  // Episodes built and deployed before but not built here (a fresh clone whose recordings are
  // not in git): their build records come back from the target, so the feed keeps them.
  if (!options.dryRun && options.feed && describeDeploy(show.root, show.show.deploy)) {
    const { restoreDeployedBuilds } = await import('../deploy/remote-build-state.js');
    await restoreDeployedBuilds(show, { reporter, env });
  }
  for (const p of show.problems) if (p.severity === 'warning') reporter.warn(formatProblem(p).replace(/^warning: /, ''));
  const selected = options.ids ? show.episodes.filter((e) => options.ids!.includes(e.id)) : show.episodes;

  const builds = new Map<string, EpisodeBuild | undefined>();
  const kept = new Set<string>();
  for (const ep of selected) {
    const read = await readBuildRecord(show.root, ep.id);
    builds.set(ep.id, presentBuild(read));
    if (read.state === 'kept') kept.add(ep.id);
  }
  // A built episode gets its permanent GUID before anything is uploaded (the upload marker and
  // the ledger need it): planned from what was read, applied here unless this is a dry run.
  const candidates = selected.filter((ep) => builds.get(ep.id) && ep.config).map((ep) => ({ id: ep.id, ledger: episodeLedgerState(ep) }));
  const guids = planEpisodeGuids(candidates, { now: now() });
  if (!options.dryRun) await applyEpisodeGuids(show, guids);
  const inputs: EpisodePublishInput[] = [];
  for (const ep of selected) {
    const build = builds.get(ep.id);
    inputs.push({ id: ep.id, config: ep.config, published: ep.published, build, ...(kept.has(ep.id) ? { mediaKept: true } : {}), notesText: await readNotesText(ep, build) });
  }
  const deployPath = describeDeploy(show.root, show.show.deploy);
  const plan = planPublish(show.show, inputs, { now: now(), feed: options.feed, deployPath });
  for (const line of formatPlan(plan)) reporter.info(line);
  for (const w of plan.warnings) reporter.warn(w);
  for (const ep of plan.episodes) if (ep.state === 'work') for (const w of ep.warnings) reporter.warn(`${ep.id}: ${w}`);
  const summaries = new Map<string, EpisodeSummary>(plan.episodes.map((e) => [e.id, initialSummary(e)]));
  const result: PublishResult = { dryRun: options.dryRun, plan, episodes: [...summaries.values()], ok: true };
  if (options.dryRun) {
    reporter.info('dry run: nothing was uploaded or written');
    return result;
  }

  const work = plan.episodes.filter((e): e is Extract<typeof e, { state: 'work' }> => e.state === 'work');
  let client: YouTubeClient | undefined;
  if (work.length) {
    // Credentials are checked before any work, so a missing or revoked token changes nothing.
    const credentials = await loadCredentials(env);
    if (!credentials) throw missingCredentialsError();
    client = createYouTubeClient(credentials, youtubeEndpoints(env));
    try {
      await client.auth.getAccessToken();
    } catch (error) {
      const e = toYouTubeError(error, 'sign-in');
      throw new CastlineError(e.code, e.message, { hint: e.hint, state: 'nothing was uploaded or changed', cause: error });
    }
    await checkPlaylists(client, plan);
  }

  let stopped: YouTubeApiError | undefined;
  const chunkBytes = (show.show.youtube?.chunkMiB ?? 8) * 1024 * 1024;
  const processingWaitMs = (show.show.youtube?.processingWaitSeconds ?? 120) * 1000;
  const run = {};
  for (const ep of work) {
    const summary = summaries.get(ep.id)!;
    if (stopped) {
      summary.state = `not attempted: ${stopped.reason}`;
      continue;
    }
    const episode = show.episodes.find((e) => e.id === ep.id)!;
    let outcome: EpisodeOutcome | undefined;
    try {
      outcome = await applyEpisodeYouTube({ root: show.root, client: client!, reporter, chunkBytes, processingWaitMs, now, run }, episode, ep);
      const state = outcome.error ? `uploaded; some steps failed (rerun to finish)` : outcome.pending.length ? `published; ${outcome.pending.join(', ')} pending (the next publish sets it)` : 'published';
      Object.assign(summary, { state, done: outcome.done }, videoFields(outcome.videoId), outcome.error ? { error: outcome.error } : {});
    } catch (error) {
      const e = error instanceof CastlineError ? error : toYouTubeError(error, 'publish');
      const yt = episode.published?.youtube;
      Object.assign(summary, videoFields(yt?.videoId), {
        state: yt?.videoId ? 'uploaded; some steps failed (rerun to finish)' : yt?.uploadSession ? 'upload interrupted; the session is saved (rerun resumes)' : 'not uploaded',
        error: { code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) },
      });
      reporter.warn(`${ep.id}: ${e.message}`);
      if (e instanceof YouTubeApiError && e.stopsRun) stopped = e;
    }
  }

  if (options.feed) await writeFeedAndDeploy(options.root, plan, result, reporter, now, env, options.verify ?? true);
  result.episodes = [...summaries.values()];
  result.ok = result.episodes.every((s) => !s.error && !(options.ids && s.state.startsWith('not built'))) && !hasError(result.feed) && !hasError(result.deploy) && !hasError(result.verify) && !(result.verify && 'ok' in result.verify && !result.verify.ok);
  printSummary(reporter, result);
  return result;
}

/** The error a publish that did not finish everything ends with (after its summary). */
export function publishIncompleteError(result: PublishResult): CastlineError {
  const first = result.episodes.find((e) => e.error)?.error;
  const unbuilt = result.episodes.filter((e) => e.state.startsWith('not built')).map((e) => e.id);
  if (!first && unbuilt.length) {
    return new CastlineError('publish-not-built', `Not built yet, so not published: ${unbuilt.join(', ')}`, {
      hint: 'put the recording in the episode\'s audio/ folder and run castline build (castline publish builds recorded episodes itself)',
      state: 'the other episodes were published; their state is in the summary above',
    });
  }
  return new CastlineError('publish-incomplete', first ? `Publishing stopped: ${first.message}` : 'Publishing did not finish everything (see the summary above)', {
    hint: first?.hint ?? 'fix the problem above and rerun castline publish: finished steps will not be repeated',
    state: 'every finished step is recorded in published.yaml; a rerun picks up from there without uploading anything twice',
  });
}

/**
 * Every playlist the plan adds to must exist before anything is uploaded (playlists.list,
 * 1 unit each): a typo in youtube.playlistId otherwise surfaces only after the upload.
 */
async function checkPlaylists(client: YouTubeClient, plan: PublishPlan): Promise<void> {
  for (const check of plan.playlistChecks) {
    let found: boolean;
    try {
      const res = await client.api.playlists.list({ part: ['id'], id: [check.playlistId] }, client.call);
      found = Boolean(res.data.items?.length);
    } catch (error) {
      const e = toYouTubeError(error, 'playlists.list');
      throw new CastlineError(e.code, e.message, { hint: e.hint, state: 'nothing was uploaded or changed', cause: error });
    }
    if (!found) {
      throw new CastlineError('youtube-playlist-not-found', `${check.source}: YouTube has no playlist ${check.playlistId} that this channel can see`, {
        hint: 'copy the id from the playlist\'s URL (list=PL…) in YouTube Studio → Content → Playlists, on the channel castline uploads to (castline auth youtube --status)',
        state: 'nothing was uploaded or changed',
      });
    }
  }
}

function hasRecording(episode: EpisodeContext | undefined): boolean {
  if (!episode) return false;
  const has = (dir: string, ext: RegExp): boolean => existsSync(dir) && readdirSync(dir).some((f) => ext.test(f) && !f.startsWith('.'));
  return has(episode.files.audio, AUDIO_EXT) || has(episode.files.video, CAMERA_EXT);
}

function initialSummary(e: PublishPlan['episodes'][number]): EpisodeSummary {
  const videoId = 'videoId' in e ? e.videoId : undefined;
  switch (e.state) {
    case 'up-to-date':
      return { id: e.id, state: 'up to date', done: [], ...videoFields(videoId) };
    case 'work':
      return { id: e.id, state: 'pending', done: [], ...videoFields(videoId) };
    case 'not-built':
      return { id: e.id, state: `not built (${e.reason})`, done: [] };
    case 'removed':
    case 'rejected':
      return { id: e.id, state: `${e.state === 'removed' ? 'removed from YouTube' : 'rejected by YouTube'} (${e.reason}); not uploaded again`, done: [], ...videoFields(videoId) };
    case 'invalid':
    case 'skipped':
      return { id: e.id, state: `${e.state} (${e.reason})`, done: [] };
    default:
      return assertNever(e);
  }
}

function videoFields(videoId: string | undefined): { videoId?: string; url?: string } {
  return videoId ? { videoId, url: `https://youtu.be/${videoId}` } : {};
}

function hasError(x: unknown): boolean {
  return Boolean(x && typeof x === 'object' && 'error' in x);
}

async function writeFeedAndDeploy(root: string, plan: PublishPlan, result: PublishResult, reporter: Reporter, now: () => Date, env: NodeJS.ProcessEnv, verify: boolean): Promise<void> {
  let show: ShowContext;
  let feedChanged = false;
  let included: string[] = [];
  try {
    // Reloaded: the ledgers now hold the new video ids, which the feed and pages link to.
    show = await loadShow(root);
    const feedPath = join(root, 'dist', 'feed.xml');
    const before = existsSync(feedPath) ? sha256(await readFile(feedPath)) : undefined;
    const feed = await writeFeedAndSite(show, { reporter, now: now() });
    feedChanged = feed.feed.sha256 !== before;
    included = feed.included;
    result.feed = { path: feed.feed.path, episodes: feed.included };
  } catch (error) {
    result.feed = { error: errorMessage(error) };
    reporter.warn(`feed and site not written: ${errorMessage(error)}`);
    return;
  }
  if (plan.deploy) {
    try {
      const { deploySite } = await import('../deploy/deploy-site.js');
      const deployed = await deploySite(show, { dryRun: false, reporter, env });
      if (deployed) result.deploy = deployed;
      // A folder may not be served yet (or only behind the host's own web server): verify
      // the remote targets, whose address site.baseUrl is.
      if (deployed && verify && show.show.deploy.target !== 'local') {
        const { verifySite } = await import('../deploy/verify-site.js');
        // CASTLINE_VERIFY_BASE_URL: where the live site is fetched instead of site.baseUrl, as
        // `castline verify --base-url` (a staging address; the CI workflow tests use it).
        const verifyBase = env['CASTLINE_VERIFY_BASE_URL'];
        result.verify = await verifySite(show, { reporter, ...(verifyBase ? { baseUrl: verifyBase } : {}) }).catch((error: unknown) => ({ error: errorMessage(error) }));
      }
    } catch (error) {
      result.deploy = { error: errorMessage(error) };
      reporter.warn(`deploy to ${plan.deploy.path} failed: ${errorMessage(error)}`);
      return;
    }
  }
  // Record when each episode first went out in a feed, and when the feed carrying it changed
  // (castline status shows it); an unchanged feed rewrites no ledger.
  for (const id of included) {
    const episode = show.episodes.find((e) => e.id === id);
    if (!episode?.published || (!feedChanged && episode.published.feed?.firstPublishedAt)) continue;
    await updateLedger(episode, (r) => {
      const at = now().toISOString();
      r.feed = { ...r.feed, firstPublishedAt: r.feed?.firstPublishedAt ?? at, pushedAt: at };
    });
  }
  // A correction is pushed once YouTube (if the episode is there) and the feed both carry it.
  for (const ep of plan.episodes) {
    const summary = result.episodes.find((s) => s.id === ep.id);
    if (!ep.correctionsPending || !ep.correctionsHash || summary?.error) continue;
    const episode = show.episodes.find((e) => e.id === ep.id);
    if (!episode?.published) continue;
    const hash = ep.correctionsHash;
    await updateLedger(episode, (r) => {
      r.corrections = { pushedHash: hash, pushedAt: now().toISOString() };
      r.history.push(historyEntry('corrections-pushed', undefined, now()));
    });
    reporter.done(`${ep.id}: corrections published`);
  }
}

function printSummary(reporter: Reporter, result: PublishResult): void {
  reporter.info('summary:');
  for (const s of result.episodes) {
    reporter.info(`  ${s.id}: ${s.state}${s.url ? ` ${s.url}` : ''}${s.error ? ` — ${s.error.message}` : ''}`);
  }
  if (result.feed) reporter.info(`  feed: ${'error' in result.feed ? `not written (${result.feed.error})` : `${result.feed.path} (${result.feed.episodes.length} episodes)`}`);
  if (result.deploy) reporter.info(`  deploy: ${'error' in result.deploy ? `failed (${result.deploy.error})` : `${result.deploy.target}`}`);
  if (result.verify) reporter.info(`  verify: ${'error' in result.verify ? `failed (${result.verify.error})` : result.verify.ok ? 'the live feed and its files are fine' : `${result.verify.problems.length} problems (listed above)`}`);
}
