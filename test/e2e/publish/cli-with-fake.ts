import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, runCli, type CliResult } from '../../helpers/cli.js';
import type { FakeYouTube } from '../../fake-youtube/fake-youtube-server.mjs';

/** The real CLI against FakeYouTube, with a throwaway config dir (never the user's). */
export async function fakeEnv(fake: FakeYouTube, extra: NodeJS.ProcessEnv = {}): Promise<{ env: NodeJS.ProcessEnv; cleanup: () => Promise<void> }> {
  const config = await mkdtemp(join(tmpdir(), 'castline-config-'));
  return { env: { CI: '', XDG_CONFIG_HOME: config, ...fake.env(), ...extra }, cleanup: () => rm(config, { recursive: true, force: true }) };
}

export const outputs: string[] = [];

/** runCli that keeps every output, so a test can check no secret was ever printed. */
export async function cli(args: readonly string[], root: string, env: NodeJS.ProcessEnv): Promise<CliResult> {
  const result = await runCli(args, { cwd: root, env, timeoutMs: 60_000 });
  outputs.push(result.stdout, result.stderr);
  return result;
}

/**
 * Run the CLI and SIGKILL it once the fake has stored `killAt` bytes of an upload (or, with
 * `killOnVideo`, right after the fake finished a video): the process dies mid-work, like a
 * laptop closed during an upload.
 */
export function cliKilledAt(args: readonly string[], root: string, env: NodeJS.ProcessEnv, fake: FakeYouTube, when: { killAt?: number; killOnVideo?: number }): Promise<CliResult & { killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killed = false;
    let videos = 0;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const kill = (): void => {
      if (!killed) {
        killed = true;
        child.kill('SIGKILL');
      }
    };
    const onProgress = (p: { received: number }): void => {
      if (when.killAt !== undefined && p.received >= when.killAt) kill();
    };
    const onVideo = (): void => {
      videos++;
      if (when.killOnVideo !== undefined && videos >= when.killOnVideo) kill();
    };
    fake.on('progress', onProgress);
    fake.on('video', onVideo);
    const timer = setTimeout(kill, 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      fake.off('progress', onProgress);
      fake.off('video', onVideo);
      outputs.push(stdout, stderr);
      resolve({ code: code ?? (signal ? 137 : 1), stdout, stderr, killed });
    });
  });
}

/** Every file under `dir` (text files' contents), to look for leaked secrets. */
export async function allFileContents(dir: string): Promise<{ path: string; text: string }[]> {
  const out: { path: string; text: string }[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) out.push({ path: p, text: (await readFile(p)).toString('latin1') });
    }
  };
  await walk(dir);
  return out;
}

/** Secrets the fake knows: refresh token, client secret, every access token it issued. */
export function secretsOf(fake: FakeYouTube): string[] {
  return [fake.refreshToken, fake.clientSecret, ...((fake as unknown as { accessTokens: Set<string> }).accessTokens ?? [])];
}
