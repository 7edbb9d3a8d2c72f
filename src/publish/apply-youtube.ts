import { createReadStream } from 'node:fs';
import { join, extname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { youtube_v3 } from '@googleapis/youtube';
import type { EpisodeContext } from '../config/load-show.js';
import type { Reporter } from '../core/reporter.js';
import { CastlineError } from '../core/errors.js';
import { type YouTubeClient, authorizedRequest } from '../youtube/create-youtube-client.js';
import { uploadResumable, UploadSessionExpiredError } from '../youtube/upload-resumable.js';
import { findVideoByMarker } from '../youtube/find-video-by-marker.js';
import { createUploadProgress } from '../core/upload-progress.js';
import { toYouTubeError, YouTubeApiError } from '../youtube/youtube-error.js';
import { MUTABLE_SNIPPET, MUTABLE_STATUS } from '../youtube/build-video-metadata.js';
import { historyEntry, updateLedger } from '../records/published-ledger.js';
import { assertNever, processingHint, type EpisodePlan, type PlanStep } from './plan-publish.js';

export interface ApplyContext {
  root: string;
  client: YouTubeClient;
  reporter: Reporter;
  chunkBytes: number;
  /** How long to wait for YouTube's processing after an upload (0: one check only). */
  processingWaitMs: number;
  /** Between processing checks. */
  processingIntervalMs?: number;
  now?: () => Date;
  /** Learned during the run, shared by every episode (the channel cannot set custom thumbnails). */
  run: { thumbnailsRefused?: string };
}

export interface EpisodeOutcome {
  id: string;
  videoId?: string;
  done: string[];
  /** Things left for the next publish that do not make this one fail (a thumbnail on an unverified channel). */
  pending: string[];
  /** A step that failed for its own reason; the episode's other steps went on. */
  error?: { code: string; message: string; hint?: string };
}

type WorkPlan = Extract<EpisodePlan, { state: 'work' }>;

/** The video's processing is over and it is not on YouTube: the episode's remaining steps are pointless. */
class VideoUnavailableError extends YouTubeApiError {}

/**
 * Carry out one episode's YouTube steps in order, recording each in published.yaml as soon as
 * YouTube confirms it, so an interruption at any point loses nothing and repeats nothing. Every
 * value comes from the plan's step: nothing is decided here. An auxiliary step (thumbnail,
 * captions, playlist) failing for its own reason does not stop the others; a failure that
 * every later call would share (quota, credentials) is thrown and stops the run.
 */
export async function applyEpisodeYouTube(ctx: ApplyContext, episode: EpisodeContext, plan: WorkPlan): Promise<EpisodeOutcome> {
  const outcome: EpisodeOutcome = { id: plan.id, done: [], pending: [], ...(plan.videoId ? { videoId: plan.videoId } : {}) };
  for (const step of plan.steps) {
    try {
      await applyStep(ctx, episode, plan, step, outcome);
      outcome.done.push(step.kind);
    } catch (error) {
      const e = error instanceof CastlineError ? error : toYouTubeError(error, step.calls.at(-1) ?? 'publish');
      if (e instanceof VideoUnavailableError) {
        outcome.error = { code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) };
        return outcome;
      }
      const auxiliary = step.kind === 'thumbnail' || step.kind === 'captions-insert' || step.kind === 'captions-update' || step.kind === 'playlist';
      if (!auxiliary || !outcome.videoId || (e instanceof YouTubeApiError && e.stopsRun)) throw e;
      outcome.error ??= { code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) };
      ctx.reporter.warn(`${plan.id}: ${e.message}; the other steps go on, and the next publish retries this one`);
    }
  }
  return outcome;
}

async function applyStep(ctx: ApplyContext, episode: EpisodeContext, plan: WorkPlan, step: PlanStep, outcome: EpisodeOutcome): Promise<void> {
  const video = (): string => {
    if (!outcome.videoId) throw new Error(`${plan.id}: the plan has a ${step.kind} step but no video (a plan bug)`);
    return outcome.videoId;
  };
  switch (step.kind) {
    case 'upload':
      outcome.videoId = await uploadVideo(ctx, episode, plan.id, step);
      return checkProcessing(ctx, episode, plan.id, outcome.videoId, ctx.processingWaitMs);
    case 'check-processing':
      return checkProcessing(ctx, episode, plan.id, video(), 0);
    case 'update-video':
      return updateVideo(ctx, episode, plan.id, video(), step);
    case 'thumbnail':
      return setThumbnail(ctx, episode, plan.id, video(), step, outcome);
    case 'captions-insert':
    case 'captions-update':
      return uploadCaptions(ctx, episode, plan.id, video(), step);
    case 'playlist':
      return addToPlaylist(ctx, episode, plan.id, video(), step);
    default:
      return assertNever(step);
  }
}

