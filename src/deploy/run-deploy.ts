import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { CastlineError } from '../core/errors.js';
import { writeFileAtomic } from '../core/fs-atomic.js';
import { distRelative, readBuildRecord } from '../records/build-record.js';
import { sha256File } from '../core/hash.js';
import { mapLimit } from '../core/map-limit.js';
import type { Reporter } from '../core/reporter.js';
import { createUploadProgress } from '../core/upload-progress.js';
import { DEPLOY_RECORD_PATH, parseDeployRecord, remoteBuildRecordPath, serializeDeployRecord, type DeployRecord } from './deploy-record.js';
import { deployRank, listDistFiles, type DeployFile, type DeployTarget } from './deploy-target.js';
import { headersFor } from './file-headers.js';
import { planDeploy, formatDeployPlan, type DeployPlan, type LocalFile } from './plan-deploy.js';

/**
 * Carry out a deploy over any target: read (local files + the record on the target), plan
 * (pure), apply. The apply order is what keeps the live feed whole through a crash:
 *  1. if files the record lists are about to be replaced, first write the record without them
 *     (a rerun after a kill then re-sends them instead of trusting a stale entry);
 *  2. media and assets, then pages, then index.html, feed.xml alone and last;
 *  3. the new record; 4. with prune, the stale files, then the record without them.
 * A kill -9 anywhere leaves the old feed live (or the new one, whole), and the next run
 * finishes the job, sending only what is still different.
 */
export interface DeployOptions {
  dist: string;
  target: DeployTarget;
  prune: boolean;
  dryRun: boolean;
  reporter: Reporter;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
}

export interface DeployResult {
  target: string;
  dryRun: boolean;
  uploaded: string[];
  unchanged: number;
  deleted: string[];
  /** On the target but no longer in dist/, kept because deploy.prune is off. */
  stale: string[];
  bytes: number;
  feedChanged: boolean;
  warnings: string[];
}

/** Uploads in flight at once among files of the same rank (media overlap; the feed is alone). */
const PARALLEL_UPLOADS = 4;

export async function runDeploy(options: DeployOptions): Promise<DeployResult> {
  const { target, reporter, dist } = options;
  const env = options.env ?? process.env;
  const now = options.now ?? (() => new Date());
  const hashes = await openHashCache(dist);
  const listed = await listLocalFiles(dist, hashes);
  await target.open();
  try {
    const read = parseDeployRecord(await target.read(DEPLOY_RECORD_PATH));
    const warnings = read.warning ? [read.warning] : [];
    for (const w of warnings) reporter.warn(w);
    // Only a file the target has at the same size needs its hash before the plan; every
    // other one is sent anyway, and hashed on the way (or right after, see applyDeploy).
    const local = await mapLimit(listed, 4, async (f): Promise<LocalFile> => {
      if (f.sha256 !== undefined || read.record.files[f.rel]?.bytes !== f.bytes) return f;
      return { ...f, sha256: hashes.set(f, await sha256File(f.abs)) };
    });
    const plan = planDeploy(local, read.record, { prune: options.prune });
    if (plan.missing.length) throw keptMissingError(plan.missing, target.description);
    for (const line of formatDeployPlan(plan, target.description)) reporter.info(line);
    const result: DeployResult = {
      target: target.description,
      dryRun: options.dryRun,
      uploaded: [],
      unchanged: plan.unchanged.length,
      deleted: [],
      stale: plan.prune ? [] : plan.stale,
      bytes: plan.bytes,
      feedChanged: plan.feedChanged,
      warnings,
    };
    if (options.dryRun) {
      if (plan.prune) result.deleted = plan.stale;
      return result;
    }
    if (!plan.uploads.length && !(plan.prune && plan.stale.length)) return result;
    await applyDeploy(plan, read.record, target, reporter, result, killSeam(env), now, hashes);
    return result;
  } finally {
    await hashes.save();
    await target.close();
  }
}

