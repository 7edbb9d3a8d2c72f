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