const now = (ctx: ApplyContext): Date => (ctx.now ?? (() => new Date()))();

async function call<T>(op: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toYouTubeError(error, op);
  }
}

/**
 * Studio-safe update: videos.update replaces every mutable property of each part it sends
 * (https://developers.google.com/youtube/v3/docs/videos/update, and the partial-update guide:
 * a property left out "will be deleted"). So read the video's current parts (videos.list,
 * 1 unit), change only castline's fields that changed in the YAML, and send the rest back as
 * YouTube has it — tags added in Studio, license, embeddable, a changed category stay.
 */
async function updateVideo(ctx: ApplyContext, episode: EpisodeContext, id: string, videoId: string, step: Extract<PlanStep, { kind: 'update-video' }>): Promise<void> {
  const { client } = ctx;
  const list = await call('videos.list', () => client.api.videos.list({ part: ['snippet', 'status'], id: [videoId] }, client.call));
  const current = list.data.items?.[0];
  if (!current) return recordRemoved(ctx, episode, id, videoId);
  const sendSnippet = Boolean(step.snippet) || step.unset.some((k) => k.startsWith('snippet.'));
  const sendStatus = Boolean(step.status) || step.unset.some((k) => k.startsWith('status.'));
  const requestBody: youtube_v3.Schema$Video = { id: videoId };
  if (sendSnippet) {
    const snippet = { ...pick(current.snippet ?? {}, MUTABLE_SNIPPET), ...step.snippet } as Record<string, unknown>;
    for (const k of step.unset) if (k.startsWith('snippet.')) delete snippet[k.slice('snippet.'.length)];
    requestBody.snippet = snippet;
  }
  if (sendStatus) {
    const status = { ...pick(current.status ?? {}, MUTABLE_STATUS), ...step.status } as Record<string, unknown>;
    for (const k of step.unset) if (k.startsWith('status.')) delete status[k.slice('status.'.length)];
    // publishAt only goes with a private video that is still to be scheduled (videos resource:
    // "can be set only if the privacy status of the video is private"); once passed, it is history.
    const at = status['publishAt'];
    if (status['privacyStatus'] !== 'private' || (typeof at === 'string' && !(Date.parse(at) > now(ctx).getTime()) && !step.status?.publishAt)) delete status['publishAt'];
    requestBody.status = status;
  }
  const part = [...(sendSnippet ? ['snippet'] : []), ...(sendStatus ? ['status'] : [])];
  try {
    await client.api.videos.update({ part, requestBody }, client.call);
  } catch (error) {
    const e = toYouTubeError(error, 'videos.update');
    if (e instanceof YouTubeApiError && e.status === 404) return recordRemoved(ctx, episode, id, videoId);
    throw e;
  }
  const changed = [...Object.keys(step.snippet ?? {}).map((k) => `snippet.${k}`), ...Object.keys(step.status ?? {}).map((k) => `status.${k}`), ...step.unset];
  await updateLedger(episode, (r) => {
    r.youtube = { ...r.youtube, fieldHashes: step.fieldHashes, metadataPushedAt: now(ctx).toISOString() };
    r.history.push(historyEntry('youtube-video-updated', `${videoId} ${changed.join(' ')}`, now(ctx)));
  });
  ctx.reporter.done(`${id}: ${step.detail.replace(/ \(read the video first.*\)$/, '')}`);
}

function pick(source: object, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = (source as Record<string, unknown>)[k];
    if (v !== undefined && v !== null) out[k] = v;
  }
  return out;
}

/** The video is gone from YouTube (deleted in Studio): record it, say so, never upload it again silently. */
async function recordRemoved(ctx: ApplyContext, episode: EpisodeContext, id: string, videoId: string): Promise<never> {
  const at = now(ctx).toISOString();
  await updateLedger(episode, (r) => {
    r.youtube = { ...r.youtube, removedAt: at };
    r.history.push(historyEntry('youtube-video-missing', videoId, now(ctx)));
  });
  throw new VideoUnavailableError('youtube-video-removed', `${id}: the YouTube video ${videoId} no longer exists (deleted in YouTube Studio?); castline recorded that in published.yaml and will not upload it again on its own`, {
    reason: 'videoNotFound', stopsRun: false,
    hint: `to upload the episode anew, remove the youtube: block from episodes/${id}/published.yaml and run castline publish`,
  });
}

/**
 * After an upload YouTube processes the video: videos.list with status and processingDetails
 * says `uploaded` (still processing), `processed`, `rejected` (status.rejectionReason) or
 * `failed` (status.failureReason) — https://developers.google.com/youtube/v3/docs/videos#status.uploadStatus.
 * Checked until done or `waitMs` is over (every check 1 unit); still processing, the next
 * publish checks again. A rejected or failed upload is recorded and never uploaded again by castline.
 */
