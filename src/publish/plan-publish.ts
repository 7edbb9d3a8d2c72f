import type { ShowConfig } from '../config/show-schema.js';
import type { EpisodeConfig } from '../config/episode-schema.js';
import type { PublishedRecord, YouTubeRecord } from '../records/published-ledger.js';
import type { EpisodeBuild, OutputFile } from '../records/build-record.js';
import { hashValue } from '../core/hash.js';
import {
  buildVideoMetadata,
  SNIPPET_FIELDS,
  STATUS_FIELDS,
  type VideoMetadata,
  type VideoResource,
  type VideoSnippet,
  type VideoStatus,
} from '../youtube/build-video-metadata.js';

/**
 * What `castline publish` will do, computed without I/O from everything read beforehand
 * (changesets' assembleReleasePlan style): per episode a state, and for an episode with work
 * the YouTube steps, each carrying every value apply needs, so apply never decides anything
 * again. `--dry-run` prints this; apply carries it out step by step.
 *
 * Quota (https://developers.google.com/youtube/v3/determine_quota_cost): a project gets two
 * buckets a day — 100 `videos.insert` calls in a bucket of their own (1 per call; search.list
 * has its own 100 too, castline never calls it) and 10,000 units for every other method.
 * (The revision history of 2025-12-04 moved the upload off the 1600-unit price.) Reset at
 * midnight Pacific time.
 */
export const DAILY_QUOTA = { videosInsert: 100, units: 10_000 } as const;

/** Units per call of the methods castline uses, from the quota cost table. */
export const UNIT_COST = {
  'videos.list': 1,
  'videos.update': 50,
  'thumbnails.set': 50,
  'captions.insert': 400,
  'captions.update': 450,
  'playlistItems.insert': 50,
  'playlistItems.list': 1,
  'playlists.list': 1,
  'channels.list': 1,
} as const;

export type UnitOp = keyof typeof UNIT_COST;
export type YouTubeOp = 'videos.insert' | UnitOp;

/** A cost in both buckets. */
export interface Quota {
  videosInsert: number;
  units: number;
}

export function quotaOf(calls: readonly YouTubeOp[]): Quota {
  let videosInsert = 0;
  let units = 0;
  for (const op of calls) {
    if (op === 'videos.insert') videosInsert++;
    else units += UNIT_COST[op];
  }
  return { videosInsert, units };
}

export function addQuota(a: Quota, b: Quota): Quota {
  return { videosInsert: a.videosInsert + b.videosInsert, units: a.units + b.units };
}

const NO_QUOTA: Quota = { videosInsert: 0, units: 0 };

interface StepBase {
  /** The API calls the step makes, in order (a read before an update, the processing check after an upload). */
  calls: YouTubeOp[];
  cost: Quota;
  detail: string;
}

/** Field → hash of the value castline sends, for every field castline owns (see fieldHashes in the ledger). */
export type FieldHashes = Record<string, string>;

export type PlanStep =
  | (StepBase & {
      kind: 'upload';
      mp4: OutputFile;
      resource: VideoResource;
      marker: string;
      fieldHashes: FieldHashes;
      /** videos.insert notifySubscribers, only when set in YAML. */
      notifySubscribers?: boolean;
      /** A saved session for this same file: the upload resumes (its insert was charged when it started). */
      sessionUri?: string;
    })
  | (StepBase & { kind: 'check-processing' })
  | (StepBase & {
      kind: 'update-video';
      /** Castline's fields whose YAML value changed since last sent, by part; undefined = remove. */
      snippet?: Partial<VideoSnippet>;
      status?: Partial<VideoStatus>;
      /** Fields to remove from the current video (e.g. a publishAt dropped from the YAML). */
      unset: string[];
      fieldHashes: FieldHashes;
    })
  | (StepBase & { kind: 'thumbnail'; file: OutputFile })
  | (StepBase & { kind: 'captions-insert'; file: OutputFile; language: string })
  | (StepBase & { kind: 'captions-update'; file: OutputFile; captionId: string })
  | (StepBase & { kind: 'playlist'; playlistId: string });

export type StepKind = PlanStep['kind'];

export interface EpisodePublishInput {
  id: string;
  config: EpisodeConfig | undefined;
  published: PublishedRecord | undefined;
  build: EpisodeBuild | undefined;
  /** The build was read back from the deploy target: its MP3/MP4 are there, not in dist/. */
  mediaKept?: boolean;
  notesText: string | undefined;
}

