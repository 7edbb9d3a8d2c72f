import { createHash } from 'node:crypto';
import { CastlineError } from '../core/errors.js';

/**
 * `castline build --shard K/N`: a stable share of the episodes for one of N runners (issue 18).
 * An episode belongs to shard 1 + (the first 4 bytes of SHA-256(episode id), big-endian) mod N,
 * so the same episode always lands in the same shard for the same N, on any machine, whatever
 * other episodes exist: adding an episode never moves another one. K is 1-based, like GitLab's
 * CI_NODE_INDEX; a Kubernetes Indexed Job's JOB_COMPLETION_INDEX is 0-based (add one).
 * Renaming an episode folder changes its id, and so maybe its shard.
 */

export interface Shard {
  /** 1..count */
  index: number;
  count: number;
}

/** Most runners a shard count can mean; beyond it a typo (`1/40000`) is more likely. */
export const MAX_SHARDS = 1000;

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || count > MAX_SHARDS || index < 1 || index > count) {
    throw new CastlineError('shard-invalid', `--shard "${text}" is not a shard: write K/N with 1 ≤ K ≤ N ≤ ${MAX_SHARDS}, like 1/4`, {
      hint: 'N is the number of runners, K this runner (1-based): on GitLab --shard $CI_NODE_INDEX/$CI_NODE_TOTAL, in a Kubernetes Indexed Job --shard $((JOB_COMPLETION_INDEX + 1))/N',
    });
  }
  return { index, count };
}

/** The 1-based shard of an episode among `count`. */
export function shardOfEpisode(id: string, count: number): number {
  const digest = createHash('sha256').update(id, 'utf8').digest();
  return (digest.readUInt32BE(0) % count) + 1;
}

export function inShard(id: string, shard: Shard): boolean {
  return shardOfEpisode(id, shard.count) === shard.index;
}