async function checkProcessing(ctx: ApplyContext, episode: EpisodeContext, id: string, videoId: string, waitMs: number): Promise<void> {
  const { client, reporter } = ctx;
  const interval = ctx.processingIntervalMs ?? 10_000;
  const deadline = Date.now() + waitMs;
  for (let first = true; ; first = false) {
    if (!first) await sleep(interval);
    const list = await call('videos.list', () => client.api.videos.list({ part: ['status', 'processingDetails'], id: [videoId] }, client.call));
    const video = list.data.items?.[0];
    if (!video) return recordRemoved(ctx, episode, id, videoId);
    const upload = video.status?.uploadStatus ?? 'uploaded';
    const processingFailed = video.processingDetails?.processingStatus === 'failed';
    if (upload === 'processed' && !processingFailed) {
      await recordProcessing(ctx, episode, { status: 'processed' });
      reporter.done(`${id}: YouTube finished processing the video`);
      return;
    }
    if (upload === 'rejected' || upload === 'failed' || upload === 'deleted' || processingFailed) {
      const status = upload === 'rejected' ? 'rejected' : 'failed';
      const reason = (upload === 'rejected' ? video.status?.rejectionReason : video.status?.failureReason ?? video.processingDetails?.processingFailureReason) ?? (upload === 'deleted' ? 'deleted' : undefined);
      await recordProcessing(ctx, episode, { status, ...(reason ? { reason } : {}) });
      throw new VideoUnavailableError(status === 'rejected' ? 'youtube-upload-rejected' : 'youtube-upload-failed', `${id}: YouTube ${status} the upload ${videoId} (${reason ?? 'no reason given'})`, {
        reason: reason ?? status, stopsRun: false, hint: processingHint(status, reason),
      });
    }
    if (Date.now() + interval > deadline) {
      await recordProcessing(ctx, episode, { status: 'processing' });
      reporter.info(`${id}: YouTube is still processing the video; the next castline publish checks on it`);
      return;
    }
  }
}

async function recordProcessing(ctx: ApplyContext, episode: EpisodeContext, result: { status: 'processing' | 'processed' | 'rejected' | 'failed'; reason?: string }): Promise<void> {
  if (episode.published?.youtube?.processing?.status === result.status && result.status === 'processing') return;
  await updateLedger(episode, (r) => {
    r.youtube = { ...r.youtube, processing: { ...result, checkedAt: now(ctx).toISOString() } };
    if (result.status === 'rejected' || result.status === 'failed') r.history.push(historyEntry(`youtube-upload-${result.status}`, result.reason, now(ctx)));
  });
}

/**
 * thumbnails.set needs a channel verified for custom thumbnails: otherwise 403 `forbidden`
 * ("The authenticated user doesn't have permissions to upload and set custom video thumbnails",
 * https://developers.google.com/youtube/v3/docs/thumbnails/set#errors). That does not stop the
 * publish: the thumbnail is recorded as pending and the next publish sets it.
 */
async function setThumbnail(ctx: ApplyContext, episode: EpisodeContext, id: string, videoId: string, step: Extract<PlanStep, { kind: 'thumbnail' }>, outcome: EpisodeOutcome): Promise<void> {
  const { client, reporter } = ctx;
  const refused = async (reason: string): Promise<void> => {
    await updateLedger(episode, (r) => {
      r.youtube = { ...r.youtube, thumbnailPending: { reason, at: now(ctx).toISOString() } };
    });
    outcome.pending.push('thumbnail');
    reporter.warn(`${id}: thumbnail not set: ${reason}. Verify the channel at https://www.youtube.com/verify (custom thumbnails need it); the next castline publish sets it`);
  };
  // Once refused in this run, the same channel refuses every episode: do not spend 50 units each.
  if (ctx.run.thumbnailsRefused) return refused(ctx.run.thumbnailsRefused);
  const file = join(ctx.root, step.file.path);
  try {
    await client.api.thumbnails.set({ videoId, media: { mimeType: extname(file).toLowerCase() === '.png' ? 'image/png' : 'image/jpeg', body: createReadStream(file) } }, client.call);
  } catch (error) {
    const e = toYouTubeError(error, 'thumbnails.set');
    if (e instanceof YouTubeApiError && e.status === 403 && e.reason === 'forbidden') {
      ctx.run.thumbnailsRefused = 'YouTube refused custom thumbnails for this channel (403 forbidden: the channel is not verified)';
      return refused(ctx.run.thumbnailsRefused);
    }
    throw e;
  }
  await updateLedger(episode, (r) => {
    const { thumbnailPending: _done, ...rest } = r.youtube ?? {};
    r.youtube = { ...rest, thumbnailHash: step.file.sha256 };
  });
  reporter.done(`${id}: set the thumbnail`);
}