interface EpisodeBase {
  id: string;
  /** Corrections in episode.yaml not yet recorded as pushed everywhere. */
  correctionsPending: boolean;
  correctionsHash?: string;
}

export type EpisodePlan =
  | (EpisodeBase & { state: 'invalid' | 'skipped' | 'not-built'; reason: string })
  /** The video is gone (deleted in Studio) or YouTube rejected it: reported, never re-uploaded on castline's own. */
  | (EpisodeBase & { state: 'removed' | 'rejected'; reason: string; hint: string; videoId: string })
  | (EpisodeBase & { state: 'up-to-date'; videoId: string; metadata: VideoMetadata; warnings: string[] })
  | (EpisodeBase & { state: 'work'; videoId?: string; steps: PlanStep[]; quota: Quota; metadata: VideoMetadata; warnings: string[] });

export type EpisodePlanState = EpisodePlan['state'];

/** A playlist id checked with playlists.list before anything is uploaded. */
export interface PlaylistCheck {
  playlistId: string;
  /** Where the id comes from, for the error. */
  source: string;
  cost: Quota;
}

export interface PublishPlan {
  episodes: EpisodePlan[];
  playlistChecks: PlaylistCheck[];
  /** Both buckets, the playlist checks included. */
  quota: Quota;
  /** Bucket warnings: the plan needs more than a day's quota. */
  warnings: string[];
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

/**
 * Videos longer than 15 minutes need a verified channel (https://support.google.com/youtube/answer/71673):
 * an unverified channel's longer upload is rejected with status.rejectionReason `length`.
 */
export const UNVERIFIED_MAX_SECONDS = 15 * 60;

/** Every field castline owns in the resource, as `part.field` → value. */
export function ownedFields(resource: VideoResource): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of SNIPPET_FIELDS) out[`snippet.${f}`] = resource.snippet[f];
  for (const f of STATUS_FIELDS) out[`status.${f}`] = resource.status[f];
  return out;
}

export function hashFields(resource: VideoResource): FieldHashes {
  return Object.fromEntries(Object.entries(ownedFields(resource)).map(([k, v]) => [k, hashValue(v ?? null)]));
}

/** The fields whose YAML value changed since castline last sent them. */
function changedFields(yt: YouTubeRecord, resource: VideoResource, hashes: FieldHashes): string[] {
  if (yt.fieldHashes) return Object.keys(hashes).filter((k) => yt.fieldHashes?.[k] !== hashes[k]);
  // A ledger from before per-field hashes: compare the part hashes it has, and push only the
  // fields castline always wrote (the content, and the status as the YAML says).
  const changed: string[] = [];
  if (yt.metadataHash !== undefined && yt.metadataHash !== hashValue(resource.snippet)) changed.push('snippet.title', 'snippet.description', 'snippet.tags');
  if (yt.statusHash !== undefined && yt.statusHash !== hashValue(resource.status)) {
    changed.push(...STATUS_FIELDS.filter((f) => f === 'privacyStatus' || f === 'publishAt' || f === 'selfDeclaredMadeForKids' || resource.status[f] !== undefined).map((f) => `status.${f}`));
  }
  return changed;
}

function costed<S extends Omit<PlanStep, 'cost'>>(step: S): S & { cost: Quota } {
  return { ...step, cost: quotaOf(step.calls) };
}

/** Why YouTube rejected or failed an upload, and what the host can do (videos resource status.rejectionReason / failureReason). */
export function processingHint(status: 'rejected' | 'failed', reason: string | undefined): string {
  const hints: Record<string, string> = {
    duplicate: 'YouTube already has this video on the channel: use that one (put its id in Studio) or delete it in Studio before uploading again',
    length: 'the video is longer than the channel may upload: verify the channel at https://www.youtube.com/verify (videos over 15 minutes need it)',
    copyright: 'YouTube found copyrighted material (music beds, clips): replace it, rebuild and upload again',
    claim: 'a rights holder claimed the content: see YouTube Studio → Copyright',
    termsOfUse: 'YouTube says the video breaks its terms of use: see YouTube Studio for the details',
    inappropriate: 'YouTube found the content inappropriate: see YouTube Studio for the details',
    trademark: 'YouTube found a trademark problem: see YouTube Studio for the details',
    legal: 'YouTube removed it for a legal reason: see YouTube Studio for the details',
    uploaderAccountClosed: 'the channel was closed',
    uploaderAccountSuspended: 'the channel is suspended',
    codec: 'YouTube could not read the video codec: rebuild with castline build (H.264/AAC MP4)',
    conversion: 'YouTube could not convert the file: rebuild with castline build and upload again',
    emptyFile: 'the uploaded file was empty: rebuild with castline build',
    invalidFile: 'YouTube could not read the file: rebuild with castline build',
    tooSmall: 'the file is too small to be a video: rebuild with castline build',
    uploadAborted: 'the upload was aborted: upload again',
  };
  const fix = (reason && hints[reason]) ?? 'see the video in YouTube Studio for the details';
  return `${fix}; castline does not upload it again on its own: once fixed, delete the video in YouTube Studio, remove the youtube: block from the episode's published.yaml and run castline publish`;
}

