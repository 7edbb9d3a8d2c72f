import { randomUUID } from 'node:crypto';
import type { ShowContext } from '../config/load-show.js';
import { CastlineError } from '../core/errors.js';
import { createEpisodeLedger, newEpisodeLedger, type EpisodeLedgerState, type PublishedRecord } from '../records/published-ledger.js';

/**
 * An episode gets its permanent GUID once it is built: the feed item and the YouTube upload
 * marker carry it. Assigning it is a step of its own, planned from what was read and applied
 * before the steps that need it, never a side effect of reading a ledger.
 */
export interface GuidAssignment {
  id: string;
  /** The new published.yaml, holding the GUID. */
  record: PublishedRecord;
}

export interface GuidCandidate {
  id: string;
  /** From episodeLedgerState (records/published-ledger.ts), read with the show. */
  ledger: EpisodeLedgerState;
}

/**
 * Pure: a new ledger for each candidate that has none. The GUID is random (RFC 4122 v4), not
 * derived from the id or title, so renaming or retitling an episode cannot change it; `newGuid`
 * is a seam for tests.
 */
export function planEpisodeGuids(candidates: readonly GuidCandidate[], options: { now: Date; newGuid?: () => string }): GuidAssignment[] {
  const newGuid = options.newGuid ?? randomUUID;
  return candidates.filter((c) => c.ledger.state === 'absent').map((c) => ({ id: c.id, record: newEpisodeLedger(newGuid(), options.now) }));
}

/** Write each new published.yaml (created atomically, never over an existing one). */
export async function applyEpisodeGuids(show: ShowContext, assignments: readonly GuidAssignment[]): Promise<void> {
  for (const a of assignments) {
    const episode = show.episodes.find((e) => e.id === a.id);
    if (!episode) throw new CastlineError('unknown-episode', `No episode "${a.id}" in episodes/`, { hint: 'pass the episode folder name' });
    await createEpisodeLedger(episode, a.record);
  }
}
