import type { ShowConfig } from '../config/show-schema.js';
import type { EpisodeConfig } from '../config/episode-schema.js';
import type { PublishedRecord } from '../config/published-schema.js';
import type { EpisodeBuild, OutputFile } from '../media/build-record.js';
import { hashValue } from '../core/hash.js';
import { buildVideoMetadata, type VideoMetadata } from '../youtube/build-video-metadata.js';

/**
 * What `castline publish` will do, computed without I/O from everything read beforehand
 * (changesets' assembleReleasePlan style): per episode the YouTube calls with their quota cost,
 * then the feed/site and the deploy. `--dry-run` prints this; apply carries it out.
 * Quota costs: https://developers.google.com/youtube/v3/determine_quota_cost.
 */
export const QUOTA = {
  'videos.insert': 1600,
  'videos.update': 50,
  'videos.list': 1,
  'thumbnails.set': 50,
  'captions.insert': 400,
  'captions.update': 450,
  'playlistItems.insert': 50,
  'playlistItems.list': 1,
  'channels.list': 1,
} as const;

export type YouTubeOp = keyof typeof QUOTA;

export type StepKind = 'upload' | 'resume-upload' | 'update-metadata' | 'update-status' | 'thumbnail' | 'captions' | 'playlist';

export interface PlanStep {
  kind: StepKind;
  op: YouTubeOp;
  cost: number;
  detail: string;
}

export interface EpisodePublishInput {
  id: string;
  config: EpisodeConfig | undefined;
  published: PublishedRecord | undefined;
  build: EpisodeBuild | undefined;
  notesText: string | undefined;
}

export type EpisodePlanState = 'up-to-date' | 'work' | 'not-built' | 'skipped' | 'invalid';

export interface EpisodePlan {
  id: string;
  state: EpisodePlanState;
  reason?: string;
  steps: PlanStep[];
  quota: number;
  /** The video resource castline would send (absent for skipped/blocked episodes). */
  metadata?: VideoMetadata;
  metadataHash?: string;
  statusHash?: string;
  marker?: string;
  videoId?: string;
  mp4?: OutputFile;
  thumbnail?: OutputFile;
  vtt?: OutputFile;
  playlistId?: string;
  /** Corrections in episode.yaml not yet recorded as pushed everywhere. */
  correctionsPending: boolean;
  correctionsHash?: string;
}

export interface PublishPlan {
  episodes: EpisodePlan[];
  quota: number;
  /** Whether the YouTube part runs at all (show.yaml has a youtube section). */
  youtube: boolean;
  feed: boolean;
  deploy: { target: 'local'; path: string } | undefined;
}

export interface PlanOptions {
  now: Date;
  /** Write the feed and site, then deploy (false: YouTube only). */
  feed: boolean;
  /** Absolute deploy folder, when show.yaml deploy.path is set. */
  deployPath: string | undefined;
}

/** The marker castline puts in a video's description to find it again (see find-video-by-marker). */
export function videoMarker(guid: string | undefined): string {
  return `castline:${guid ?? 'pending-guid'}`;
}