export function planEpisode(show: ShowConfig, input: EpisodePublishInput, now: Date): EpisodePlan {
  const ep = input.config;
  if (!ep) return { id: input.id, correctionsPending: false, state: 'invalid', reason: 'episode.yaml is not valid (castline check lists the problems)' };
  const correctionsHash = ep.corrections.length ? hashValue(ep.corrections) : undefined;
  const correctionsPending = Boolean(correctionsHash && input.published?.corrections?.pushedHash !== correctionsHash);
  const base: EpisodeBase = { id: input.id, correctionsPending, ...(correctionsHash ? { correctionsHash } : {}) };
  if (!show.youtube) return { ...base, state: 'skipped', reason: 'show.yaml has no youtube section' };
  if (ep.youtube.skip) return { ...base, state: 'skipped', reason: 'episode.yaml youtube.skip is true' };
  const build = input.build;
  if (!build) return { ...base, state: 'not-built', reason: 'not built yet: run castline build first' };
  const mp4 = build.outputs.mp4;
  if (!mp4) return { ...base, state: 'not-built', reason: 'the build has no MP4 video: run castline build' };

  const yt = input.published?.youtube;
  if (input.mediaKept && !yt?.videoId) {
    return { ...base, state: 'not-built', reason: `its MP4 is only on the deploy target (the build was read back from it), and YouTube needs the file: run castline build ${input.id} --force, then castline publish` };
  }
  if (yt?.videoId && yt.removedAt) {
    return { ...base, state: 'removed', videoId: yt.videoId, reason: `the video ${yt.videoId} is gone from YouTube (found ${yt.removedAt}; deleted in Studio?)`, hint: 'castline does not upload it again on its own: to upload anew, remove the youtube: block from the episode\'s published.yaml and run castline publish' };
  }
  const processing = yt?.processing;
  if (yt?.videoId && processing && (processing.status === 'rejected' || processing.status === 'failed')) {
    return { ...base, state: 'rejected', videoId: yt.videoId, reason: `YouTube ${processing.status} the upload ${yt.videoId} (${processing.reason ?? 'no reason given'})`, hint: processingHint(processing.status, processing.reason) };
  }

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
  const resource = metadata.resource;
  const fieldHashes = hashFields(resource);
  const warnings: string[] = [];
  const steps: PlanStep[] = [];
  const publishAt = resource.status.publishAt;
  const pastPublishAt = (): EpisodePlan => ({ ...base, state: 'invalid', reason: `episode.yaml youtube.publishAt (${publishAt}) is in the past: set a future time or remove it` });

  if (!yt?.videoId) {
    if (publishAt && !(Date.parse(publishAt) > now.getTime())) return pastPublishAt();
    if (build.durationSeconds > UNVERIFIED_MAX_SECONDS) {
      warnings.push(`the video is ${Math.round(build.durationSeconds / 60)} minutes long: YouTube takes videos over 15 minutes only from a verified channel (https://www.youtube.com/verify), otherwise it rejects the upload (length)`);
    }
    const session = yt?.uploadSession;
    const notify = ep.youtube.notifySubscribers ?? show.youtube.notifySubscribers;
    const upload = {
      mp4, resource, marker, fieldHashes,
      ...(notify !== undefined ? { notifySubscribers: notify } : {}),
    };
    if (session && session.fileSha256 === mp4.sha256) {
      // The insert was charged when the session started; resuming costs no videos.insert call.
      steps.push(costed({ kind: 'upload', ...upload, sessionUri: session.uri, calls: ['videos.list'], detail: `resume the upload of ${mp4.path} (session saved ${session.startedAt}), then check YouTube's processing` }));
    } else {
      steps.push(costed({ kind: 'upload', ...upload, calls: ['videos.insert', 'videos.list'], detail: `upload ${mp4.path} (${mp4.bytes} bytes) as "${resource.snippet.title}", ${resource.status.privacyStatus}, then check YouTube's processing` }));
    }
  } else {
    if (processing?.status === 'processing') steps.push(costed({ kind: 'check-processing', calls: ['videos.list'], detail: 'check whether YouTube finished processing the upload' }));
    const changed = changedFields(yt, resource, fieldHashes);
    if (changed.length) {
      if (changed.includes('status.publishAt') && publishAt && !(Date.parse(publishAt) > now.getTime())) return pastPublishAt();
      const values = ownedFields(resource);
      const snippet: Record<string, unknown> = {};
      const status: Record<string, unknown> = {};
      const unset: string[] = [];
      for (const key of changed) {
        const [part, field] = key.split('.') as ['snippet' | 'status', string];
        if (values[key] === undefined) unset.push(key);
        else (part === 'snippet' ? snippet : status)[field] = values[key];
      }
      const what = describeUpdate(changed, resource, correctionsPending);
      steps.push(costed({
        kind: 'update-video',
        ...(Object.keys(snippet).length ? { snippet: snippet as Partial<VideoSnippet> } : {}),
        ...(Object.keys(status).length ? { status: status as Partial<VideoStatus> } : {}),
        unset,
        fieldHashes,
        calls: ['videos.list', 'videos.update'],
        detail: `${what} (read the video first: what was set in YouTube Studio stays)`,
      }));
    }
  }
  const thumbnail = build.outputs.thumbnail;
  if (thumbnail && yt?.thumbnailHash !== thumbnail.sha256) {
    const pending = yt?.thumbnailPending ? ` (pending since ${yt.thumbnailPending.at}: ${yt.thumbnailPending.reason})` : '';
    steps.push(costed({ kind: 'thumbnail', file: thumbnail, calls: ['thumbnails.set'], detail: `set the thumbnail ${thumbnail.path}${pending}` }));
  }
  const vtt = build.outputs.vtt;
  if (vtt && yt?.captionsHash !== vtt.sha256) {
    if (yt?.captionId) steps.push(costed({ kind: 'captions-update', file: vtt, captionId: yt.captionId, calls: ['captions.update'], detail: `replace the captions with ${vtt.path}` }));
    else steps.push(costed({ kind: 'captions-insert', file: vtt, language: resource.snippet.defaultAudioLanguage ?? 'en', calls: ['captions.insert'], detail: `add captions from ${vtt.path}` }));
  }
  const playlistId = ep.youtube.playlistId ?? show.youtube.playlistId;
  if (playlistId && !(yt?.playlistItemId && yt.playlistId === playlistId)) {
    steps.push(costed({ kind: 'playlist', playlistId, calls: ['playlistItems.insert'], detail: `add to playlist ${playlistId}` }));
  }

  if (!steps.length && yt?.videoId) return { ...base, state: 'up-to-date', videoId: yt.videoId, metadata, warnings };
  return {
    ...base,
    state: 'work',
    steps,
    quota: steps.reduce((q, s) => addQuota(q, s.cost), NO_QUOTA),
    metadata,
    warnings,
    ...(yt?.videoId ? { videoId: yt.videoId } : {}),
  };
}

