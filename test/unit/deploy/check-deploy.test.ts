import { describe, expect, it } from 'vitest';
import { DeploySchema, ShowSchema } from '../../../src/config/show-schema.js';
import { checkDeploySettings } from '../../../src/deploy/check-deploy.js';

const issues = (input: unknown): string[] => {
  const r = DeploySchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('deploy settings (schema)', () => {
  it('names the key that is missing, malformed or foreign to the target', () => {
    expect(issues({ target: 's3' })).toEqual(['bucket: is required for target s3']);
    expect(issues({ target: 'sftp', host: 'example.org' })).toEqual(['user: is required for target sftp', 'path: is required for target sftp']);
    expect(issues({ target: 's3', bucket: 'b-1', endpoint: 'r2.example' })[0]).toMatch(/^endpoint: must be a full URL/);
    expect(issues({ target: 's3', bucket: 'b-1', prefix: 'site/../etc' })[0]).toMatch(/^prefix: must not contain "\.\."/);
    expect(issues({ target: 'local', bucket: 'b-1' })[0]).toMatch(/^bucket: is not a setting of target local/);
    expect(issues({ target: 'sftp', host: 'user@example.org', user: 'u', path: '/srv' })[0]).toMatch(/^host: must be a host name/);
    expect(issues({ target: 'sftp', host: 'example.org', user: 'u', path: '/srv', hostKey: 'ssh-ed25519 AAAA' })[0]).toMatch(/^hostKey: must be an OpenSSH SHA256 fingerprint/);
    expect(issues({})).toEqual([]);
    expect(DeploySchema.parse({ target: 's3', bucket: 'my-show', prefix: '/podcast/' }).prefix).toBe('podcast');
  });
});

describe('checkDeploySettings', () => {
  const parse = (deploy: unknown) => DeploySchema.parse(deploy);
  const creds = { AWS_ACCESS_KEY_ID: 'x', HOME: '/nonexistent' };

  it('warns when site.baseUrl is a storage address for another bucket, the API endpoint, or misses the prefix', () => {
    expect(checkDeploySettings(parse({ target: 's3', bucket: 'my-show' }), 'https://my-show.s3.amazonaws.com/', creds)).toEqual([]);
    expect(checkDeploySettings(parse({ target: 's3', bucket: 'my-show' }), 'https://other.s3.amazonaws.com/', creds).map((p) => p.message)).toEqual([expect.stringContaining('does not name bucket "my-show"')]);
    expect(checkDeploySettings(parse({ target: 's3', bucket: 'my-show', prefix: 'podcast' }), 'https://my-show.s3.amazonaws.com/', creds).map((p) => p.message)).toEqual([expect.stringContaining('prefix "podcast/"')]);
    const r2 = parse({ target: 's3', bucket: 'my-show', region: 'auto', endpoint: 'https://acct.r2.cloudflarestorage.com' });
    expect(checkDeploySettings(r2, 'https://acct.r2.cloudflarestorage.com/my-show/', creds)[0]).toMatchObject({ severity: 'warning', path: 'site.baseUrl', message: expect.stringContaining('API endpoint') });
    // A custom domain or CDN in front is fine.
    expect(checkDeploySettings(r2, 'https://podcast.example.org/', creds)).toEqual([]);
  });

  it('reports missing credentials before anything is uploaded', () => {
    expect(checkDeploySettings(parse({ target: 's3', bucket: 'my-show' }), 'https://cdn.example.org/', { HOME: '/nonexistent' })[0]).toMatchObject({ code: 'deploy-credentials-missing', hint: expect.stringContaining('AWS_ACCESS_KEY_ID') });
    const sftp = parse({ target: 'sftp', host: 'www.example.org', user: 'deploy', path: '/srv/www' });
    expect(checkDeploySettings(sftp, 'https://example.org/', {})[0]).toMatchObject({ code: 'deploy-credentials-missing', hint: expect.stringContaining('CASTLINE_SFTP_KEY') });
    expect(checkDeploySettings(sftp, 'https://example.org/', { CASTLINE_SFTP_KEY: '/nonexistent/key' })[0]).toMatchObject({ severity: 'error', code: 'deploy-key-missing' });
    expect(checkDeploySettings(sftp, 'https://podcasts.elsewhere.net/', { SSH_AUTH_SOCK: '/tmp/agent' })[0]).toMatchObject({ severity: 'warning', path: 'site.baseUrl' });
  });

  it('is part of show.yaml (deploy defaults to local with no path)', () => {
    const show = ShowSchema.shape.deploy.parse(undefined);
    expect(show).toEqual({ target: 'local', prune: false });
  });
});
