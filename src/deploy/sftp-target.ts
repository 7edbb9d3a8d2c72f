import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import SftpClient from 'ssh2-sftp-client';
import { CastlineError, errorMessage } from '../core/errors.js';
import type { DeployTarget } from './deploy-target.js';
import { checkKnownHosts, fingerprintOf, readKnownHosts, type HostKeyVerdict } from './known-hosts.js';

export interface SftpTargetSettings {
  host: string;
  port: number;
  user: string;
  /** Remote folder: absolute, or relative to the login's home. */
  path: string;
  hostKey?: string | undefined;
}

export const SFTP_CREDENTIAL_VARS = 'CASTLINE_SFTP_KEY (a private key file; CASTLINE_SFTP_KEY_PASSPHRASE if it has one) or an ssh-agent (SSH_AUTH_SOCK)';

/** Attempts per file: a dropped connection is reopened and the file sent again. */
const ATTEMPTS = 4;

/**
 * An SSH server (a VPS, shared hosting) over SFTP with ssh2-sftp-client (on ssh2, pure JS).
 * Each file is written to a temp name beside its place and moved over it with OpenSSH's
 * posix-rename extension (atomic on the server's filesystem), so a web server never serves a
 * half-written file and a killed deploy leaves the old file in place. The host key must
 * match show.yaml deploy.hostKey or the user's known_hosts: no trust on first use.
 */
export function sftpDeployTarget(settings: SftpTargetSettings, env: NodeJS.ProcessEnv = process.env): DeployTarget {
  const description = `sftp://${settings.user}@${settings.host}:${settings.port}${settings.path.startsWith('/') ? '' : '/~/'}${settings.path}`;
  let client: SftpClient | undefined;
  let hostVerdict: HostKeyVerdict | 'fingerprint-mismatch' | undefined;
  let seenFingerprint = '';
  const made = new Set<string>();
  const remote = (rel: string): string => posix.join(settings.path, rel);

  const connect = async (): Promise<SftpClient> => {
    if (client) return client;
    const c = new SftpClient('castline');
    const keyFile = env['CASTLINE_SFTP_KEY'];
    let privateKey: Buffer | undefined;
    if (keyFile) {
      try {
        privateKey = readFileSync(keyFile);
      } catch (error) {
        throw new CastlineError('deploy-key-missing', `CASTLINE_SFTP_KEY names ${keyFile}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)})`, {
          hint: 'point CASTLINE_SFTP_KEY at the private key file for the deploy login',
          state: 'nothing was uploaded',
        });
      }
    }
    if (!privateKey && !env['SSH_AUTH_SOCK']) {
      throw new CastlineError('deploy-credentials-missing', `No SSH key for ${description}`, { hint: `set ${SFTP_CREDENTIAL_VARS}`, state: 'nothing was uploaded' });
    }
    try {
      await c.connect({
        host: settings.host.replace(/^\[|\]$/g, ''),
        port: settings.port,
        username: settings.user,
        ...(privateKey ? { privateKey, ...(env['CASTLINE_SFTP_KEY_PASSPHRASE'] ? { passphrase: env['CASTLINE_SFTP_KEY_PASSPHRASE'] } : {}) } : { agent: env['SSH_AUTH_SOCK'] }),
        readyTimeout: 20_000,
        keepaliveInterval: 10_000,
        hostVerifier: (key: Buffer) => {
          seenFingerprint = fingerprintOf(key);
          if (settings.hostKey) {
            hostVerdict = seenFingerprint === settings.hostKey ? 'match' : 'fingerprint-mismatch';
          } else {
            hostVerdict = checkKnownHosts(readKnownHosts(env), settings.host.replace(/^\[|\]$/g, ''), settings.port, key);
          }
          return hostVerdict === 'match';
        },
      });
    } catch (error) {
      throw sftpConnectError(error, description, settings, hostVerdict, seenFingerprint);
    }
    // A dropped connection is noticed on the next call, which reconnects.
    c.on('end', () => {
      if (client === c) client = undefined;
    });
    c.on('close', () => {
      if (client === c) client = undefined;
    });
    client = c;
    return c;
  };

  const withRetry = async <T>(doing: string, fn: (c: SftpClient) => Promise<T>): Promise<T> => {
    let last: unknown;
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        return await fn(await connect());
      } catch (error) {
        if (error instanceof CastlineError || isPermanent(error)) throw sftpError(error, description, doing);
        last = error;
        await client?.end().catch(() => undefined);
        client = undefined;
        made.clear();
        if (attempt < ATTEMPTS) await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
      }
    }
    throw sftpError(last, description, doing);
  };

  const ensureDir = async (c: SftpClient, dir: string): Promise<void> => {
    if (made.has(dir)) return;
    if (!(await c.exists(dir))) await c.mkdir(dir, true);
    made.add(dir);
  };

  return {
    description,
    parallel: 1,
    async open() {
      await withRetry('connecting', async (c) => ensureDir(c, settings.path));
    },
    read: (rel) =>
      withRetry(`reading ${remote(rel)}`, async (c) => {
        if (!(await c.exists(remote(rel)))) return undefined;
        return (await c.get(remote(rel))) as Buffer;
      }),
    put: (rel, source, _headers, onBytes) =>
      withRetry(`uploading ${remote(rel)}`, async (c) => {
        const target = remote(rel);
        const tmp = posix.join(posix.dirname(target), `.${posix.basename(target)}.castline-tmp`);
        await ensureDir(c, posix.dirname(target));
        if ('data' in source) await c.put(source.data, tmp, { writeStreamOptions: { mode: 0o644 } });
        else await c.fastPut(source.abs, tmp, { mode: 0o644, step: (sent: number) => onBytes?.(sent) });
        await c.posixRename(tmp, target);
        if ('data' in source) onBytes?.(source.data.length);
      }),
    remove: (rel) => withRetry(`deleting ${remote(rel)}`, async (c) => void (await c.delete(remote(rel), true))),
    async close() {
      await client?.end().catch(() => undefined);
      client = undefined;
    },
  };
}

