import { existsSync } from 'node:fs';
import type { Rule } from '../config/check-rules.js';
import type { DeploySettings } from '../config/show-schema.js';
import type { Problem } from '../core/errors.js';
import type { ErrorCode } from '../core/errors-data.js';
import { S3_CREDENTIAL_VARS } from './credential-vars.js';

/**
 * Deploy settings that the schema alone cannot judge, checked by `castline check` and before
 * any upload: credentials that are not there at all, and a site.baseUrl that does not look
 * like the target's public address (a warning: a CDN or custom domain in front is common).
 * Schema problems (missing bucket or host, endpoint not a URL, prefix with "..") come first,
 * from show-schema.ts.
 */
export function checkDeploySettings(deploy: DeploySettings, baseUrl: string, env: NodeJS.ProcessEnv = process.env): Problem[] {
  const problems: Problem[] = [];
  const at = (path: string, severity: Problem['severity'], code: ErrorCode, message: string, hint: string): void =>
    void problems.push({ severity, code, file: 'show.yaml', path, message, hint });
  const base = new URL(baseUrl);
  if (deploy.target === 's3') {
    if (!hasS3Credentials(env)) {
      at('deploy', 'warning', 'deploy-credentials-missing', 'no S3 credentials in the environment (AWS_ACCESS_KEY_ID, AWS_PROFILE, a web identity or ~/.aws files)', `set ${S3_CREDENTIAL_VARS} before castline deploy (on EC2/ECS an instance role also works)`);
    }
    const host = base.hostname;
    const bucket = deploy.bucket ?? '';
    if (deploy.endpoint && new URL(deploy.endpoint).hostname === host) {
      at('site.baseUrl', 'warning', 'deploy-base-url', `site.baseUrl ${baseUrl} is the storage API endpoint, which listeners usually cannot read`, 'use the bucket\'s public address (R2: the r2.dev or custom domain; B2: the f00N.backblazeb2.com download URL; or your CDN)');
    } else if (/(^|\.)(amazonaws\.com|backblazeb2\.com|r2\.dev|digitaloceanspaces\.com|wasabisys\.com|storage\.googleapis\.com)$/.test(host)) {
      if (!host.includes(bucket) && !base.pathname.split('/').includes(bucket) && !host.endsWith('r2.dev')) {
        at('site.baseUrl', 'warning', 'deploy-base-url', `site.baseUrl ${baseUrl} is a storage address that does not name bucket "${bucket}"`, `point site.baseUrl at the bucket's public URL, like https://${bucket}.s3.amazonaws.com/${deploy.prefix ? `${deploy.prefix}/` : ''}`);
      } else if (deploy.prefix && !base.pathname.replace(/\/+$/, '').endsWith(`/${deploy.prefix}`)) {
        at('site.baseUrl', 'warning', 'deploy-base-url', `site.baseUrl ${baseUrl} does not end in the deploy prefix "${deploy.prefix}/"`, `files go to ${deploy.prefix}/ in the bucket: add it to site.baseUrl, or change deploy.prefix`);
      }
    }
  }
  if (deploy.target === 'sftp') {
    const key = env['CASTLINE_SFTP_KEY'];
    if (key && !existsSync(key)) {
      at('deploy', 'error', 'deploy-key-missing', `CASTLINE_SFTP_KEY names ${key}, which does not exist`, 'point CASTLINE_SFTP_KEY at the private key file (kept outside the show folder)');
    } else if (!key && !env['SSH_AUTH_SOCK']) {
      at('deploy', 'warning', 'deploy-credentials-missing', 'no SSH key for the SFTP deploy: neither CASTLINE_SFTP_KEY nor an ssh-agent (SSH_AUTH_SOCK)', 'set CASTLINE_SFTP_KEY to a private key file, or load the key into ssh-agent');
    }
    const host = (deploy.host ?? '').replace(/^\[|\]$/g, '');
    const isAddress = /^[\d.]+$/.test(host) || host.includes(':');
    if (!isAddress && registrable(host) !== registrable(base.hostname)) {
      at('site.baseUrl', 'warning', 'deploy-base-url', `site.baseUrl ${baseUrl} is not on ${host}, the SFTP server`, `check that ${deploy.path ?? 'deploy.path'} on ${host} is what ${base.hostname} serves`);
    }
  }
  return problems;
}

function registrable(host: string): string {
  return host.toLowerCase().split('.').slice(-2).join('.');
}

function hasS3Credentials(env: NodeJS.ProcessEnv): boolean {
  if (env['AWS_ACCESS_KEY_ID'] || env['AWS_PROFILE'] || env['AWS_WEB_IDENTITY_TOKEN_FILE'] || env['AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'] || env['AWS_CONTAINER_CREDENTIALS_FULL_URI']) return true;
  const home = env['HOME'] ?? '';
  return existsSync(env['AWS_SHARED_CREDENTIALS_FILE'] ?? `${home}/.aws/credentials`) || existsSync(env['AWS_CONFIG_FILE'] ?? `${home}/.aws/config`);
}

export const deployRule: Rule = (ctx) => checkDeploySettings(ctx.show.deploy, ctx.show.site.baseUrl);
