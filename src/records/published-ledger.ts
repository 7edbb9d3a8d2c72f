import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument, stringify } from 'yaml';
import { z } from 'zod';
import { CastlineError } from '../core/errors.js';
import { createFileAtomic, writeFileAtomic } from '../core/fs-atomic.js';

/**
 * published.yaml: the ledgers castline keeps and the host commits. This module is the only one
 * that writes them (STYLE §1: reads and plans elsewhere, the writes here, each atomic).
 *
 * - `episodes/<id>/published.yaml`, per episode: how a rerun after a crash resumes and never
 *   duplicates: the GUID, the YouTube video id and upload session, and hashes of what was
 *   pushed where. The GUID lives in the episode folder, so it moves with the folder when the
 *   host renames it, and it is random (not derived from the id or the title), so no edit can
 *   change it: Apple and every podcatcher treat a new GUID as a new episode.
 * - `published.yaml` at the show root: the show ledger with the podcast:guid derived from the
 *   first feed URL, so moving the feed later (itunes:new-feed-url) keeps the show's identity,
 *   as Podcasting 2.0 requires (https://podcastindex.org/namespace/1.0#guid).
 *
 * A ledger is created once (createEpisodeLedger / createShowLedger refuse to replace an
 * existing file, so an assigned GUID can never be overwritten), then changed only through
 * updateLedger, which replaces the file atomically: a crash leaves the old ledger or the new.
 */

export const UploadSessionSchema = z.strictObject({
  /** Resumable session URI (valid about a week). */
  uri: z.string().url(),
  startedAt: z.string(),
  /** sha256 and size of the file being uploaded: a different file means a new session. */
  fileSha256: z.string(),
  bytes: z.number().int().nonnegative(),
  /** Marker put in the video's metadata, to find an upload that finished but was not recorded. */
  marker: z.string(),
});

export const YouTubeRecordSchema = z.strictObject({
  videoId: z.string().optional(),
  uploadedAt: z.string().optional(),
  uploadSession: UploadSessionSchema.optional(),
  /** Hash of the snippet/status last sent with videos.insert/update. */
  metadataHash: z.string().optional(),
  metadataPushedAt: z.string().optional(),
  /**
   * Hash of the status (privacy, publishAt, made for kids) last sent from show.yaml/episode.yaml.
   * A change in the YAML is pushed; a change made in YouTube Studio is left alone.
   */
  statusHash: z.string().optional(),
  /**
   * Hash per video field castline owns (`snippet.title`, `status.privacyStatus`…) as last sent.
   * videos.update replaces every property of each part it sends, so castline reads the video
   * first and changes only the fields whose YAML value changed since they were last sent:
   * whatever the host set in YouTube Studio stands.
   */
  fieldHashes: z.record(z.string(), z.string()).optional(),
  /**
   * YouTube's processing result (videos.list status.uploadStatus): `processing` until YouTube
   * says processed, rejected (status.rejectionReason) or failed (status.failureReason).
   * A rejected or failed upload is never uploaded again on castline's own.
   */
  processing: z
    .strictObject({
      status: z.enum(['processing', 'processed', 'rejected', 'failed']),
      reason: z.string().optional(),
      checkedAt: z.string(),
    })
    .optional(),
  /** When castline found the video gone from YouTube (deleted in Studio): never re-uploaded. */
  removedAt: z.string().optional(),
  /** A thumbnail YouTube refused (e.g. unverified channel): the next publish sets it. */
  thumbnailPending: z.strictObject({ reason: z.string(), at: z.string() }).optional(),
  thumbnailHash: z.string().optional(),
  captionsHash: z.string().optional(),
  captionId: z.string().optional(),
  playlistId: z.string().optional(),
  playlistItemId: z.string().optional(),
});

export const PublishedSchema = z.strictObject({
  /** Item GUID in the feed, assigned at first build and never changed. */
  guid: z.string().min(1),
  /** When the GUID was assigned. */
  createdAt: z.string(),
  feed: z
    .strictObject({
      firstPublishedAt: z.string().optional(),
      /** Hash of the item as last written to a deployed feed. */
      itemHash: z.string().optional(),
      pushedAt: z.string().optional(),
    })
    .optional(),
  youtube: YouTubeRecordSchema.optional(),
  corrections: z
    .strictObject({
      /** Hash of the corrections list last pushed to every place. */
      pushedHash: z.string(),
      pushedAt: z.string(),
    })
    .optional(),
  history: z
    .array(z.strictObject({ at: z.string(), action: z.string(), detail: z.string().optional() }))
    .default([]),
});

export type PublishedRecord = z.infer<typeof PublishedSchema>;
export type YouTubeRecord = z.infer<typeof YouTubeRecordSchema>;
export type UploadSession = z.infer<typeof UploadSessionSchema>;

export const LEDGER_FILE = 'published.yaml';

const EPISODE_HEADER = "# Written by castline: this episode's publication ledger. Commit it; never edit it.\n";
const SHOW_HEADER = '# Written by castline: the show-level ledger (podcast:guid). Commit it; never edit it.\n';

/** What the ledger functions need of an episode (EpisodeContext has it; the loader fills `published`). */
export interface LedgerHolder {
  id: string;
  files: { published: string };
  published: PublishedRecord | undefined;
}

/**
 * The episode's ledger as the show loader read it. A file that is there but did not parse is
 * an error here (the loader reported why): nothing may assign a new GUID over it.
 */
