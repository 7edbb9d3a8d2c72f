import { existsSync } from 'node:fs';
import { parseDocument, stringify } from 'yaml';
import { readFile } from 'node:fs/promises';
import { CastlineError } from '../core/errors.js';
import { writeFileAtomic } from '../core/fs-atomic.js';
import type { EpisodeContext } from '../config/load-show.js';
import { PublishedSchema, type PublishedRecord } from '../config/published-schema.js';

const HEADER = "# Written by castline: this episode's publication ledger. Commit it; never edit it.\n";

/**
 * Change an episode's published.yaml: re-read it (another stage may have written since the
 * show was loaded), apply `change`, validate, and replace the file atomically, so a crash
 * leaves the old ledger or the new one. Called after every step that YouTube confirmed.
 */
export async function updateLedger(episode: EpisodeContext, change: (record: PublishedRecord) => void): Promise<PublishedRecord> {
  const rel = `episodes/${episode.id}/published.yaml`;
  if (!existsSync(episode.files.published)) {
    throw new CastlineError('no-ledger', `${rel} does not exist, so there is no GUID to publish under`, { hint: 'run castline build first: it assigns the GUID' });
  }
  const doc = parseDocument(await readFile(episode.files.published, 'utf8'));
  const parsed = PublishedSchema.safeParse(doc.toJS());
  if (doc.errors.length || !parsed.success) {
    throw new CastlineError('bad-published', `${rel} is not valid`, { hint: `restore it from git (git checkout -- ${rel}) rather than editing it by hand`, state: 'nothing was written' });
  }
  const record = parsed.data;
  change(record);
  const checked = PublishedSchema.parse(record);
  await writeFileAtomic(episode.files.published, HEADER + stringify(checked));
  episode.published = checked;
  return checked;
}

export function historyEntry(action: string, detail?: string, now: Date = new Date()): PublishedRecord['history'][number] {
  return { at: now.toISOString(), action, ...(detail ? { detail } : {}) };
}
