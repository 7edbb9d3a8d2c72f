import { formatProblem, hasErrors, type Problem } from '../../core/errors.js';
import { findShowRoot, loadShow, resolveEpisodeIds } from '../../config/load-show.js';
import { runRules } from '../../config/check-rules.js';
import type { CommandContext } from '../main.js';

/** `castline check [episode...]`: every problem at once; exit 1 on any error. */
export async function run(ctx: CommandContext, episodes: string[] = []): Promise<number> {
  const root = findShowRoot(ctx.cwd, ctx.options.root);
  const only = episodes.length ? await resolveEpisodeIds(root, episodes) : undefined;
  const show = await loadShow(root, { only });
  const problems: Problem[] = [...show.problems];
  const scoped = only ? { ...show, episodes: show.episodes.filter((e) => only.includes(e.id)) } : show;
  // Cross-episode rules (unique numbers) need every episode; keep only problems in scope.
  const ruleProblems = await runRules(show);
  problems.push(
    ...ruleProblems.filter((p) => !only || !p.file.startsWith('episodes/') || only.some((id) => p.file.startsWith(`episodes/${id}/`) || p.file === `episodes/${id}`)),
  );
  const errors = problems.filter((p) => p.severity === 'error');
  const warnings = problems.filter((p) => p.severity === 'warning');
  for (const p of problems) process.stderr.write(`${formatProblem(p)}\n`);
  ctx.reporter.result({ ok: !hasErrors(problems), episodes: scoped.episodes.map((e) => e.id), errors, warnings });
  if (hasErrors(problems)) {
    process.stderr.write(`${errors.length} error${errors.length === 1 ? '' : 's'}, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}\n`);
    return 1;
  }
  ctx.reporter.info(`✓ ${scoped.episodes.length} episode${scoped.episodes.length === 1 ? '' : 's'} checked: no errors${warnings.length ? `, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}` : ''}`);
  return 0;
}
