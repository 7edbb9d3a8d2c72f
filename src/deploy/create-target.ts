import type { DeploySettings } from '../config/show-schema.js';
import { resolveDeployPath, type DeployTarget } from './deploy-target.js';
import { localDeployTarget } from './local-target.js';
import { s3DeployTarget, s3Description, type S3DeployTarget } from './s3-target.js';

/** The target show.yaml `deploy:` names; undefined for `local` without a path (dist/ is the result). */
export async function createDeployTarget(root: string, deploy: DeploySettings, env: NodeJS.ProcessEnv = process.env): Promise<DeployTarget | undefined> {
  switch (deploy.target) {
    case 'local':
      return deploy.path ? localDeployTarget(resolveDeployPath(root, deploy.path)) : undefined;
    case 's3':
      return s3DeployTarget({ bucket: deploy.bucket!, prefix: deploy.prefix, region: deploy.region, endpoint: deploy.endpoint, forcePathStyle: deploy.forcePathStyle, partSizeMiB: deploy.partSizeMiB }, env);
    case 'sftp': {
      const { sftpDeployTarget } = await import('./sftp-target.js');
      return sftpDeployTarget({ host: deploy.host!, port: deploy.port ?? 22, user: deploy.user!, path: deploy.path!, hostKey: deploy.hostKey }, env);
    }
  }
}

/** Where the deploy goes, for plans and summaries (no connection made). */
export function describeDeploy(root: string, deploy: DeploySettings): string | undefined {
  switch (deploy.target) {
    case 'local':
      return deploy.path ? resolveDeployPath(root, deploy.path) : undefined;
    case 's3':
      return s3Description({ bucket: deploy.bucket!, prefix: deploy.prefix });
    case 'sftp':
      return `sftp://${deploy.user}@${deploy.host}:${deploy.port ?? 22}${deploy.path!.startsWith('/') ? '' : '/~/'}${deploy.path}`;
  }
}

export function isS3Target(target: DeployTarget): target is S3DeployTarget {
  return typeof (target as Partial<S3DeployTarget>).setupCors === 'function';
}
