import { formatBytes } from '../core/reporter.js';
import type { DeployRecord } from './deploy-record.js';
import { orderForDeploy } from './deploy-target.js';

/**
 * What a deploy sends (pure: the local files with their hashes, and the record read back from
 * the target). A file is sent when the target has no record of it or its size or SHA-256
 * differs, so a rerun with nothing changed sends nothing, and a correction sends only the
 * pages and feed whose bytes changed.
 */
export interface LocalFile {
  rel: string;
  abs: string;
  bytes: number;
  /** Undefined when not hashed yet: the target has no file of this size, so it is sent anyway. */
  sha256?: string;
  /** Not in dist/: an output of an episode kept on the target (its build record read back), never uploaded from here. */
  kept?: boolean;
}

export interface DeployUpload extends LocalFile {
  reason: 'new' | 'changed';
}

export interface DeployPlan {
  /** In deploy order: media, pages, index.html, feed.xml last. */
  uploads: DeployUpload[];
  unchanged: string[];
  /** Files castline deployed earlier that dist/ no longer has (deleted only with deploy.prune). */
  stale: string[];
  prune: boolean;
  bytes: number;
  feedChanged: boolean;
  /** Kept files the target no longer has as recorded: the deploy stops before any upload. */
  missing: string[];
}

export function planDeploy(local: readonly LocalFile[], record: DeployRecord, options: { prune: boolean }): DeployPlan {
  const uploads: DeployUpload[] = [];
  const unchanged: string[] = [];
  const missing: string[] = [];
  for (const file of orderForDeploy(local)) {
    const deployed = record.files[file.rel];
    if (deployed && deployed.bytes === file.bytes && deployed.sha256 === file.sha256) unchanged.push(file.rel);
    else if (file.kept) missing.push(file.rel);
    else uploads.push({ ...file, reason: deployed ? 'changed' : 'new' });
  }
  const names = new Set(local.map((f) => f.rel));
  const stale = Object.keys(record.files).filter((rel) => !names.has(rel)).sort();
  return {
    uploads,
    unchanged,
    stale,
    prune: options.prune,
    bytes: uploads.reduce((n, f) => n + f.bytes, 0),
    feedChanged: uploads.some((f) => f.rel === 'feed.xml'),
    missing,
  };
}

/** The plan as lines for people (`castline deploy --dry-run` prints these). */
export function formatDeployPlan(plan: DeployPlan, target: string): string[] {
  const lines: string[] = [];
  if (!plan.uploads.length) lines.push(`${target}: up to date (${plan.unchanged.length} files unchanged)`);
  else lines.push(`${target}: upload ${plan.uploads.length} file${plan.uploads.length === 1 ? '' : 's'} (${formatBytes(plan.bytes)}), ${plan.unchanged.length} unchanged; feed.xml last`);
  for (const f of plan.uploads) lines.push(`  ${f.reason === 'new' ? '+' : '~'} ${f.rel} (${formatBytes(f.bytes)})`);
  if (plan.stale.length) {
    if (plan.prune) for (const rel of plan.stale) lines.push(`  - ${rel} (no longer in dist/: deleted after the feed is up)`);
    else lines.push(`  ${plan.stale.length} file${plan.stale.length === 1 ? '' : 's'} on the target no longer in dist/ (kept; deploy.prune: true deletes them)`);
  }
  return lines;
}
