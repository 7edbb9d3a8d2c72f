import { z } from 'zod';

/**
 * What castline last deployed, kept ON the target (`.castline/deploy.json` beside feed.xml) so
 * any clone — a laptop, a CI runner with no dist/ — compares against the truth instead of a
 * local cache. Written after the feed: a deploy killed before that leaves the previous
 * record, and files it may have replaced are dropped from the record first (see runDeploy),
 * so a rerun uploads them again rather than trusting a stale entry.
 */
export const DEPLOY_RECORD_PATH = '.castline/deploy.json';

/**
 * Where an episode's build record (dist/episodes/<id>/build.json) goes on the target, beside
 * the deploy record and never cached: a clone without dist/ reads it back (remote-build-state.ts).
 */
export function remoteBuildRecordPath(id: string): string {
  return `.castline/builds/${id}.json`;
}

export const DeployedFileSchema = z.object({
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export const DeployRecordSchema = z.object({
  version: z.literal(1),
  deployedAt: z.string(),
  /** Every file castline put on the target, by path relative to the site root. */
  files: z.record(z.string(), DeployedFileSchema),
});

export type DeployedFile = z.infer<typeof DeployedFileSchema>;
export type DeployRecord = z.infer<typeof DeployRecordSchema>;

export function emptyDeployRecord(): DeployRecord {
  return { version: 1, deployedAt: new Date(0).toISOString(), files: {} };
}

/** A record read back from a target; anything unreadable counts as "nothing deployed yet". */
export function parseDeployRecord(data: Uint8Array | undefined): { record: DeployRecord; warning?: string } {
  if (!data) return { record: emptyDeployRecord() };
  try {
    const parsed = DeployRecordSchema.safeParse(JSON.parse(Buffer.from(data).toString('utf8')));
    if (parsed.success) return { record: parsed.data };
    return { record: emptyDeployRecord(), warning: `${DEPLOY_RECORD_PATH} on the target is not a deploy record castline understands (${z.prettifyError(parsed.error).split('\n')[0]}); every file is uploaded again` };
  } catch {
    return { record: emptyDeployRecord(), warning: `${DEPLOY_RECORD_PATH} on the target is not valid JSON; every file is uploaded again` };
  }
}

export function serializeDeployRecord(record: DeployRecord): Buffer {
  const files = Object.fromEntries(Object.entries(record.files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return Buffer.from(`${JSON.stringify({ ...record, files }, null, 2)}\n`);
}
