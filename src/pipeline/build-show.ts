import { describeTakeCleanup } from '../media/clean-speech.js';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { CastlineError, ProblemsError, errorMessage, type Problem } from '../core/errors.js';
import { listEpisodeIds, loadValidShow, resolveEpisodeIds, type EpisodeContext, type ShowContext } from '../config/load-show.js';
import type { ScriptDoc } from '../script/script-doc.js';
import type { Reporter } from '../core/reporter.js';
import { formatBytes } from '../core/reporter.js';
import { formatDuration } from '../core/clock.js';
import type { EpisodeBuild } from '../records/build-record.js';
import { applyEpisodePlan } from './build-episode.js';
import { applyEpisodeGuids, planEpisodeGuids } from './assign-episode-guids.js';
import { episodeLedgerState } from '../records/published-ledger.js';
import { createEncodeProgress } from './encode-progress.js';
import { hasRecording, readEpisodeInputs, type EpisodeInputs } from './read-episode-inputs.js';
import { checkShow, createRecordedProbe, inScope } from './check-show.js';
import { flattenKeys, OUTPUTS, outputFiles, outputPaths, planEpisode, type EpisodeBuildPlan, type PlanStep } from './plan-episode-build.js';
import { episodeKeys } from './episode-keys.js';
import { planKeptBuild, type KeptBuildDecision } from './plan-kept-builds.js';
import type { DeployedBuilds } from '../deploy/remote-build-state.js';
import { mapLimit } from '../core/map-limit.js';
import { inShard, type Shard } from './shard-episodes.js';
import { removeStaleTemps } from '../core/fs-atomic.js';

/**
 * `castline build`: read every episode's inputs (probe, hash, check, which outputs are on
 * disk) → plan per episode (pure) → apply: encode → build.json → GUIDs (assign-episode-guids.ts) → feed and site (write-feed-and-site.ts). Any
 * bad input stops the build before the first encode, naming the file. `--dry-run` stops after
 * the plan and prints it: nothing is written.
 */

export interface BuildShowOptions {
  root: string;
  episodes: readonly string[];
  force: boolean;
  /** Print the plan (what would be encoded and why) and write nothing. */
  dryRun?: boolean;
  reporter: Reporter;
  /**
   * Build only this shard's episodes (shard-episodes.ts) and write only their outputs in
   * dist/episodes/<id>/: no GUIDs, no feed, no site. A later `castline build` (or deploy,
   * publish) over the whole show finds them up to date and writes those from the records.
   */
  shard?: Shard;
  /** Seam for tests of the media stage on their own; default: the script stage's reader. */
  readScript?: (episode: EpisodeContext) => Promise<ScriptDoc>;
  /**
   * Episodes whose MP3/MP4 must be in dist/ even when deployed with the same inputs (publish:
   * a video still to upload to YouTube). Default: none.
   */
  needsLocalMedia?: (id: string) => boolean;
  env?: NodeJS.ProcessEnv;
}

export interface EpisodeSummary {
  id: string;
  status: 'built' | 'unchanged' | 'not recorded yet' | 'would build' | 'kept on target' | 'would keep on target';
  /** Kept on the deploy target: where, and why it is not encoded here. */
  kept?: { target: string; reason: string };
  durationSeconds?: number;
  chaptersEstimated?: boolean;
  chapters?: EpisodeBuild['chapters'];
  loudness?: EpisodeBuild['loudness'];
  cleanup?: EpisodeBuild['cleanup'];
  camera?: EpisodeBuild['camera'];
  outputs?: { kind: string; path: string; bytes: number }[];
  steps?: (PlanStep & { files?: string[] })[];
  warnings?: string[];
}

export interface BuildShowResult {
  /** Only on a dry run: nothing was written. */
  dryRun?: true;
  /** Only for a shard build: which share was built (no feed or site was written). */
  shard?: Shard;
  episodes: EpisodeSummary[];
  feed: unknown;
  wallSeconds: number;
}

/** The camera line of the build report: the sync found, and copy or re-encode with why. */
export function describeCamera(c: NonNullable<EpisodeBuild['camera']>): string {
  const sync = c.syncedWith
    ? `${c.file} lined up with ${c.syncedWith.file}: offset ${c.offsetSeconds >= 0 ? '+' : ''}${c.offsetSeconds.toFixed(3)} s (correlation ${c.confidence?.toFixed(2) ?? '?'})`
    : `${c.file} with its own sound`;
  return `${sync}; ${c.mode === 'copy' ? 'video stream-copied' : `video re-encoded (${c.reasons.join('; ')})`}`;
}

