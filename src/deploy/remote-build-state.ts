import { join } from 'node:path';
import { z } from 'zod';
import type { ShowContext } from '../config/load-show.js';
import { CastlineError, errorMessage } from '../core/errors.js';
import type { Reporter } from '../core/reporter.js';
import { planKeptBuild } from '../pipeline/plan-kept-builds.js';
import { writeFileAtomic } from '../core/fs-atomic.js';
import { sha256 } from '../core/hash.js';
import { mapLimit } from '../core/map-limit.js';
import { distRelative, EpisodeBuildSchema, readBuildRecord, writeKeptBuildRecord, type EpisodeBuild, type OutputFile } from '../records/build-record.js';
import { checkDeploySettings } from './check-deploy.js';
import { createDeployTarget, describeDeploy } from './create-target.js';
import { DEPLOY_RECORD_PATH, parseDeployRecord, remoteBuildRecordPath, type DeployRecord } from './deploy-record.js';
import type { DeployTarget } from './deploy-target.js';

/**
 * What a deploy target holds that a build needs: the deploy record (every file with size and
 * SHA-256) and, per episode, the build record deployed with it (`.castline/builds/<id>.json`,
 * the same bytes as dist/episodes/<id>/build.json). This is the seam that lets a fresh clone
 * (CI, no dist/) publish incrementally: an episode whose deployed record was built from the
 * same inputs is kept on the target instead of being encoded and uploaded again
 * (pipeline/plan-kept-builds.ts decides, restoreKeptBuilds applies).
 */
export interface RemoteBuild {
  record: EpisodeBuild;
  /** The record's exact bytes: written to dist/ as they are, so the next deploy sees it unchanged. */
  bytes: Buffer;
}

export interface RemoteBuildState {
  /** The target's description (`s3://bucket/prefix/`), for messages and the kept marker. */
  target: string;
  deployed: DeployRecord;
  builds: Map<string, RemoteBuild>;
  warnings: string[];
}

/**
 * Read the deploy record and the build records of `ids` from an opened target. Only records
 * the deploy record lists are fetched (one GET each, eight at a time), and each must match the
 * hash listed there: a record the target holds but the deploy never finished with is ignored.
 */
export async function readRemoteBuildState(target: DeployTarget, ids: readonly string[]): Promise<RemoteBuildState> {
  const read = parseDeployRecord(await target.read(DEPLOY_RECORD_PATH));
  const warnings = read.warning ? [read.warning] : [];
  const builds = new Map<string, RemoteBuild>();
  const listed = ids.filter((id) => read.record.files[remoteBuildRecordPath(id)]);
  await mapLimit(listed, 8, async (id) => {
    const rel = remoteBuildRecordPath(id);
    const bytes = await target.read(rel);
    const entry = read.record.files[rel]!;
    if (!bytes || bytes.length !== entry.bytes || sha256(bytes) !== entry.sha256) {
      warnings.push(`${rel} on ${target.description} is not the one its deploy record lists; ${id} is built here`);
      return;
    }
    const parsed = parseRecord(bytes, id);
    if (typeof parsed === 'string') warnings.push(`${rel} on ${target.description} ${parsed}; ${id} is built here`);
    else builds.set(id, { record: parsed, bytes });
  });
  return { target: target.description, deployed: read.record, builds, warnings };
}

function parseRecord(bytes: Buffer, id: string): EpisodeBuild | string {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    return 'is not JSON';
  }
  const parsed = EpisodeBuildSchema.safeParse(json);
  if (!parsed.success) return `is not a build record castline understands (${z.prettifyError(parsed.error).split('\n')[0]})`;
  if (parsed.data.id !== id) return `is the record of ${parsed.data.id}`;
  return parsed.data;
}

/** One episode to restore from the target: its record, and the small outputs to download. */
export interface KeptBuildRestore {
  id: string;
  remote: RemoteBuild;
  /** Outputs fetched into dist/ (captions, chapters, thumbnail: what pages and YouTube updates read); never the MP3 or MP4. */
  downloads: OutputFile[];
}

/**
 * Apply: download each small output (checked against its record's size and SHA-256), then
 * write the kept marker and build.json. Nothing here encodes or uploads.
 */
