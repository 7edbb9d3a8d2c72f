import { z } from 'zod';

/**
 * published.yaml — the ledger `castline build`/`publish` keep per episode, committed by the
 * host. It is how a rerun after a crash resumes and never duplicates: the GUID, the YouTube
 * video id and upload session, and hashes of what was pushed where.
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