export function planEpisode(show: ShowConfig, input: EpisodePublishInput, now: Date): EpisodePlan {
  const base = { id: input.id, steps: [] as PlanStep[], quota: 0, correctionsPending: false };
  const ep = input.config;
  if (!ep) return { ...base, state: 'invalid', reason: 'episode.yaml is not valid (castline check lists the problems)' };
  const correctionsHash = ep.corrections.length ? hashValue(ep.corrections) : undefined;
  const correctionsPending = Boolean(correctionsHash && input.published?.corrections?.pushedHash !== correctionsHash);
  const withCorrections = { ...base, correctionsPending, ...(correctionsHash ? { correctionsHash } : {}) };
  if (!show.youtube) return { ...withCorrections, state: 'skipped', reason: 'show.yaml has no youtube section' };
  if (ep.youtube.skip) return { ...withCorrections, state: 'skipped', reason: 'episode.yaml youtube.skip is true' };
  const build = input.build;
  if (!build) return { ...withCorrections, state: 'not-built', reason: 'not built yet: run castline build first' };
  const mp4 = build.outputs.mp4;
  if (!mp4) return { ...withCorrections, state: 'not-built', reason: 'the build has no MP4 video: run castline build' };

  const yt = input.published?.youtube;
  const marker = videoMarker(input.published?.guid);
  const metadata = buildVideoMetadata({
    show,
    episodeId: input.id,
    episode: ep,
    chapters: build.chapters,
    durationSeconds: build.durationSeconds,
    notesText: input.notesText,
    marker,
  });
  const metadataHash = hashValue(metadata.resource.snippet);
  const statusHash = hashValue(metadata.resource.status);
  const steps: PlanStep[] = [];
  const add = (kind: StepKind, op: YouTubeOp, detail: string, cost: number = QUOTA[op]): void => void steps.push({ kind, op, cost, detail });

  if (!yt?.videoId) {
    const publishAt = ep.youtube.publishAt;
    if (publishAt && !(Date.parse(publishAt) > now.getTime())) {
      return { ...withCorrections, state: 'invalid', reason: `episode.yaml youtube.publishAt (${publishAt}) is in the past: set a future time or remove it` };
    }
    const session = yt?.uploadSession;
    if (session && session.fileSha256 === mp4.sha256) {
      // The insert was charged when the session started; resuming costs nothing more.
      add('resume-upload', 'videos.insert', `resume the upload of ${mp4.path} (session saved ${session.startedAt})`, 0);
    } else {
      add('upload', 'videos.insert', `upload ${mp4.path} (${mp4.bytes} bytes) as "${metadata.resource.snippet.title}", ${metadata.resource.status.privacyStatus}`);
    }
  } else if (yt.metadataHash !== metadataHash) {
    add('update-metadata', 'videos.update', correctionsPending ? 'update the title/description (corrections) without touching the video' : 'update the title/description/tags');
  }
  // The host changed privacy/schedule in the YAML since it was last sent (e.g. private → public
  // after review). A ledger without statusHash predates this record: nothing to compare with.
  if (yt?.videoId && yt.statusHash !== undefined && yt.statusHash !== statusHash) {
    const publishAt = metadata.resource.status.publishAt;
    if (publishAt && !(Date.parse(publishAt) > now.getTime())) {
      return { ...withCorrections, state: 'invalid', reason: `episode.yaml youtube.publishAt (${publishAt}) is in the past: set a future time or remove it` };
    }
    add('update-status', 'videos.update', `set the video ${publishAt ? `to go public at ${publishAt}` : `to ${metadata.resource.status.privacyStatus}`}`);
  }
  const thumbnail = build.outputs.thumbnail;
  if (thumbnail && yt?.thumbnailHash !== thumbnail.sha256) add('thumbnail', 'thumbnails.set', `set the thumbnail ${thumbnail.path}`);
  const vtt = build.outputs.vtt;
  if (vtt && yt?.captionsHash !== vtt.sha256) {
    if (yt?.captionId) add('captions', 'captions.update', `replace the captions with ${vtt.path}`);
    else add('captions', 'captions.insert', `add captions from ${vtt.path}`);
  }
  const playlistId = ep.youtube.playlistId ?? show.youtube.playlistId;
  if (playlistId && !(yt?.playlistItemId && yt.playlistId === playlistId)) add('playlist', 'playlistItems.insert', `add to playlist ${playlistId}`);

  return {
    ...withCorrections,
    state: steps.length ? 'work' : 'up-to-date',
    steps,
    quota: steps.reduce((n, s) => n + s.cost, 0),
    metadata,
    metadataHash,
    statusHash,
    marker,
    ...(yt?.videoId ? { videoId: yt.videoId } : {}),
    mp4,
    ...(thumbnail ? { thumbnail } : {}),
    ...(vtt ? { vtt } : {}),
    ...(playlistId ? { playlistId } : {}),
  };
}

export function planPublish(show: ShowConfig, inputs: readonly EpisodePublishInput[], options: PlanOptions): PublishPlan {
  const episodes = inputs.map((input) => planEpisode(show, input, options.now));
  return {
    episodes,
    quota: episodes.reduce((n, e) => n + e.quota, 0),
    youtube: Boolean(show.youtube),
    feed: options.feed,
    deploy: options.feed && options.deployPath ? { target: 'local', path: options.deployPath } : undefined,
  };
}

/** The plan as lines for --dry-run and the start of a real run. */
export function formatPlan(plan: PublishPlan): string[] {
  const lines: string[] = [];
  for (const ep of plan.episodes) {
    const head = ep.videoId ? `${ep.id} (https://youtu.be/${ep.videoId})` : ep.id;
    if (ep.state !== 'work') {
      const why = ep.state === 'up-to-date' ? 'YouTube is up to date' : ep.reason ?? ep.state;
      lines.push(`${head}: ${why}${ep.correctionsPending ? '; corrections to push to the feed' : ''}`);
      continue;
    }
    lines.push(`${head}:`);
    for (const s of ep.steps) lines.push(`  - ${s.detail}  [${s.op}, ${s.cost} units]`);
    for (const n of ep.metadata?.notes ?? []) lines.push(`  note: ${n}`);
  }
  if (plan.feed) lines.push(`then write dist/feed.xml and the site${plan.deploy ? `, and copy dist/ to ${plan.deploy.path} (feed.xml last)` : ''}`);
  lines.push(`YouTube quota: ${plan.quota} units (the default daily quota is 10,000)`);
  return lines;
}
