import { formatProblem, hasErrors, ProblemsError, type Problem } from '../../core/errors.js';
import { findShowRoot, listEpisodeIds, loadEpisode, loadShow, resolveEpisodeIds, type ShowContext } from '../../config/load-show.js';
import { checkShow } from '../../pipeline/check-show.js';
import type { CommandContext } from '../main.js';

/**
 * Everything wrong in the show at once: show.yaml, every episode, cross-file rules. When
 * show.yaml itself is invalid the episodes are still read, so one run lists every problem.
 */
async function collectProblems(root: string, only: readonly string[] | undefined): Promise<{ show: ShowContext | undefined; problems: Problem[] }> {
  let show: ShowContext;
  try {
    show = await loadShow(root, { only });
  } catch (error) {
    if (!(error instanceof ProblemsError)) throw error;
    const problems = [...error.problems];
    for (const id of await listEpisodeIds(root)) {
      if (!only || only.includes(id)) problems.push(...(await loadEpisode(root, id)).problems);
    }
    return { show: undefined, problems };
  }
  // Cross-episode rules (unique numbers) need every episode; checkShow keeps only problems in scope.
  const ruleProblems = await checkShow(show, { only });
  return { show, problems: [...show.problems, ...ruleProblems] };
}

/** `castline check [episode...]`: every problem at once; exit 1 on any error. */
export async function run(ctx: CommandContext, episodes: string[] = []): Promise<number> {
  const root = findShowRoot(ctx.cwd, ctx.options.root);
  const only = episodes.length ? await resolveEpisodeIds(root, episodes) : undefined;
  const { show, problems } = await collectProblems(root, only);
  const checked = show ? show.episodes.map((e) => e.id).filter((id) => !only || only.includes(id)) : (only ?? []);
  const errors = problems.filter((p) => p.severity === 'error');
  const warnings = problems.filter((p) => p.severity === 'warning');
  for (const p of problems) process.stderr.write(`${formatProblem(p)}\n`);
  ctx.reporter.result({ ok: !hasErrors(problems), episodes: checked, errors, warnings });
  if (hasErrors(problems)) {
    process.stderr.write(`${errors.length} error${errors.length === 1 ? '' : 's'}, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}\n`);
    return 1;
  }
  ctx.reporter.info(`✓ ${checked.length} episode${checked.length === 1 ? '' : 's'} checked: no errors${warnings.length ? `, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}` : ''}`);
  return 0;
}
