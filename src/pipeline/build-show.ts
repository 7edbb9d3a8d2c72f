import { availableParallelism } from 'node:os';
import { CastlineError, ProblemsError, errorMessage, type Problem } from '../core/errors.js';
import { loadValidShow, resolveEpisodeIds, type EpisodeContext, type ShowContext } from '../config/load-show.js';
import type { ScriptDoc } from '../script/script-doc.js';
import type { Reporter } from '../core/reporter.js';
import { formatBytes } from '../core/reporter.js';
import { formatDuration } from '../core/clock.js';
import type { EpisodeBuild } from '../media/build-record.js';
import { buildEpisode } from './build-episode.js';
import { createEncodeProgress } from './encode-progress.js';
import { readEpisodeInputs, type EpisodeInputs } from './read-episode-inputs.js';
import type { PlanStep } from './plan-episode-build.js';

/**
 * `castline build`: read every episode's inputs (probe, hash, check) → plan per episode (pure)
 * → encode → build.json → GUIDs → feed and site. Any bad input stops the build before the
 * first encode, naming the file.
 */

export interface BuildShowOptions {
  root: string;
  episodes: readonly string[];
  force: boolean;
  reporter: Reporter;
  /** Seam for tests of the media stage on their own; default: the script stage's reader. */
  readScript?: (episode: EpisodeContext) => Promise<ScriptDoc>;
}

export interface EpisodeSummary {
  id: string;
  status: 'built' | 'unchanged' | 'not recorded yet';
  durationSeconds?: number;
  chaptersEstimated?: boolean;
  chapters?: EpisodeBuild['chapters'];
  loudness?: EpisodeBuild['loudness'];
  outputs?: { kind: string; path: string; bytes: number }[];
  steps?: PlanStep[];
  warnings?: string[];
}

export interface BuildShowResult {
  episodes: EpisodeSummary[];
  feed: unknown;
  wallSeconds: number;
}

async function pool<T, R>(items: readonly T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  let failure: unknown;
  const worker = async (): Promise<void> => {
    while (next < items.length && failure === undefined) {
      const i = next++;
      try {
        out[i] = await fn(items[i] as T);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
  if (failure !== undefined) throw failure;
  return out;
}

export async function buildShow(options: BuildShowOptions): Promise<BuildShowResult> {
  const started = performance.now();
  const { reporter } = options;
  const explicit = options.episodes.length > 0;
  const ids = explicit ? await resolveEpisodeIds(options.root, options.episodes) : undefined;
  const show: ShowContext = await loadValidShow(options.root, ids ? { only: ids } : {});
  for (const p of show.problems) reporter.warn(`${p.file}${p.path ? ` → ${p.path}` : ''}: ${p.message}`);
  const episodes = show.episodes.filter((e) => !ids || ids.includes(e.id));
  const readScript = options.readScript ?? (await import('../script/read-script.js')).readScript;

  // Read phase: every episode's inputs are checked before anything is encoded.
  const problems: Problem[] = [];
  const ready: EpisodeInputs[] = [];
  const summaries = new Map<string, EpisodeSummary>();
  for (const episode of episodes) {
    try {
      const read = await readEpisodeInputs(show, episode, readScript);
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
    throw new CastlineError(p.code, p.message, { hint: p.hint, state: 'nothing was encoded; dist/ is unchanged' });
  }
  if (problems.length) throw new ProblemsError(problems, `${problems.length} episodes have problems; nothing was encoded`);

  const progress = createEncodeProgress(reporter);
  let captionsModule: typeof import('../captions/index.js') | undefined;
  try {
    captionsModule = await import('../captions/index.js');
  } catch (error) {
    reporter.warn(`captions are unavailable: ${errorMessage(error)}`);
  }
  const { ensureEpisodeGuid, writeFeedAndSite } = await import('../feed/index.js');
  try {
    const results = await pool(ready, availableParallelism(), async (inputs) => {
      const result = await buildEpisode({ show, inputs, force: options.force, progress, buildCaptions: captionsModule?.buildCaptions });
      await ensureEpisodeGuid(show, inputs.episode.id);
      return result;
    });
    progress.close();
    for (const r of results) {
      const rec = r.record;
      const built = r.built.length > 0;
      if (built) {
        for (const s of r.plan.steps.filter((s) => r.built.includes(s.output))) reporter.info(`${rec.id}: built ${s.output} (${s.reason})`);
        reporter.done(
          `${rec.id}: ${formatDuration(rec.durationSeconds)}, ${rec.chapters.length} chapters${rec.chaptersEstimated ? ' (estimated)' : ''}, MP3 ${rec.loudness.mp3Integrated?.toFixed(1) ?? '?'} LUFS / ${rec.loudness.mp3TruePeak?.toFixed(1) ?? '?'} dBTP, ${formatBytes(rec.outputs.mp3.bytes)}${captionsSummary(rec)}`,
        );
      } else reporter.info(`${rec.id}: up to date`);
      for (const w of built ? rec.warnings : []) reporter.warn(`${rec.id}: ${w}`);
      summaries.set(rec.id, {
        id: rec.id,
        status: built ? 'built' : 'unchanged',
        durationSeconds: rec.durationSeconds,
        chaptersEstimated: rec.chaptersEstimated,
        chapters: rec.chapters,
        loudness: rec.loudness,
        outputs: Object.entries(rec.outputs)
          .filter(([, f]) => f !== undefined)
          .map(([kind, f]) => ({ kind, path: f.path, bytes: f.bytes })),
        steps: r.plan.steps,
        warnings: rec.warnings,
      });
    }
  } finally {
    progress.close();
  }
  const feed = await writeFeedAndSite(show, { reporter });
  return { episodes: episodes.map((e) => summaries.get(e.id)).filter((s): s is EpisodeSummary => s !== undefined), feed, wallSeconds: (performance.now() - started) / 1000 };
}

/** Captions in the build summary: cue count, alignment confidence, changed regions (issue 8). */
function captionsSummary(rec: EpisodeBuild): string {
  if (!rec.captions) return ', no captions';
  const changed = rec.captions.changedRegions.length;
  return `, captions ${rec.captions.cues} cues (alignment confidence ${Math.round(rec.captions.confidence * 100)}%${changed ? `, ${changed} region${changed === 1 ? '' : 's'} changed since recording` : ''})`;
}
