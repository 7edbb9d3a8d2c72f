import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parse, stringify } from 'yaml';
import { sha256 } from '../../../src/core/hash.js';
import { makePublishableShow } from '../../e2e/publish/built-episode.js';

/** A built temp show (two episodes, real ffmpeg-made media) whose show.yaml deploys with `deploy`. */
export async function makeDeployShow(deploy: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<{ root: string; cleanup: () => Promise<void> }> {
  const show = await makePublishableShow();
  const showYaml = join(show.root, 'show.yaml');
  const config = parse(await readFile(showYaml, 'utf8')) as Record<string, unknown>;
  await writeFile(showYaml, stringify({ ...config, deploy, ...extra }));
  return show;
}

/** sha256 of every file the deploy sends (dist/ minus build records and dot-files). */
export async function distHashes(root: string): Promise<Map<string, string>> {
  const dist = join(root, 'dist');
  const out = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      const abs = join(dir, e.name);
      if (e.isDirectory()) await walk(abs);
      else if (e.name !== 'build.json') out.set(relative(dist, abs), sha256(await readFile(abs)));
    }
  };
  await walk(dist);
  return out;
}