function describeUpdate(changed: readonly string[], resource: VideoResource, corrections: boolean): string {
  const parts: string[] = [];
  const content = changed.filter((k) => k.startsWith('snippet.')).map((k) => k.slice('snippet.'.length));
  if (content.length) parts.push(`update the ${content.join('/')}${corrections && content.includes('description') ? ' (corrections)' : ''} without touching the video`);
  const status = changed.filter((k) => k.startsWith('status.'));
  if (status.includes('status.privacyStatus') || status.includes('status.publishAt')) {
    parts.push(`set the video ${resource.status.publishAt ? `to go public at ${resource.status.publishAt}` : `to ${resource.status.privacyStatus}`}`);
  }
  const other = status.filter((k) => k !== 'status.privacyStatus' && k !== 'status.publishAt').map((k) => `${k.slice('status.'.length)} ${JSON.stringify(resource.status[k.slice('status.'.length) as keyof VideoStatus] ?? null)}`);
  if (other.length) parts.push(`set ${other.join(', ')}`);
  return parts.join('; ');
}

export function planPublish(show: ShowConfig, inputs: readonly EpisodePublishInput[], options: PlanOptions): PublishPlan {
  const episodes = inputs.map((input) => planEpisode(show, input, options.now));
  // Each playlist an item goes into is checked once, before the first upload (playlists.list, 1 unit).
  const playlistChecks: PlaylistCheck[] = [];
  for (const [i, ep] of episodes.entries()) {
    if (ep.state !== 'work') continue;
    for (const step of ep.steps) {
      if (step.kind !== 'playlist' || playlistChecks.some((c) => c.playlistId === step.playlistId)) continue;
      const fromEpisode = inputs[i]?.config?.youtube.playlistId === step.playlistId;
      playlistChecks.push({ playlistId: step.playlistId, source: fromEpisode ? `episodes/${ep.id}/episode.yaml youtube.playlistId` : 'show.yaml youtube.playlistId', cost: quotaOf(['playlists.list']) });
    }
  }
  let quota = playlistChecks.reduce((q, c) => addQuota(q, c.cost), NO_QUOTA);
  for (const ep of episodes) if (ep.state === 'work') quota = addQuota(quota, ep.quota);
  const warnings: string[] = [];
  if (quota.videosInsert > DAILY_QUOTA.videosInsert) {
    warnings.push(`this plan uploads ${quota.videosInsert} videos, more than the ${DAILY_QUOTA.videosInsert} videos.insert calls YouTube allows a project a day: publishing stops when that bucket runs out, and tomorrow's rerun continues where it stopped`);
  }
  if (quota.units > DAILY_QUOTA.units) {
    warnings.push(`this plan needs ${quota.units} quota units, more than YouTube's default ${DAILY_QUOTA.units.toLocaleString('en-US')} a day: publishing stops when the units run out, and tomorrow's rerun continues where it stopped`);
  }
  return {
    episodes,
    playlistChecks,
    quota,
    warnings,
    youtube: Boolean(show.youtube),
    feed: options.feed,
    deploy: options.feed && options.deployPath ? { target: 'local', path: options.deployPath } : undefined,
  };
}