export async function buildShow(options: BuildShowOptions): Promise<BuildShowResult> {
  const started = performance.now();
  const { reporter } = options;
  const explicit = options.episodes.length > 0;
  const named = explicit ? await resolveEpisodeIds(options.root, options.episodes) : undefined;
  const { shard } = options;
  const ids = shard ? (named ?? (await listEpisodeIds(options.root))).filter((id) => inShard(id, shard)) : named;
  if (shard) reporter.info(`shard ${shard.index}/${shard.count}: ${ids?.length ?? 0} episode${ids?.length === 1 ? '' : 's'}${ids?.length ? ` (${ids.join(', ')})` : ''}`);
  const show: ShowContext = await loadValidShow(options.root, ids ? { only: ids } : {});
  for (const p of show.problems) reporter.warn(`${p.file}${p.path ? ` → ${p.path}` : ''}: ${p.message}`);
  const episodes = show.episodes.filter((e) => !ids || ids.includes(e.id));
  const readScript = options.readScript ?? (await import('../script/read-script.js')).readScript;
  const summaries = new Map<string, EpisodeSummary>();

  // Check phase: the rules `castline check` runs (check-show.ts), over every input that
  // exists. Errors about an episode that is not recorded yet do not stop the others.
  const recorded: string[] = [];
  for (const episode of episodes) if (await hasRecording(episode)) recorded.push(episode.id);
  const probe = await createRecordedProbe(show);
  const found = await checkShow(show, { only: ids, probe, readScript, for: 'build' });
  const problems: Problem[] = found.filter((p) => p.severity === 'error' && inScope(p, recorded));
  for (const p of found.filter((f) => !problems.includes(f))) reporter.warn(`${p.file}${p.path ? ` → ${p.path}` : ''}: ${p.message}${p.severity === 'error' ? ' (not recorded yet, so not built)' : ''}`);

  // Read phase (only when the checks passed, or it would report the same files again): every
  // episode's inputs read, hashed and probed through the same probe, before any encode.
  const ready: EpisodeInputs[] = [];
  for (const episode of problems.length ? [] : episodes) {
    try {
      const read = await readEpisodeInputs(show, episode, readScript, probe);
      if (read.status === 'not-recorded') {
        if (explicit) {
          throw new CastlineError('not-recorded', `episodes/${episode.id}/audio/ has no recording yet`, {
            hint: 'record the script and put the file (or one take per section, named by section id) in that folder',
          });
        }
        reporter.info(`${episode.id}: not recorded yet (skipped)`);
        summaries.set(episode.id, { id: episode.id, status: 'not recorded yet' });
      } else ready.push(read.inputs);
    } catch (error) {
      if (!(error instanceof CastlineError)) throw error;
      problems.push({ severity: 'error', code: error.code, file: `episodes/${episode.id}`, message: error.message, hint: error.hint });
    }
  }
  if (problems.length === 1 && problems[0]) {
    const p = problems[0];
    // Read-phase messages name their file already; a rule's names it in file (and path).
    const where = /^episodes\/[^/]+$/.test(p.file) ? '' : `${p.file}${p.path ? ` → ${p.path}:` : ''} `;
    throw new CastlineError(p.code, `${where}${p.message}`, { hint: p.hint, state: 'nothing was encoded; dist/ is unchanged' });
  }
  if (problems.length) throw new ProblemsError(problems, `${problems.length} problems; nothing was encoded`);

  let captionsModule: typeof import('../captions/index.js') | undefined;
  try {
    captionsModule = await import('../captions/index.js');
  } catch (error) {
    reporter.warn(`captions are unavailable: ${errorMessage(error)}`);
  }
  // Episodes with no build in dist/ (a fresh clone, CI) may be deployed already with these
  // very inputs: read their build records back from the deploy target (no target: skipped).
  const deployed = options.force ? undefined : await readDeployedBuilds(show, ready, options);
  // Plan phase (pure): what each episode needs and why.
  const keptPlans = new Map<string, KeptBuildDecision>();
  for (const inputs of options.force ? [] : ready.filter((i) => !i.previous)) {
    const id = inputs.episode.id;
    const remote = deployed?.state.builds.get(id);
    const candidate = remote?.record ?? inputs.kept;
    if (!candidate) continue;
    const decision = planKeptBuild({
      id,
      candidate,
      keys: flattenKeys(episodeKeys(show.show, inputs).keys),
      deployed: remote ? deployed?.state.deployed : undefined,
      needsLocalMedia: options.needsLocalMedia?.(id) ?? false,
      target: deployed?.target.description ?? 'the deploy target',
    });
    keptPlans.set(id, decision);
  }
  const keep = ready.filter((i) => keptPlans.get(i.episode.id)?.action === 'keep');
  const planned = ready.filter((i) => !keep.includes(i)).map((inputs) => ({ inputs, plan: planEpisode(show.show, inputs, { force: options.force, captions: captionsModule !== undefined }) }));
  for (const d of keptPlans.values()) if (d.action === 'build') reporter.info(`${d.id}: ${d.reason}`);
  if (options.dryRun) {
    await deployed?.target.close();
    for (const i of keep) {
      const d = keptPlans.get(i.episode.id)!;
      reporter.info(`${d.id}: would keep on the target (${d.reason})`);
      summaries.set(d.id, { id: d.id, status: 'would keep on target', kept: { target: deployed?.target.description ?? 'the deploy target', reason: d.reason } });
    }
    for (const { plan } of planned) summaries.set(plan.id, reportDryRun(show.root, plan, reporter));
    reporter.info('dry run: nothing was written (a build would then write dist/feed.xml and the site)');
    return { dryRun: true, ...(shard ? { shard } : {}), episodes: episodes.map((e) => summaries.get(e.id)).filter((s): s is EpisodeSummary => s !== undefined), feed: undefined, wallSeconds: (performance.now() - started) / 1000 };
  }
  // A run killed mid-write (SIGKILL, a CI runner gone) leaves its temp files beside the outputs.
  for (const i of ready) {
    const removed = await removeStaleTemps(join(show.root, 'dist', 'episodes', i.episode.id));
    if (removed.length) reporter.info(`${i.episode.id}: removed ${removed.length} temp file${removed.length === 1 ? '' : 's'} a killed build left`);
  }
  try {
    // Apply the kept ones first: download their small outputs, write their records.
    const restores = keep.flatMap((i) => {
      const d = keptPlans.get(i.episode.id)!;
      const remote = deployed?.state.builds.get(i.episode.id);
      return d.action === 'keep' && remote ? [{ id: d.id, remote, downloads: d.downloads }] : [];
    });
    if (restores.length && deployed) {
      const { restoreKeptBuilds } = await import('../deploy/remote-build-state.js');
      await restoreKeptBuilds(show.root, deployed.target, restores);
    }
  } finally {
    await deployed?.target.close();
  }
  for (const i of keep) {
    const d = keptPlans.get(i.episode.id)!;
    const rec = deployed?.state.builds.get(d.id)?.record ?? i.kept!;
    reporter.info(`${d.id}: ${d.reason}`);
    summaries.set(d.id, {
      ...recordSummary(rec, 'kept on target', OUTPUTS.map((output) => ({ output, action: 'keep' as const, reason: d.reason }))),
      kept: { target: deployed?.target.description ?? 'the deploy target', reason: d.reason },
      warnings: [],
    });
  }

  const progress = createEncodeProgress(reporter);
  const { writeFeedAndSite } = await import('./write-feed-and-site.js');
  try {
    const clipWarnings = new Map<string, string[]>();
    const results = await mapLimit(planned, availableParallelism(), async ({ inputs, plan }) => {
      const result = await applyEpisodePlan({ show, inputs, plan, progress, buildCaptions: captionsModule?.buildCaptions });
      // episode.yaml clips (issue 15), cut from the finished MP4 and captions.
      if (!inputs.episode.config?.clips.length && !result.record.clips?.length) return result;
      const { makeEpisodeClips } = await import('../clips/make-episode-clips.js');
      const clips = await makeEpisodeClips(show, inputs.episode, result.record, progress);
      for (const c of clips.made) reporter.info(`${result.record.id}: made clip ${c.path} (${c.format}, ${c.duration.toFixed(1)} s from ${c.start.toFixed(1)} s)`);
      clipWarnings.set(result.record.id, clips.warnings);
      return { ...result, record: clips.record };
    });
    progress.close();
    // Every built episode has its permanent GUID from now on (the feed and YouTube use it).
    // Not in a shard: runners would each mint GUIDs in their own checkout; the final build
    // over the whole show assigns them once, in the checkout that commits published.yaml.
    const built = [...results.map((r) => r.record.id), ...keep.map((i) => i.episode.id)].map((id) => show.episodes.find((e) => e.id === id)).filter((e): e is EpisodeContext => e !== undefined);
    if (!shard) await applyEpisodeGuids(show, planEpisodeGuids(built.map((e) => ({ id: e.id, ledger: episodeLedgerState(e) })), { now: new Date() }));
    for (const r of results) {
      const rec = r.record;
      const built = r.built.length > 0;
      if (built) {
        for (const s of r.plan.steps.filter((s) => r.built.includes(s.output))) reporter.info(`${rec.id}: built ${s.output} (${s.reason})`);
        reporter.done(
          `${rec.id}: ${formatDuration(rec.durationSeconds)}, ${rec.chapters.length} chapters${rec.chaptersEstimated ? ' (estimated)' : ''}, MP3 ${rec.loudness.mp3Integrated?.toFixed(1) ?? '?'} LUFS / ${rec.loudness.mp3TruePeak?.toFixed(1) ?? '?'} dBTP, ${formatBytes(rec.outputs.mp3.bytes)}${captionsSummary(rec)}`,
        );
        // What cleanup did to each take, measured (issue 14): the numbers, not just "on".
        if (rec.cleanup && rec.cleanup.mode !== 'off') for (const t of rec.cleanup.takes) reporter.info(`${rec.id}: cleanup ${describeTakeCleanup(t)}`);
        if (rec.camera && r.built.includes('mp4')) reporter.info(`${rec.id}: camera ${describeCamera(rec.camera)}`);
      } else reporter.info(`${rec.id}: up to date`);
      for (const w of [...(built ? rec.warnings : []), ...(clipWarnings.get(rec.id) ?? [])]) reporter.warn(`${rec.id}: ${w}`);
      summaries.set(rec.id, recordSummary(rec, built ? 'built' : 'unchanged', r.plan.steps));
    }
  } finally {
    progress.close();
  }
  if (shard) {
    reporter.info(`shard ${shard.index}/${shard.count}: feed and site not written; once every shard is done, \`castline build\` (or deploy, publish) writes them from the build records`);
    return { shard, episodes: episodes.map((e) => summaries.get(e.id)).filter((s): s is EpisodeSummary => s !== undefined), feed: undefined, wallSeconds: (performance.now() - started) / 1000 };
  }
  const feed = await writeFeedAndSite(show, { reporter });
  return { episodes: episodes.map((e) => summaries.get(e.id)).filter((s): s is EpisodeSummary => s !== undefined), feed, wallSeconds: (performance.now() - started) / 1000 };
}