export async function restoreKeptBuilds(root: string, target: DeployTarget, restores: readonly KeptBuildRestore[], now: () => Date = () => new Date()): Promise<void> {
  await mapLimit(restores, 8, async (r) => {
    for (const file of r.downloads) {
      const rel = distRelative(file);
      const data = await target.read(rel);
      if (!data || data.length !== file.bytes || sha256(data) !== file.sha256) {
        throw new CastlineError('deploy-download-failed', `${rel} read back from ${target.description} is ${data ? 'not the file' : 'missing, not the file'} ${r.id}'s build record names`, {
          hint: `run castline build ${r.id} --force to make the episode here; the next deploy replaces the file on the target`,
          state: 'nothing was encoded or uploaded',
        });
      }
      await writeFileAtomic(join(root, file.path), data);
    }
    await writeKeptBuildRecord(root, r.id, r.remote.bytes, { target: target.description, readAt: now().toISOString() });
  });
}

/** An opened deploy target and what it holds; close() when done. */
export interface DeployedBuilds {
  target: DeployTarget;
  state: RemoteBuildState;
}

/**
 * Open show.yaml's deploy target and read what `ids` have deployed there. Undefined when there
 * is no remote place to read (no target, `local` without a path) or the settings lack
 * credentials; `required` decides whether a target that cannot be read is an error (deploy,
 * which needs it anyway) or a note (build, which then encodes here).
 */
export async function openDeployedBuilds(show: ShowContext, ids: readonly string[], options: { reporter: Reporter; env?: NodeJS.ProcessEnv; required: boolean }): Promise<DeployedBuilds | undefined> {
  const env = options.env ?? process.env;
  const settings = show.show.deploy;
  const problems = checkDeploySettings(settings, show.show.site.baseUrl, env);
  const where = describeDeploy(show.root, settings);
  if (!where) return undefined;
  const missing = problems.find((p) => p.severity === 'error' || p.code === 'deploy-credentials-missing');
  if (missing && !options.required) {
    options.reporter.info(`not reading the deployed builds from ${where} (${missing.message}): episodes without a build in dist/ are encoded here`);
    return undefined;
  }
  const target = await createDeployTarget(show.root, settings, env);
  if (!target) return undefined;
  try {
    await target.open();
    const state = await readRemoteBuildState(target, ids);
    for (const w of state.warnings) options.reporter.warn(w);
    return { target, state };
  } catch (error) {
    await target.close().catch(() => undefined);
    if (options.required) throw error;
    options.reporter.warn(`could not read the deployed builds from ${where} (${errorMessage(error)}): episodes without a build in dist/ are encoded here`);
    return undefined;
  }
}

/**
 * `castline deploy` and `castline publish` without a build for some episodes (a fresh clone
 * whose recordings are not in git, or that did not build them): bring back every deployed
 * build record those episodes have, as they are, so the feed and site written next still
 * list them. Without this, a deploy from a clone without dist/ would replace the live feed
 * with one that has lost its back catalog.
 */
export async function restoreDeployedBuilds(show: ShowContext, options: { reporter: Reporter; env?: NodeJS.ProcessEnv }): Promise<string[]> {
  const ids: string[] = [];
  for (const episode of show.episodes) {
    if (!episode.config) continue;
    const read = await readBuildRecord(show.root, episode.id).catch(() => undefined);
    if (read && (read.state === 'absent' || read.state === 'stale')) ids.push(episode.id);
  }
  if (!ids.length) return [];
  const opened = await openDeployedBuilds(show, ids, { ...options, required: true });
  if (!opened) return [];
  try {
    const restores: KeptBuildRestore[] = [];
    for (const id of ids) {
      const remote = opened.state.builds.get(id);
      if (!remote) continue;
      const decision = planKeptBuild({ id, candidate: remote.record, keys: undefined, deployed: opened.state.deployed, needsLocalMedia: false, target: opened.target.description });
      if (decision.action === 'keep') restores.push({ id, remote, downloads: decision.downloads });
      else options.reporter.warn(`${id}: ${decision.reason}; run castline build ${id}`);
    }
    await restoreKeptBuilds(show.root, opened.target, restores);
    for (const r of restores) options.reporter.info(`${r.id}: kept on ${opened.target.description} (its build record read back; not in dist/)`);
    return restores.map((r) => r.id);
  } finally {
    await opened.target.close();
  }
}