export function formatQuota(q: Quota): string {
  const parts: string[] = [];
  if (q.videosInsert) parts.push(`${q.videosInsert} videos.insert call${q.videosInsert === 1 ? '' : 's'}`);
  if (q.units || !q.videosInsert) parts.push(`${q.units} unit${q.units === 1 ? '' : 's'}`);
  return parts.join(' + ');
}

/** The plan as lines for --dry-run and the start of a real run. */
export function formatPlan(plan: PublishPlan): string[] {
  const lines: string[] = [];
  for (const c of plan.playlistChecks) lines.push(`check that playlist ${c.playlistId} exists (${c.source})  [playlists.list, ${formatQuota(c.cost)}]`);
  for (const ep of plan.episodes) {
    const videoId = 'videoId' in ep ? ep.videoId : undefined;
    const head = videoId ? `${ep.id} (https://youtu.be/${videoId})` : ep.id;
    const feedNote = ep.correctionsPending ? '; corrections to push to the feed' : '';
    switch (ep.state) {
      case 'work':
        lines.push(`${head}:`);
        for (const s of ep.steps) lines.push(`  - ${s.detail}  [${s.calls.join(' + ')}, ${formatQuota(s.cost)}]`);
        for (const n of ep.metadata.notes) lines.push(`  note: ${n}`);
        for (const w of ep.warnings) lines.push(`  warning: ${w}`);
        break;
      case 'up-to-date':
        lines.push(`${head}: YouTube is up to date${feedNote}`);
        break;
      case 'removed':
      case 'rejected':
        lines.push(`${head}: ${ep.reason}${feedNote}`, `  hint: ${ep.hint}`);
        break;
      case 'invalid':
      case 'skipped':
      case 'not-built':
        lines.push(`${head}: ${ep.reason}${feedNote}`);
        break;
      default:
        assertNever(ep);
    }
  }
  if (plan.feed) lines.push(`then write dist/feed.xml and the site${plan.deploy ? `, and copy dist/ to ${plan.deploy.path} (feed.xml last)` : ''}`);
  lines.push(
    `YouTube quota: ${plan.quota.videosInsert} of ${DAILY_QUOTA.videosInsert} videos.insert calls and ${plan.quota.units} of ${DAILY_QUOTA.units.toLocaleString('en-US')} units (the default daily buckets, reset at midnight Pacific time)`,
  );
  return lines;
}

export function assertNever(x: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(x)}`);
}
