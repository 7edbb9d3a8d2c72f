import { createReadStream } from 'node:fs';
import { join, extname } from 'node:path';
import type { EpisodeContext } from '../config/load-show.js';
import type { Reporter } from '../core/reporter.js';
import type { ErrorCode } from '../core/errors.js';
import { type YouTubeClient, authorizedRequest } from '../youtube/create-youtube-client.js';
import { uploadResumable, UploadSessionExpiredError } from '../youtube/upload-resumable.js';
import { findVideoByMarker } from '../youtube/find-video-by-marker.js';
import { createUploadProgress } from '../youtube/upload-progress.js';
import { toYouTubeError } from '../youtube/youtube-error.js';
import { historyEntry, updateLedger } from './update-ledger.js';
import type { EpisodePlan, PlanStep } from './plan-publish.js';

export interface ApplyContext {
  root: string;
  client: YouTubeClient;
  reporter: Reporter;
  chunkBytes: number;
  now?: () => Date;
}

export interface EpisodeOutcome {
  id: string;
  videoId?: string;
  done: string[];
  error?: { code: ErrorCode; message: string; hint?: string };
}

/**
 * Carry out one episode's YouTube steps in order, recording each in published.yaml as soon as
 * YouTube confirms it, so an interruption at any point loses nothing and repeats nothing.
 */
export async function applyEpisodeYouTube(ctx: ApplyContext, episode: EpisodeContext, plan: EpisodePlan): Promise<EpisodeOutcome> {
  const now = ctx.now ?? (() => new Date());
  const outcome: EpisodeOutcome = { id: plan.id, done: [], ...(plan.videoId ? { videoId: plan.videoId } : {}) };
  for (const step of plan.steps) {
    await applyStep(ctx, episode, plan, step, outcome, now);
    outcome.done.push(step.kind);
  }
  return outcome;
}

async function applyStep(ctx: ApplyContext, episode: EpisodeContext, plan: EpisodePlan, step: PlanStep, outcome: EpisodeOutcome, now: () => Date): Promise<void> {
  const { client, reporter } = ctx;
  const meta = plan.metadata;
  if (!meta || !plan.metadataHash || !plan.mp4) throw new Error(`plan for ${plan.id} has no metadata`);
  if (step.kind === 'upload' || step.kind === 'resume-upload') {
    const videoId = await uploadVideo(ctx, episode, plan, now);
    outcome.videoId = videoId;
    return;
  }
  const videoId = outcome.videoId;
  if (!videoId) throw new Error(`${plan.id}: no video id for ${step.kind}`);
  const call = client.call;
  if (step.kind === 'update-metadata') {
    // videos.update replaces the snippet whole (categoryId required): send all of it, never
    // the status, which the host may have changed in YouTube Studio since.
    try {
      await client.api.videos.update({ part: ['snippet'], requestBody: { id: videoId, snippet: meta.resource.snippet } }, call);
    } catch (error) {
      throw toYouTubeError(error, 'videos.update');
    }
    await updateLedger(episode, (r) => {
      r.youtube = { ...r.youtube, metadataHash: plan.metadataHash, metadataPushedAt: now().toISOString() };
      r.history.push(historyEntry('youtube-metadata-updated', videoId, now()));
    });
    reporter.done(`${plan.id}: updated the YouTube title/description`);
    return;
  }
  if (step.kind === 'update-status') {
    // Only the status part: privacy/schedule/made-for-kids as the YAML now says.
    try {
      await client.api.videos.update({ part: ['status'], requestBody: { id: videoId, status: meta.resource.status } }, call);
    } catch (error) {
      throw toYouTubeError(error, 'videos.update');
    }
    await updateLedger(episode, (r) => {
      r.youtube = { ...r.youtube, statusHash: plan.statusHash };
      r.history.push(historyEntry('youtube-status-updated', `${videoId} ${meta.resource.status.privacyStatus}`, now()));
    });
    reporter.done(`${plan.id}: set the YouTube video to ${meta.resource.status.privacyStatus}${meta.resource.status.publishAt ? ` (public at ${meta.resource.status.publishAt})` : ''}`);
    return;
  }
  if (step.kind === 'thumbnail' && plan.thumbnail) {
    const file = join(ctx.root, plan.thumbnail.path);
    try {
      await client.api.thumbnails.set({ videoId, media: { mimeType: extname(file).toLowerCase() === '.png' ? 'image/png' : 'image/jpeg', body: createReadStream(file) } }, call);
    } catch (error) {
      throw toYouTubeError(error, 'thumbnails.set');
    }
    const hash = plan.thumbnail.sha256;
    await updateLedger(episode, (r) => {
      r.youtube = { ...r.youtube, thumbnailHash: hash };
    });
    reporter.done(`${plan.id}: set the thumbnail`);
    return;
  }
  if (step.kind === 'captions' && plan.vtt) {
    const file = join(ctx.root, plan.vtt.path);
    const language = meta.resource.snippet.defaultAudioLanguage ?? 'en';
    let captionId: string | undefined;
    try {
      const existing = episode.published?.youtube?.captionId;
      const media = { mimeType: 'text/vtt', body: createReadStream(file) };
      const res = existing
        ? await client.api.captions.update({ part: ['snippet'], requestBody: { id: existing }, media }, call)
        : await client.api.captions.insert({ part: ['snippet'], requestBody: { snippet: { videoId, language, name: '' } }, media }, call);
      captionId = res.data.id ?? existing;
    } catch (error) {
      throw toYouTubeError(error, step.op);
    }
    const hash = plan.vtt.sha256;
    await updateLedger(episode, (r) => {
      r.youtube = { ...r.youtube, captionsHash: hash, ...(captionId ? { captionId } : {}) };
    });
    reporter.done(`${plan.id}: uploaded captions`);
    return;
  }
  if (step.kind === 'playlist' && plan.playlistId) {
    const playlistId = plan.playlistId;
    let itemId: string | undefined;
    try {
      const res = await client.api.playlistItems.insert({ part: ['snippet'], requestBody: { snippet: { playlistId, resourceId: { kind: 'youtube#video', videoId } } } }, call);
      itemId = res.data.id ?? undefined;
    } catch (error) {
      throw toYouTubeError(error, 'playlistItems.insert');
    }
    await updateLedger(episode, (r) => {
      r.youtube = { ...r.youtube, playlistId, ...(itemId ? { playlistItemId: itemId } : {}) };
    });
    reporter.done(`${plan.id}: added to playlist ${playlistId}`);
  }
}

