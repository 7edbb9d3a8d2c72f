import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ShowContext } from '../config/load-show.js';
import { CastlineError, hasErrors, ProblemsError } from '../core/errors.js';
import type { Reporter } from '../core/reporter.js';
import { checkDeploySettings } from './check-deploy.js';
import { createDeployTarget, isS3Target } from './create-target.js';
import { notifyDirectories } from './notify-directories.js';
import { runDeploy, type DeployResult } from './run-deploy.js';

/**
 * dist/ to show.yaml's deploy target, then the directory notifications when the feed changed.
 * Settings are checked before any connection; credentials are proven by target.open() before
 * the first upload. Returns undefined when there is nowhere to deploy (local without a path).
 */
export interface DeploySiteOptions {
  dryRun: boolean;
  /** S3: apply the bucket CORS rule first. */
  setup?: boolean;
  reporter: Reporter;
  env?: NodeJS.ProcessEnv;
}

export interface DeploySiteResult extends DeployResult {
  notified: string[];
  cors?: boolean;
}

export async function deploySite(show: ShowContext, options: DeploySiteOptions): Promise<DeploySiteResult | undefined> {
  const env = options.env ?? process.env;
  const { reporter } = options;
  const settings = show.show.deploy;
  const problems = checkDeploySettings(settings, show.show.site.baseUrl, env);
  if (hasErrors(problems)) throw new ProblemsError(problems, 'the deploy settings have problems; nothing was uploaded');
  for (const p of problems) reporter.warn(`show.yaml → ${p.path}: ${p.message}`);
  const dist = join(show.root, 'dist');
  if (!existsSync(join(dist, 'feed.xml'))) {
    throw new CastlineError('deploy-nothing-built', 'dist/feed.xml does not exist, so there is nothing to deploy', { hint: 'run castline build first (castline deploy writes the feed from built episodes)' });
  }
  const target = await createDeployTarget(show.root, settings, env);
  if (!target) {
    if (options.setup) throw new CastlineError('deploy-setup-target', '--setup applies to an s3 deploy target; show.yaml has none', { hint: 'set deploy.target: s3 in show.yaml' });
    reporter.info('no deploy target in show.yaml (deploy.target with a path, bucket or host): dist/ is the result');
    return undefined;
  }
  let cors: boolean | undefined;
  if (options.setup) {
    if (!isS3Target(target)) throw new CastlineError('deploy-setup-target', `--setup configures CORS on S3 buckets; ${target.description} is not one`, { hint: 'on a web server, add Access-Control-Allow-Origin: * for .json, .vtt and .srt files (README: CORS)' });
    if (options.dryRun) reporter.info(`would apply the CORS rule (GET/HEAD from any origin, Range allowed) to ${target.description}`);
    else {
      await target.open();
      await target.setupCors();
      reporter.done(`applied the CORS rule to ${target.description}`);
      cors = true;
    }
  }
  const result = await runDeploy({ dist, target, prune: settings.prune, dryRun: options.dryRun, reporter, env });
  const notified: string[] = [];
  if (result.feedChanged && !options.dryRun) {
    const notify = await notifyDirectories({ feedUrl: `${show.show.site.baseUrl}feed.xml`, websubHub: show.show.feed.websub?.hub, podcastIndex: show.show.notify.podcastIndex, env });
    for (const w of notify.warnings) reporter.warn(w);
    for (const n of notify.notified) reporter.done(`notified ${n}`);
    notified.push(...notify.notified);
    result.warnings.push(...notify.warnings);
  }
  return { ...result, notified, ...(cors ? { cors } : {}) };
}
