import { spawn } from 'node:child_process';
import { CLI } from '../../helpers/cli.js';

/** `castline serve --port 0` in a show folder, resolved once it printed its feed URL. */
export async function startServe(root: string): Promise<{ origin: string; feedUrl: string; stderr: () => string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0'], { cwd: root, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const feedUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`castline serve printed no URL in 10 s; stderr: ${stderr}`)), 10_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      const line = stdout.split('\n').find((l) => l.endsWith('feed.xml'));
      if (line) {
        clearTimeout(timer);
        resolve(line.trim());
      }
    });
    child.on('exit', (code) => reject(new Error(`castline serve exited with ${code}: ${stderr}`)));
  });
  return {
    feedUrl,
    origin: feedUrl.replace(/feed\.xml$/, ''),
    stderr: () => stderr,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