async function uploadVideo(ctx: ApplyContext, episode: EpisodeContext, plan: EpisodePlan, now: () => Date): Promise<string> {
  const { client, reporter } = ctx;
  const mp4 = plan.mp4!;
  const marker = plan.marker!;
  const saved = episode.published?.youtube?.uploadSession;
  let sessionUri = saved && saved.fileSha256 === mp4.sha256 ? saved.uri : undefined;
  const progress = createUploadProgress(reporter, `${plan.id}: uploading`, mp4.bytes);
  const attempt = () =>
    uploadResumable({
      request: authorizedRequest(client.auth),
      rootUrl: client.endpoints.rootUrl,
      filePath: join(ctx.root, mp4.path),
      bytes: mp4.bytes,
      mimeType: 'video/mp4',
      resource: plan.metadata!.resource,
      chunkBytes: ctx.chunkBytes,
      ...(sessionUri ? { sessionUri } : {}),
      // Saved before the first byte goes out: a killed process resumes this session next time.
      onSession: async (uri) => {
        await updateLedger(episode, (r) => {
          r.youtube = { ...r.youtube, uploadSession: { uri, startedAt: now().toISOString(), fileSha256: mp4.sha256, bytes: mp4.bytes, marker } };
          r.history.push(historyEntry('youtube-upload-started', mp4.path, now()));
        });
      },
      onProgress: (sent) => progress.update(sent),
      onRetry: (r) => reporter.warn(`${plan.id}: ${r.why}; retrying in ${(r.delayMs / 1000).toFixed(1)} s (attempt ${r.attempt})`),
    });
  let videoId: string | undefined;
  try {
    try {
      videoId = (await attempt()).video.id;
    } catch (error) {
      if (!(error instanceof UploadSessionExpiredError)) throw error;
      // The session is gone. The video may have finished without being recorded: look for it.
      reporter.info(`${plan.id}: the saved upload session expired; looking for the video on the channel before uploading again`);
      videoId = await findVideoByMarker(client, marker);
      if (!videoId) {
        sessionUri = undefined;
        videoId = (await attempt()).video.id;
      } else {
        reporter.info(`${plan.id}: found it (${videoId}): not uploading again`);
      }
    }
  } finally {
    progress.stop();
  }
  const id = videoId;
  await updateLedger(episode, (r) => {
    const { uploadSession: _done, ...rest } = r.youtube ?? {};
    r.youtube = { ...rest, videoId: id, uploadedAt: now().toISOString(), metadataHash: plan.metadataHash, metadataPushedAt: now().toISOString(), statusHash: plan.statusHash };
    r.history.push(historyEntry('youtube-uploaded', id, now()));
  });
  reporter.done(`${plan.id}: uploaded to YouTube: https://youtu.be/${id}`);
  return id;
}
