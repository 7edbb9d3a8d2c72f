import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256 } from '../../../src/core/hash.js';
import { fingerprintOf } from '../../../src/deploy/known-hosts.js';
import { requireTool, runCli } from '../../helpers/cli.js';
import { startSshd, type RunningServer } from '../../helpers/servers.js';
import { distHashes, makeDeployShow } from './deploy-show.js';

// castline deploy over SFTP (ssh2-sftp-client) to Debian's sshd on a random loopback port,
// with a throwaway host key and user key; files are checked on the server's disk.
describe.skipIf(!requireTool('sshd', '/usr/sbin/sshd') || !requireTool('ssh-keygen'))('castline deploy to SFTP (OpenSSH sshd)', () => {
  let sshd: RunningServer & { user: string; userKey: string; hostKeyPub: string; fingerprint: string };
  let remote: string;
  beforeAll(async () => {
    sshd = await startSshd();
    remote = await mkdtemp(join(tmpdir(), 'castline-sftp-root-'));
  }, 60_000);
  afterAll(async () => {
    await sshd?.stop();
    if (remote) await rm(remote, { recursive: true, force: true });
  });

  const settings = (path: string, extra: Record<string, unknown> = {}) => ({ target: 'sftp', host: '127.0.0.1', port: sshd.port, user: sshd.user, path, ...extra });

  it('checks the host key against deploy.hostKey, uploads every file atomically, and a rerun sends nothing', async () => {
    const path = join(remote, 'www');
    const show = await makeDeployShow(settings(path, { hostKey: sshd.fingerprint }));
    try {
      // castline's fingerprint of the key is OpenSSH's (ssh-keygen -l -E sha256).
      expect(fingerprintOf(Buffer.from(sshd.hostKeyPub.split(' ')[1]!, 'base64'))).toBe(sshd.fingerprint);
      const env = { CASTLINE_SFTP_KEY: sshd.userKey, SSH_AUTH_SOCK: '' };
      const run = await runCli(['deploy', '--json'], { cwd: show.root, env });
      expect(run.code, run.stderr).toBe(0);
      const result = JSON.parse(run.stdout) as { uploaded: string[]; target: string };
      expect(result.target).toBe(`sftp://${sshd.user}@127.0.0.1:${sshd.port}${path}`);
      const local = await distHashes(show.root);
      expect(result.uploaded.at(-1)).toBe('feed.xml');
      for (const [rel, hash] of local) expect(sha256(await readFile(join(path, rel))), rel).toBe(hash);
      expect((await stat(join(path, 'feed.xml'))).mode & 0o777).toBe(0o644);
      const record = JSON.parse(await readFile(join(path, '.castline', 'deploy.json'), 'utf8')) as { files: Record<string, { sha256: string }> };
      expect(record.files['feed.xml']?.sha256).toBe(local.get('feed.xml'));

      const again = await runCli(['deploy', '--json'], { cwd: show.root, env });
      expect(again.code, again.stderr).toBe(0);
      expect((JSON.parse(again.stdout) as { uploaded: string[] }).uploaded).toEqual([]);
    } finally {
      await show.cleanup();
    }
  }, 180_000);

  it('uses ~/.ssh/known_hosts when show.yaml has no hostKey, and refuses an unknown or changed host key', async () => {
    const path = join(remote, 'known');
    const show = await makeDeployShow(settings(path));
    const home = await mkdtemp(join(tmpdir(), 'castline-home-'));
    try {
      const env = { HOME: home, CASTLINE_SFTP_KEY: sshd.userKey, SSH_AUTH_SOCK: '' };
      const unknown = await runCli(['deploy'], { cwd: show.root, env });
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('127.0.0.1 is not in known_hosts');
      expect(unknown.stderr).toContain(`ssh-keyscan -p ${sshd.port} 127.0.0.1`);
      expect(unknown.stderr).toContain(sshd.fingerprint);
      await expect(stat(join(path, 'feed.xml'))).rejects.toThrow();

      await mkdir(join(home, '.ssh'));
      const [type] = sshd.hostKeyPub.split(' ');
      await writeFile(join(home, '.ssh', 'known_hosts'), `[127.0.0.1]:${sshd.port} ${type} AAAAC3NzaC1lZDI1NTE5AAAAIBfzt9e3Q0LzVWc1Z6AiBWn1fwPEKd8hBg3uMN2fIExy\n`);
      const changed = await runCli(['deploy'], { cwd: show.root, env });
      expect(changed.code).toBe(1);
      expect(changed.stderr).toContain('presented a different host key');

      await writeFile(join(home, '.ssh', 'known_hosts'), `[127.0.0.1]:${sshd.port} ${sshd.hostKeyPub.split(' ').slice(0, 2).join(' ')}\n`);
      const ok = await runCli(['deploy'], { cwd: show.root, env });
      expect(ok.code, ok.stderr).toBe(0);
      expect(sha256(await readFile(join(path, 'feed.xml')))).toBe((await distHashes(show.root)).get('feed.xml'));
    } finally {
      await show.cleanup();
      await rm(home, { recursive: true, force: true });
    }
  }, 180_000);

  it('a key the server does not accept is a clear error naming the target and the variables', async () => {
    const path = join(remote, 'wrongkey');
    const show = await makeDeployShow(settings(path, { hostKey: sshd.fingerprint }));
    try {
      const other = join(show.root, 'other_key');
      const { execFileSync } = await import('node:child_process');
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
      const run = await runCli(['deploy'], { cwd: show.root, env: { CASTLINE_SFTP_KEY: other, SSH_AUTH_SOCK: '' } });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`sftp://${sshd.user}@127.0.0.1:${sshd.port}${path} refused the SSH key`);
      expect(run.stderr).toContain('CASTLINE_SFTP_KEY');
      expect(run.stderr).not.toContain((await readFile(other, 'utf8')).split('\n')[1]);
      const none = await runCli(['deploy'], { cwd: show.root, env: { CASTLINE_SFTP_KEY: '', SSH_AUTH_SOCK: '' } });
      expect(none.code).toBe(1);
      expect(none.stderr).toContain('No SSH key for sftp://');
    } finally {
      await show.cleanup();
    }
  }, 120_000);
});