async function applyDeploy(plan: DeployPlan, previous: DeployRecord, target: DeployTarget, reporter: Reporter, result: DeployResult, afterWrite: () => void, now: () => Date, hashes: HashCache): Promise<void> {
  const files = { ...previous.files };
  const writeRecord = async (): Promise<void> => {
    const record: DeployRecord = { version: 1, deployedAt: now().toISOString(), files };
    await target.put(DEPLOY_RECORD_PATH, { data: serializeDeployRecord(record) }, headersFor(DEPLOY_RECORD_PATH));
    afterWrite();
  };
  const replaced = plan.uploads.filter((f) => f.reason === 'changed');
  if (replaced.length) {
    for (const f of replaced) delete files[f.rel];
    await writeRecord();
  }
  const progress = plan.bytes > 0 ? createUploadProgress(reporter, `uploading to ${target.description}`, plan.bytes) : undefined;
  const inFlight = new Map<string, number>();
  let finishedBytes = 0;
  const report = (): void => progress?.update(finishedBytes + [...inFlight.values()].reduce((a, b) => a + b, 0));
  try {
    for (const group of groupByRank(plan.uploads)) {
      await mapLimit(group, target.parallel ?? PARALLEL_UPLOADS, async (file) => {
        inFlight.set(file.rel, 0);
        const put = await target.put(file.rel, file, headersFor(file.rel), (sent) => {
          inFlight.set(file.rel, sent);
          report();
        });
        inFlight.delete(file.rel);
        finishedBytes += file.bytes;
        report();
        // The hash of what was sent: known before, hashed by the target on the way, or read now.
        const sha256 = file.sha256 ?? (put && put.sha256) ?? (await sha256File(file.abs));
        hashes.set(file, sha256);
        files[file.rel] = { bytes: file.bytes, sha256 };
        result.uploaded.push(file.rel);
        if (!reporter.tty) reporter.debug(`sent ${file.rel}`);
        afterWrite();
      });
    }
  } finally {
    progress?.stop();
  }
  if (plan.uploads.length) await writeRecord();
  if (plan.prune && plan.stale.length) {
    // The new feed is up and no longer names these: now they can go.
    for (const rel of plan.stale) {
      await target.remove(rel);
      delete files[rel];
      result.deleted.push(rel);
    }
    await writeRecord();
  }
  reporter.done(`deployed to ${target.description}: ${result.uploaded.length} uploaded, ${result.unchanged} unchanged${result.deleted.length ? `, ${result.deleted.length} deleted` : ''}`);
}

function groupByRank<T extends { rel: string }>(files: readonly T[]): T[][] {
  const groups: T[][] = [];
  let rank = -1;
  for (const f of files) {
    const r = deployRank(f.rel);
    if (r !== rank) groups.push([]);
    rank = r;
    groups[groups.length - 1]!.push(f);
  }
  return groups;
}

/**
 * Test seam for the crash tests: CASTLINE_TEST_KILL_AFTER=N sends SIGKILL to this process
 * after its Nth completed write to the target (uploads and record writes), the harshest
 * stop there is, at a point the test chooses.
 */
function killSeam(env: NodeJS.ProcessEnv): () => void {
  const limit = Number(env['CASTLINE_TEST_KILL_AFTER'] ?? 0);
  let writes = 0;
  return () => {
    if (limit > 0 && ++writes >= limit) process.kill(process.pid, 'SIGKILL');
  };
}

const HashCacheSchema = z.record(z.string(), z.object({ bytes: z.number(), mtimeMs: z.number(), sha256: z.string() }));

