import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLI } from '../../helpers/cli.js';
import { makeBareShow } from './bare-show.js';

/**
 * `castline --help` starts fast only while the entry and the command registry load no heavy
 * module (the time itself is measured by scripts/bench-cli.mjs, not here). This test records
 * every module the real CLI resolves, through a Node module-customization hook
 * (https://nodejs.org/docs/latest-v20.x/api/module.html#customization-hooks), and fails
 * when `--help` pulls in a command's dependencies.
 */

const HEAVY = ['zod', 'yaml', 'fluent-ffmpeg', '@googleapis', 'google-auth-library', 'googleapis-common', 'unified', 'remark-parse', 'podcast', 'node-id3', 'cli-progress'];

async function modulesLoadedBy(args: string[]): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'castline-hooks-'));
  try {
    const log = join(dir, 'resolved.txt');
    const hooks = join(dir, 'hooks.mjs');
    await writeFile(
      hooks,
      `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, result.url + '\\n');
  return result;
}
`,
    );
    const register = join(dir, 'register.mjs');
    await writeFile(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
    const result = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, CLI, ...args], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    return (await readFile(log, 'utf8')).trim().split('\n');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const heavyIn = (urls: string[]): string[] => HEAVY.filter((name) => urls.some((u) => u.includes(`/node_modules/${name}/`)));

describe('lazy loading', () => {
  it('castline --help loads commander and the CLI shell only', async () => {
    const urls = await modulesLoadedBy(['--help']);
    expect(urls.some((u) => u.includes('/node_modules/commander/'))).toBe(true);
    expect(heavyIn(urls)).toEqual([]);
    expect(urls.filter((u) => u.includes('/lib/cli/commands/') && !u.endsWith('/registry.js'))).toEqual([]);
  });

  it('the hook does see a command\'s modules once it runs (the test can fail)', async () => {
    const show = await makeBareShow({ episodes: false });
    try {
      const urls = await modulesLoadedBy(['status', '--json', '--root', show.root]);
      expect(heavyIn(urls)).toEqual(expect.arrayContaining(['zod', 'yaml']));
    } finally {
      await show.cleanup();
    }
  });

  it('castline check and build on a show that deploys to S3 load no deploy or YouTube client', async () => {
    // The deploy rule names the S3 credential variables; importing them once pulled in the
    // whole AWS SDK (about 0.25 s) into every build and check.
    const show = await makeBareShow({ episodes: false });
    try {
      const yaml = join(show.root, 'show.yaml');
      await writeFile(yaml, `${await readFile(yaml, 'utf8')}\ndeploy:\n  target: s3\n  bucket: podcast\n  region: us-east-1\n`);
      const clients = ['@aws-sdk', '@smithy', 'ssh2', 'ssh2-sftp-client', '@googleapis', 'google-auth-library'];
      for (const command of ['check', 'build']) {
        const urls = await modulesLoadedBy([command, '--root', show.root]);
        expect(urls.some((u) => u.includes('/lib/pipeline/check-show.js'))).toBe(true);
        expect(clients.filter((name) => urls.some((u) => u.includes(`/node_modules/${name}/`)))).toEqual([]);
      }
    } finally {
      await show.cleanup();
    }
  });
});
