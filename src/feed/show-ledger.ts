import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { z } from 'zod';
import { CastlineError } from '../core/errors.js';
import { writeFileAtomic } from '../core/fs-atomic.js';
import { readYaml } from '../config/load-show.js';
import { derivePodcastGuid } from './podcast-guid.js';

/**
 * `published.yaml` at the show root: the show-level ledger (episodes have their own in their
 * folders). It keeps the podcast:guid computed from the first feed URL, so moving the feed
 * later (itunes:new-feed-url) keeps the show's identity, as Podcasting 2.0 requires.
 */
export const ShowLedgerSchema = z.strictObject({
  podcastGuid: z.string().uuid(),
  /** The feed URL the GUID was derived from. */
  feedUrl: z.string(),
  createdAt: z.string(),
});
export type ShowLedger = z.infer<typeof ShowLedgerSchema>;

export const SHOW_LEDGER_FILE = 'published.yaml';

/** The show ledger, created (atomically) on first use. */
export async function ensureShowLedger(root: string, feedUrl: string, now: Date): Promise<ShowLedger> {
  const path = join(root, SHOW_LEDGER_FILE);
  if (existsSync(path)) {
    const read = await readYaml(path, SHOW_LEDGER_FILE);
    const parsed = read.problems.length ? undefined : ShowLedgerSchema.safeParse(read.data);
    if (!parsed?.success) {
      throw new CastlineError('bad-show-ledger', `${SHOW_LEDGER_FILE} (the show's ledger) is not valid`, {
        hint: 'it is written by castline and holds the podcast GUID: restore it from git rather than editing it by hand',
        details: parsed && !parsed.success ? z.prettifyError(parsed.error) : read.problems.map((p) => p.message).join('\n'),
      });
    }
    return parsed.data;
  }
  const ledger: ShowLedger = { podcastGuid: derivePodcastGuid(feedUrl), feedUrl, createdAt: now.toISOString() };
  const header = '# Written by castline: the show-level ledger (podcast:guid). Commit it; never edit it.\n';
  await writeFileAtomic(path, header + stringify(ledger));
  return ledger;
}
