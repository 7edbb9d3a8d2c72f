import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile, readFile, mkdir } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Real servers the deploy and verify tests talk to, each started by the test on a free
 * loopback port (parallel runs by other people never collide) and stopped by `stop()`:
 * moto_server (an S3-protocol server), Debian's sshd, nginx.
 */
export interface RunningServer {
  port: number;
  /** Temp folder the server keeps its files in (removed by stop). */
  dir: string;
  stop(): Promise<void>;
  /** What the server wrote to stderr (for failure messages). */
  log(): string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, log: () => string, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before listening on ${port}: ${log()}`);
    const up = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not listen on ${port} within ${timeoutMs} ms: ${log()}`);
}

async function startProcess(command: string, args: string[], port: number, dir: string, env: NodeJS.ProcessEnv = {}): Promise<RunningServer> {
  const child = spawn(command, args, { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (output = (output + d).slice(-20_000)));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (output = (output + d).slice(-20_000)));
  const log = (): string => output;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, child, log);
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, dir, stop, log };
}

/**
 * moto's S3 server (python moto[server]): speaks the S3 REST protocol, multipart uploads
 * included. Any access key is accepted unless `auth` is on, when only keys created through its
 * IAM API are (INITIAL_NO_AUTH_ACTION_COUNT=0), so a wrong key gets the real
 * InvalidAccessKeyId answer.
 */
export async function startMoto(options: { auth?: boolean } = {}): Promise<RunningServer & { endpoint: string }> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'castline-moto-'));
  const server = await startProcess('moto_server', ['-H', '127.0.0.1', '-p', String(port)], port, dir, options.auth ? { INITIAL_NO_AUTH_ACTION_COUNT: '0' } : {});
  return { ...server, endpoint: `http://127.0.0.1:${port}` };
}

export const MOTO_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'castline-test', AWS_SECRET_ACCESS_KEY: 'castline-test-secret', AWS_REGION: 'us-east-1' };

/**
 * Debian's OpenSSH sshd with a throwaway ed25519 host key and user key (ssh-keygen) in a temp
 * folder, the login allowed only by that key, SFTP by internal-sftp. As root (CI) the login
 * is root by key; otherwise the current user.
 */
export async function startSshd(): Promise<RunningServer & { user: string; userKey: string; hostKeyPub: string; fingerprint: string }> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'castline-sshd-'));
  const keygen = (file: string): void => void execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'castline-test', '-f', file]);
  keygen(join(dir, 'host_key'));
  keygen(join(dir, 'user_key'));
  await writeFile(join(dir, 'authorized_keys'), await readFile(join(dir, 'user_key.pub')));
  // sshd refuses to start without its privilege-separation folder.
  await mkdir('/run/sshd', { recursive: true }).catch(() => undefined);
  const config = [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${join(dir, 'host_key')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password',
    'StrictModes no',
    'UsePAM no',
    'Subsystem sftp internal-sftp',
    'LogLevel ERROR',
  ].join('\n');
  await writeFile(join(dir, 'sshd_config'), `${config}\n`);
  const server = await startProcess('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], port, dir);
  const hostKeyPub = (await readFile(join(dir, 'host_key.pub'), 'utf8')).trim();
  const fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(dir, 'host_key.pub')], { encoding: 'utf8' }).split(' ')[1]!;
  const user = execFileSync('id', ['-un'], { encoding: 'utf8' }).trim();
  return { ...server, user, userKey: join(dir, 'user_key'), hostKeyPub, fingerprint };
}

/**
 * nginx serving `root` with Debian's mime.types, single process, in the foreground; `server`
 * adds directives to the server block (locations with their own types, headers).
 */
export async function startNginx(root: string, options: { server?: string } = {}): Promise<RunningServer & { origin: string }> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'castline-nginx-'));
  const conf = `daemon off;
master_process off;
worker_processes 1;
error_log ${dir}/error.log;
pid ${dir}/nginx.pid;
events { worker_connections 64; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    root ${root};
    ${options.server ?? ''}
  }
}
`;
  await writeFile(join(dir, 'nginx.conf'), conf);
  const server = await startProcess('nginx', ['-c', join(dir, 'nginx.conf'), '-p', dir], port, dir);
  return { ...server, origin: `http://127.0.0.1:${port}` };
}
