import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { stringify } from 'yaml';
import { CastlineError } from '../core/errors.js';
import { writeFileAtomic } from '../core/fs-atomic.js';
import { readYaml, type EpisodeContext } from '../config/load-show.js';
import { PublishedSchema, type PublishedRecord } from '../config/published-schema.js';

/**
 * The item GUID lives in the episode folder's own published.yaml, so it moves with the folder
 * when the host renames it, and it is random (not derived from the id or the title), so no
 * edit can change it. Apple and every podcatcher treat a new GUID as a new episode.
 *
 * published.yaml is only ever created here; an existing one (with a YouTube record, say) is
 * read, never rewritten.
 */
export async function ensureEpisodeGuidFor(episode: EpisodeContext, now: Date = new Date()): Promise<string> {
  const rel = `episodes/${episode.id}/published.yaml`;
  // Loaded with the show already: a GUID, once assigned, never changes, so it is current.
  if (episode.published?.guid) return episode.published.guid;
  if (existsSync(episode.files.published)) {
    const read = await readYaml(episode.files.published, rel);
    const parsed = read.problems.length ? undefined : PublishedSchema.safeParse(read.data);
    if (!parsed?.success) {
      throw new CastlineError('bad-published', `${rel} is not valid, so the episode's GUID cannot be read`, {
        hint: 'published.yaml is written by castline; restore it from git (git checkout -- ' + rel + ') rather than editing it by hand',
        state: 'nothing was written',
      });
    }
    episode.published = parsed.data;
    return parsed.data.guid;
  }
  const record: PublishedRecord = {
    guid: randomUUID(),
    createdAt: now.toISOString(),
    history: [{ at: now.toISOString(), action: 'guid-assigned' }],
  };
  const header = '# Written by castline: this episode\'s publication ledger. Commit it; never edit it.\n';
  await writeFileAtomic(episode.files.published, header + stringify(record));
  episode.published = record;
  return record.guid;
}