export type EpisodeLedgerState = { state: 'absent' } | { state: 'present'; record: PublishedRecord };

export function episodeLedgerState(episode: LedgerHolder): EpisodeLedgerState {
  if (episode.published) return { state: 'present', record: episode.published };
  if (existsSync(episode.files.published)) throw invalidLedgerError(episode.id, 'so the episode\'s GUID cannot be read');
  return { state: 'absent' };
}

function invalidLedgerError(id: string, why?: string): CastlineError {
  const rel = `episodes/${id}/${LEDGER_FILE}`;
  return new CastlineError('bad-published', `${rel} is not valid${why ? `, ${why}` : ''}`, {
    hint: `published.yaml is written by castline; restore it from git (git checkout -- ${rel}) rather than editing it by hand`,
    state: 'nothing was written',
  });
}

/** A new episode ledger holding a freshly assigned GUID (pure: the caller chooses the GUID and the time). */
export function newEpisodeLedger(guid: string, now: Date): PublishedRecord {
  return { guid, createdAt: now.toISOString(), history: [{ at: now.toISOString(), action: 'guid-assigned' }] };
}

/**
 * Create the episode's published.yaml. Refuses to replace an existing one (it holds a GUID
 * that must never change), even one written by another process since the show was read.
 */
export async function createEpisodeLedger(episode: LedgerHolder, record: PublishedRecord): Promise<void> {
  const checked = PublishedSchema.parse(record);
  const rel = `episodes/${episode.id}/${LEDGER_FILE}`;
  const created = await createFileAtomic(episode.files.published, EPISODE_HEADER + stringify(checked));
  if (!created) {
    throw new CastlineError('ledger-exists', `${rel} was created by something else while castline was running, so no GUID was assigned`, {
      hint: 'another castline build or publish may be running on this show: let it finish, then rerun',
      state: `${rel} was left as it is`,
    });
  }
  episode.published = checked;
}

/**
 * Change an episode's published.yaml: re-read it (another stage may have written since the
 * show was loaded), apply `change`, validate, and replace the file atomically, so a crash
 * leaves the old ledger or the new one. Called after every step that YouTube confirmed.
 */
export async function updateLedger(episode: LedgerHolder, change: (record: PublishedRecord) => void): Promise<PublishedRecord> {
  const rel = `episodes/${episode.id}/${LEDGER_FILE}`;
  if (!existsSync(episode.files.published)) {
    throw new CastlineError('no-ledger', `${rel} does not exist, so there is no GUID to publish under`, { hint: 'run castline build first: it assigns the GUID' });
  }
  const doc = parseDocument(await readFile(episode.files.published, 'utf8'));
  const parsed = PublishedSchema.safeParse(doc.toJS());
  if (doc.errors.length || !parsed.success) throw invalidLedgerError(episode.id);
  const record = parsed.data;
  const guid = record.guid;
  change(record);
  const checked = PublishedSchema.parse(record);
  if (checked.guid !== guid) throw new Error(`${rel}: an update tried to change the GUID (a published episode's GUID never changes)`);
  await writeFileAtomic(episode.files.published, EPISODE_HEADER + stringify(checked));
  episode.published = checked;
  return checked;
}

export function historyEntry(action: string, detail?: string, now: Date = new Date()): PublishedRecord['history'][number] {
  return { at: now.toISOString(), action, ...(detail ? { detail } : {}) };
}

export const ShowLedgerSchema = z.strictObject({
  podcastGuid: z.string().uuid(),
  /** The feed URL the GUID was derived from. */
  feedUrl: z.string(),
  createdAt: z.string(),
});
export type ShowLedger = z.infer<typeof ShowLedgerSchema>;

/** The show ledger: absent until the first feed is written, or present. An invalid file is an error. */
export type ShowLedgerRead = { state: 'absent' } | { state: 'present'; ledger: ShowLedger };

export async function readShowLedger(root: string): Promise<ShowLedgerRead> {
  const path = join(root, LEDGER_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'absent' };
    throw new CastlineError('show-ledger-unreadable', `${LEDGER_FILE} (the show's ledger) cannot be read (${(error as NodeJS.ErrnoException).code})`, {
      hint: 'check the file permissions',
      cause: error,
    });
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const parsed = doc.errors.length ? undefined : ShowLedgerSchema.safeParse(doc.toJS());
  if (!parsed?.success) {
    throw new CastlineError('bad-show-ledger', `${LEDGER_FILE} (the show's ledger) is not valid`, {
      hint: 'it is written by castline and holds the podcast GUID: restore it from git rather than editing it by hand',
      details: parsed && !parsed.success ? z.prettifyError(parsed.error) : doc.errors.map((e) => e.message).join('\n'),
    });
  }
  return { state: 'present', ledger: parsed.data };
}

/** Create the show ledger; like an episode's, it is never replaced once written. */
export async function createShowLedger(root: string, ledger: ShowLedger): Promise<void> {
  const checked = ShowLedgerSchema.parse(ledger);
  if (!(await createFileAtomic(join(root, LEDGER_FILE), SHOW_HEADER + stringify(checked)))) {
    throw new CastlineError('ledger-exists', `${LEDGER_FILE} (the show's ledger) was created by something else while castline was running`, {
      hint: 'another castline build or publish may be running on this show: let it finish, then rerun',
      state: `${LEDGER_FILE} was left as it is`,
    });
  }
}