/**
 * The deployed builds of the ready episodes that have no build in dist/ and no earlier
 * restore, read from show.yaml's deploy target; undefined when there is none to ask.
 */
async function readDeployedBuilds(show: ShowContext, ready: readonly EpisodeInputs[], options: BuildShowOptions): Promise<DeployedBuilds | undefined> {
  const ids = ready.filter((i) => !i.previous && !i.kept).map((i) => i.episode.id);
  if (!ids.length || (show.show.deploy.target === 'local' && !show.show.deploy.path)) return undefined;
  const { openDeployedBuilds } = await import('../deploy/remote-build-state.js');
  return openDeployedBuilds(show, ids, { reporter: options.reporter, env: options.env ?? process.env, required: false });
}

/** An episode's summary from its build record (built here, unchanged, or kept on the target). */
function recordSummary(rec: EpisodeBuild, status: EpisodeSummary['status'], steps: PlanStep[]): EpisodeSummary {
  return {
    id: rec.id,
    status,
    durationSeconds: rec.durationSeconds,
    chaptersEstimated: rec.chaptersEstimated,
    chapters: rec.chapters,
    loudness: rec.loudness,
    cleanup: rec.cleanup,
    camera: rec.camera,
    outputs: Object.entries(rec.outputs)
      .filter(([, f]) => f !== undefined)
      .map(([kind, f]) => ({ kind, path: f.path, bytes: f.bytes })),
    steps,
    warnings: rec.warnings,
  };
}

/** One episode's plan on stderr (and in the --json summary), naming every output file. */
function reportDryRun(root: string, plan: EpisodeBuildPlan, reporter: Reporter): EpisodeSummary {
  const paths = outputPaths(root, plan.id);
  const steps = plan.steps.map((s) => ({ ...s, files: outputFiles(paths, s.output).map((f) => relative(root, f)) }));
  for (const s of steps) reporter.info(`${plan.id}: ${s.action === 'build' ? 'would build' : 'would keep'} ${s.output} → ${s.files.join(', ')} (${s.reason})`);
  if (plan.measure && plan.build.size) reporter.info(`${plan.id}: would analyse the loudness of the recording first`);
  return { id: plan.id, status: plan.build.size ? 'would build' : 'unchanged', steps };
}

/** Captions in the build summary: cue count, alignment confidence, changed regions (issue 8). */
function captionsSummary(rec: EpisodeBuild): string {
  if (!rec.captions) return ', no captions';
  const changed = rec.captions.changedRegions.length;
  return `, captions ${rec.captions.cues} cues (alignment confidence ${Math.round(rec.captions.confidence * 100)}%${changed ? `, ${changed} region${changed === 1 ? '' : 's'} changed since recording` : ''})`;
}