async function uploadCaptions(ctx: ApplyContext, episode: EpisodeContext, id: string, videoId: string, step: Extract<PlanStep, { kind: 'captions-insert' | 'captions-update' }>): Promise<void> {
  const { client } = ctx;
  const media = { mimeType: 'text/vtt', body: createReadStream(join(ctx.root, step.file.path)) };
  const op = step.kind === 'captions-update' ? 'captions.update' : 'captions.insert';
  const res = await call(op, () =>
    step.kind === 'captions-update'
      ? client.api.captions.update({ part: ['snippet'], requestBody: { id: step.captionId }, media }, client.call)
      : client.api.captions.insert({ part: ['snippet'], requestBody: { snippet: { videoId, language: step.language, name: '' } }, media }, client.call),
  );
  const captionId = res.data.id ?? (step.kind === 'captions-update' ? step.captionId : undefined);
  await updateLedger(episode, (r) => {
    r.youtube = { ...r.youtube, captionsHash: step.file.sha256, ...(captionId ? { captionId } : {}) };
  });
  ctx.reporter.done(`${id}: uploaded captions`);
}

async function addToPlaylist(ctx: ApplyContext, episode: EpisodeContext, id: string, videoId: string, step: Extract<PlanStep, { kind: 'playlist' }>): Promise<void> {
  const { client } = ctx;
  const playlistId = step.playlistId;
  const res = await call('playlistItems.insert', () => client.api.playlistItems.insert({ part: ['snippet'], requestBody: { snippet: { playlistId, resourceId: { kind: 'youtube#video', videoId } } } }, client.call));
  const itemId = res.data.id ?? undefined;
  await updateLedger(episode, (r) => {
    r.youtube = { ...r.youtube, playlistId, ...(itemId ? { playlistItemId: itemId } : {}) };
  });
  ctx.reporter.done(`${id}: added to playlist ${playlistId}`);
}

async function uploadVideo(ctx: ApplyContext, episode: EpisodeContext, id: string, step: Extract<PlanStep, { kind: 'upload' }>): Promise<string> {
  const { client, reporter } = ctx;
  const { mp4, marker } = step;
  let sessionUri = step.sessionUri;
  const progress = createUploadProgress(reporter, `${id}: uploading`, mp4.bytes);
  const attempt = () =>
    uploadResumable({
      request: authorizedRequest(client.auth),
      rootUrl: client.endpoints.rootUrl,
      filePath: join(ctx.root, mp4.path),
      bytes: mp4.bytes,
      mimeType: 'video/mp4',
      resource: step.resource,
      ...(step.notifySubscribers !== undefined ? { params: { notifySubscribers: String(step.notifySubscribers) } } : {}),
      chunkBytes: ctx.chunkBytes,
      ...(sessionUri ? { sessionUri } : {}),
      // Saved before the first byte goes out: a killed process resumes this session next time.
      onSession: async (uri) => {
        await updateLedger(episode, (r) => {
          r.youtube = { ...r.youtube, uploadSession: { uri, startedAt: now(ctx).toISOString(), fileSha256: mp4.sha256, bytes: mp4.bytes, marker } };
          r.history.push(historyEntry('youtube-upload-started', mp4.path, now(ctx)));
        });
      },
      onProgress: (sent) => progress.update(sent),
      onRetry: (r) => reporter.warn(`${id}: ${r.why}; retrying in ${(r.delayMs / 1000).toFixed(1)} s (attempt ${r.attempt})`),
    });
  let videoId: string | undefined;
  try {
    try {
      videoId = (await attempt()).video.id;
    } catch (error) {
      if (!(error instanceof UploadSessionExpiredError)) throw error;
      // The session is gone. The video may have finished without being recorded: look for it.
      reporter.info(`${id}: the saved upload session expired; looking for the video on the channel before uploading again`);
      videoId = await findVideoByMarker(client, marker);
      if (!videoId) {
        sessionUri = undefined;
        videoId = (await attempt()).video.id;
      } else {
        reporter.info(`${id}: found it (${videoId}): not uploading again`);
      }
    }
  } finally {
    progress.stop();
  }
  const uploaded = videoId;
  await updateLedger(episode, (r) => {
    const { uploadSession: _done, ...rest } = r.youtube ?? {};
    r.youtube = { ...rest, videoId: uploaded, uploadedAt: now(ctx).toISOString(), fieldHashes: step.fieldHashes, metadataPushedAt: now(ctx).toISOString() };
    r.history.push(historyEntry('youtube-uploaded', uploaded, now(ctx)));
  });
  reporter.done(`${id}: uploaded to YouTube: https://youtu.be/${uploaded}`);
  return uploaded;
}
