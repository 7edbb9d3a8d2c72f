import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeYouTube } from '../../fake-youtube/fake-youtube-server.mjs';
import { CLI, REPO_ROOT, runCli } from '../../helpers/cli.js';

// `castline auth youtube`: the loopback + PKCE flow with the real CLI. The test plays the
// browser: it reads the printed consent URL, lets FakeYouTube "consent" (checking the S256
// challenge and the 127.0.0.1 redirect), and follows the redirect back to castline.
let fake: FakeYouTube;
let config: string;

beforeAll(async () => {
  fake = await new FakeYouTube({ channelTitle: 'MLAISU Channel' }).start();
  config = await mkdtemp(join(tmpdir(), 'castline-config-'));
});
afterAll(async () => {
  await fake.stop();
  await rm(config, { recursive: true, force: true });
});

const baseEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  NO_COLOR: '1',
  XDG_CONFIG_HOME: config,
  CASTLINE_YOUTUBE_ROOT_URL: fake.rootUrl,
  CASTLINE_OAUTH_TOKEN_URL: fake.tokenUrl,
  CASTLINE_YOUTUBE_CLIENT_ID: fake.clientId,
  CASTLINE_YOUTUBE_CLIENT_SECRET: fake.clientSecret,
  CASTLINE_YOUTUBE_REFRESH_TOKEN: '',
});

describe('castline auth youtube', () => {
  it('signs in through the loopback redirect with PKCE and stores the token 0600 outside the repo', async () => {
    const child = spawn(process.execPath, [CLI, 'auth', 'youtube'], { cwd: REPO_ROOT, env: baseEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        const m = /(https?:\/\/\S+\?\S+)/.exec(stderr);
        if (m?.[1]) resolve(m[1]);
      });
      child.on('close', () => reject(new Error(`auth exited early: ${stderr}`)));
    });
    expect(new URL(url).searchParams.get('code_challenge_method')).toBe('S256');
    expect(new URL(url).searchParams.get('access_type')).toBe('offline');
    const back = fake.authorize(url);
    const page = await fetch(back);
    expect(await page.text()).toContain('castline is authorized');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toContain('authorized for channel "MLAISU Channel"');
    expect(code).toBe(0);

    const file = join(config, 'castline', 'youtube.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8')).refreshToken).toBe(fake.refreshToken);
    for (const text of [stdout, stderr]) {
      expect(text).not.toContain(fake.refreshToken);
      expect(text).not.toContain(fake.clientSecret);
    }

    // --status reads the stored token and names the channel.
    const status = await runCli(['auth', 'youtube', '--status'], { env: { ...baseEnv(), CASTLINE_YOUTUBE_CLIENT_ID: '', CASTLINE_YOUTUBE_CLIENT_SECRET: '' } });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('authorized for channel "MLAISU Channel"');
    expect(status.stdout).not.toContain(fake.refreshToken);
  });

  it('a state mismatch (a forged redirect) is refused', async () => {
    const child = spawn(process.execPath, [CLI, 'auth', 'youtube'], { cwd: REPO_ROOT, env: baseEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const url = await new Promise<string>((resolve) => {
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        const m = /(https?:\/\/\S+\?\S+)/.exec(stderr);
        if (m?.[1]) resolve(m[1]);
      });
    });
    const back = new URL(fake.authorize(url));
    back.searchParams.set('state', 'forged');
    await fetch(back);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).not.toBe(0);
    expect(stderr).toContain('state mismatch');
  });

  it('--status with a revoked token says so and what to run', async () => {
    fake.revoked = true;
    const status = await runCli(['auth', 'youtube', '--status'], { env: baseEnv() });
    fake.revoked = false;
    expect(status.code).not.toBe(0);
    expect(status.stderr).toContain('revoked or has expired');
    expect(status.stderr).toContain('castline auth youtube');
  });
});