/** SFTP status 3 (permission denied) and 4 with "No space" do not get better by retrying. */
function isPermanent(error: unknown): boolean {
  const message = errorMessage(error);
  return /permission denied|no space|quota|not a directory/i.test(message);
}

function sftpConnectError(error: unknown, target: string, settings: SftpTargetSettings, verdict: string | undefined, fingerprint: string): CastlineError {
  if (error instanceof CastlineError) return error;
  const message = errorMessage(error);
  const state = 'nothing was uploaded';
  if (verdict && verdict !== 'match') {
    const where = settings.port === 22 ? settings.host : `[${settings.host}]:${settings.port}`;
    const text: Record<string, string> = {
      unknown: `${settings.host} is not in known_hosts, and show.yaml has no deploy.hostKey`,
      mismatch: `${settings.host} presented a different host key (${fingerprint}) than known_hosts lists`,
      revoked: `${settings.host}'s host key (${fingerprint}) is marked @revoked in known_hosts`,
      'fingerprint-mismatch': `${settings.host} presented host key ${fingerprint}, not deploy.hostKey ${settings.hostKey ?? ''}`,
    };
    return new CastlineError('deploy-host-key', `Refusing to deploy to ${target}: ${text[verdict] ?? verdict}`, {
      hint: verdict === 'unknown'
        ? `check the key with the host's admin, then add it: ssh-keyscan -p ${settings.port} ${settings.host} >> ~/.ssh/known_hosts, or set deploy.hostKey: "${fingerprint}"`
        : `if the server was reinstalled, confirm the new key with its admin and update known_hosts (ssh-keygen -R '${where}') or deploy.hostKey; otherwise someone may be intercepting the connection`,
      state,
      cause: error,
    });
  }
  if (/authentication methods failed|auth.*fail/i.test(message)) {
    return new CastlineError('deploy-credentials-rejected', `${target} refused the SSH key`, {
      hint: `check ${SFTP_CREDENTIAL_VARS}: its public key must be in ~${settings.user}/.ssh/authorized_keys on ${settings.host}`,
      state,
      cause: error,
    });
  }
  return new CastlineError('deploy-unreachable', `Cannot connect to ${target}: ${message.replace(/^connect: /, '')}`, {
    hint: 'check deploy.host and deploy.port in show.yaml, and that the server accepts SSH from here',
    state,
    cause: error,
  });
}

function sftpError(error: unknown, target: string, doing: string): CastlineError {
  if (error instanceof CastlineError) return error;
  return new CastlineError('deploy-failed', `${target}: ${doing} failed: ${errorMessage(error)}`, {
    hint: /permission denied/i.test(errorMessage(error))
      ? 'the SSH login may not write there: check deploy.path and its owner on the server'
      : 'rerun castline deploy: files already uploaded are not sent again, and the live feed changes only at the end',
    state: 'the live feed was not changed',
    cause: error,
  });
}
