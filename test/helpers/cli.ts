import { execFileSync, spawn } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The castline repository (also the example show). */
export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const CLI = join(REPO_ROOT, 'bin', 'castline.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Run the real, built CLI (`bin/castline.js` → `lib/`) as a child process, like a user would
 * (vitest's runCli style). `npm test` builds lib/ first.
 */
export function runCli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 300_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Files of the example show that a temp show copies (never dist/, node_modules, lib). */
const SHOW_ENTRIES = ['show.yaml', 'assets', 'episodes'];

/**
 * A temporary copy of the example show. `episodes: false` copies no episodes; pass ids to
 * copy only those. Removed by the returned cleanup.
 */
export async function makeTempShow(options: { episodes?: boolean | string[] } = {}): Promise<{ root: string; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'castline-show-'));
  for (const entry of SHOW_ENTRIES) {
    if (entry === 'episodes') {
      if (options.episodes === false) continue;
      if (Array.isArray(options.episodes)) {
        for (const id of options.episodes) await cp(join(REPO_ROOT, 'episodes', id), join(root, 'episodes', id), { recursive: true });
        continue;
      }
    }
    await cp(join(REPO_ROOT, entry), join(root, entry), { recursive: true });
  }
  return { root, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/**
 * A command-line tool that a test needs (espeak-ng, xmllint, chromium, gpo...). Under CI a
 * missing tool fails the test loudly (never a silent skip); locally the test is skipped with
 * a reason so a developer without the tool can still run the rest.
 */
export function requireTool(name: string, path?: string): boolean {
  const found = hasTool(name, path);
  if (!found && process.env['CI']) throw new Error(`${name} is required in CI but is not installed: .ci/run must install it`);
  return found;
}

export function hasTool(name: string, path?: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${path ?? name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