function keptMissingError(missing: readonly string[], target: string): CastlineError {
  const ids = [...new Set(missing.map((rel) => rel.split('/')[1] ?? rel))];
  return new CastlineError('deploy-kept-missing', `${missing.join(', ')} ${missing.length === 1 ? 'was' : 'were'} built and deployed earlier (the build record was read back from ${target}), but the target no longer has ${missing.length === 1 ? 'it' : 'them'} as recorded`, {
    hint: `run castline build ${ids.join(' ')} --force to encode ${ids.length === 1 ? 'the episode' : 'them'} here, then castline deploy`,
    state: 'nothing was uploaded; the live feed was not changed',
  });
}

/**
 * What a deploy sends beside dist/'s files: each episode's build record (as
 * `.castline/builds/<id>.json`, so a clone without dist/ can read it back), and the outputs
 * of episodes kept on the target, which are not in dist/ and are only checked against the
 * deploy record.
 */
async function deployExtras(dist: string): Promise<{ records: DeployFile[]; kept: LocalFile[] }> {
  const records: DeployFile[] = [];
  const kept: LocalFile[] = [];
  const episodes = join(dist, 'episodes');
  const ids = await readdir(episodes).catch(() => [] as string[]);
  const root = dirname(dist);
  for (const id of ids.sort()) {
    const abs = join(episodes, id, 'build.json');
    const s = await stat(abs).catch(() => undefined);
    if (!s?.isFile()) continue;
    records.push({ rel: remoteBuildRecordPath(id), abs, bytes: s.size, mtimeMs: s.mtimeMs });
    const read = await readBuildRecord(root, id).catch(() => undefined);
    if (read?.state !== 'kept') continue;
    for (const file of Object.values(read.record.outputs)) {
      if (file && !existsSync(join(root, file.path))) kept.push({ rel: distRelative(file), abs: '', bytes: file.bytes, sha256: file.sha256, kept: true });
    }
  }
  return { records, kept };
}

interface HashCache {
  /** The cached hash of a file unchanged (size and mtime) since it was hashed. */
  get(file: DeployFile): string | undefined;
  set(file: { rel: string; bytes: number; mtimeMs?: number }, sha256: string): string;
  save(): Promise<void>;
}

/**
 * SHA-256 of dist/ files, cached in dist/.castline/hashes.json by size and mtime, so a deploy
 * of an unchanged 2 GB video does not read it again.
 */
async function openHashCache(dist: string): Promise<HashCache> {
  const cachePath = join(dist, '.castline', 'hashes.json');
  const cached = HashCacheSchema.safeParse(await readFile(cachePath, 'utf8').then(JSON.parse, () => ({})));
  const cache = cached.success ? cached.data : {};
  const next: z.infer<typeof HashCacheSchema> = {};
  const mtimes = new Map<string, number>();
  return {
    get(file) {
      mtimes.set(file.rel, file.mtimeMs);
      const hit = cache[file.rel];
      if (!hit || hit.bytes !== file.bytes || hit.mtimeMs !== file.mtimeMs) return undefined;
      next[file.rel] = hit;
      return hit.sha256;
    },
    set(file, sha256) {
      const mtimeMs = file.mtimeMs ?? mtimes.get(file.rel);
      if (mtimeMs !== undefined) next[file.rel] = { bytes: file.bytes, mtimeMs, sha256 };
      return sha256;
    },
    async save() {
      if (JSON.stringify(next) !== JSON.stringify(cache)) await writeFileAtomic(cachePath, JSON.stringify(next));
    },
  };
}

/**
 * dist/ files with their cached SHA-256 (undefined: not hashed yet), plus the build records
 * and kept outputs (deployExtras).
 */
export async function listLocalFiles(dist: string, hashes: HashCache): Promise<LocalFile[]> {
  const extras = await deployExtras(dist);
  const files = [...(await listDistFiles(dist)), ...extras.records];
  const listed = files.map((f): LocalFile => {
    const sha256 = hashes.get(f);
    return { rel: f.rel, abs: f.abs, bytes: f.bytes, ...(sha256 !== undefined ? { sha256 } : {}) };
  });
  return [...listed, ...extras.kept];
}
