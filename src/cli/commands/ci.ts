import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CastlineError } from '../../core/errors.js';
import { writeFileAtomic } from '../../core/fs-atomic.js';
import { findShowRoot, loadValidShow } from '../../config/load-show.js';
import { ciSecrets } from '../../ci/ci-secrets.js';
import { renderGithubWorkflow, renderGitlabCi, renderK8sJobs, type CiOptions } from '../../ci/render-ci-files.js';
import { MAX_SHARDS } from '../../pipeline/shard-episodes.js';
import type { CommandContext } from '../main.js';

function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/**
 * `castline ci github|gitlab|k8s [--matrix N] [--package SPEC] [--cron CRON] [--force]`: write
 * the CI files that publish the show (render-ci-files.ts); never replaces a file without --force.
 */
export async function run(ctx: CommandContext, engine: string, options: { matrix?: string; package?: string; cron?: string; force?: boolean }): Promise<number> {
  if (!['github', 'gitlab', 'k8s'].includes(engine)) {
    throw new CastlineError('ci-engine-unknown', `castline ci does not know "${engine}"`, { hint: 'use castline ci github, castline ci gitlab or castline ci k8s' });
  }
  const matrix = options.matrix === undefined ? (engine === 'k8s' ? 4 : undefined) : Number(options.matrix);
  if (matrix !== undefined && (!Number.isInteger(matrix) || matrix < 2 || matrix > MAX_SHARDS)) {
    throw new CastlineError('ci-engine-unknown', `--matrix "${options.matrix}" is not a number of shards from 2 to ${MAX_SHARDS}`, { hint: 'for example --matrix 4' });
  }
  const root = findShowRoot(ctx.cwd, ctx.options.root);
  const show = (await loadValidShow(root, { only: [] })).show;
  const o: CiOptions = { packageSpec: options.package ?? `castline@${packageVersion()}`, cron: options.cron ?? '0 6 * * 1', ...(matrix ? { matrix } : {}) };
  const files: [string, string][] =
    engine === 'github'
      ? [['.github/workflows/castline.yml', renderGithubWorkflow(show, o)]]
      : engine === 'gitlab'
        ? [['.gitlab-ci.yml', renderGitlabCi(show, o)]]
        : Object.entries(renderK8sJobs(show, { ...o, matrix: matrix ?? 4 })).map(([k, text]) => [`k8s/castline-${k}-job.yaml`, text] as [string, string]);
  const existing = files.map(([p]) => p).filter((p) => existsSync(join(root, p)));
  if (existing.length && !options.force) {
    throw new CastlineError('ci-file-exists', `${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''}; castline ci does not replace ${existing.length === 1 ? 'it' : 'them'} without --force`, {
      hint: 'rerun with --force to replace (your edits to it are lost), or move it away first',
      state: 'nothing was written',
    });
  }
  for (const [path, text] of files) {
    await writeFileAtomic(join(root, path), text);
    ctx.reporter.done(`wrote ${relative(root, join(root, path))}`);
  }
  const secrets = ciSecrets(show);
  if (engine !== 'k8s') ctx.reporter.info(`set these ${engine === 'github' ? 'repository secrets' : 'CI/CD variables'}: ${[...secrets.map((s) => s.name), ...(engine === 'gitlab' ? ['CASTLINE_GIT_TOKEN'] : [])].join(', ') || 'none'}`);
  if (show.deploy.target === 'local') ctx.reporter.warn('show.yaml deploy.target is local: a CI runner\'s folder is thrown away after the run; set deploy: to s3 or sftp (README "Deploying")');
  ctx.reporter.result({ files: files.map(([p]) => p), secrets: secrets.map((s) => s.name) });
  return 0;
}
