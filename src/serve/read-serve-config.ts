import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { CastlineError } from '../core/errors.js';

/**
 * What `castline serve` needs from the show: its root and site.baseUrl. Read with the YAML
 * parser alone, not the zod loader: serve must start in well under a second and the schemas
 * cost several hundred ms to import on a busy machine (bench-feed.mjs); `castline check`
 * validates the rest.
 */
export async function readServeConfig(cwd: string, explicitRoot?: string): Promise<{ root: string; baseUrl: string }> {
  const root = locateShowRoot(cwd, explicitRoot);
  let data: unknown;
  try {
    data = parse(await readFile(join(root, 'show.yaml'), 'utf8'));
  } catch (error) {
    throw new CastlineError('bad-show', `show.yaml cannot be read: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, {
      hint: 'run castline check to see every problem in show.yaml',
    });
  }
  const baseUrl = (data as { site?: { baseUrl?: unknown } } | null)?.site?.baseUrl;
  if (typeof baseUrl !== 'string' || !/^https?:\/\/[^\s]+$/.test(baseUrl)) {
    throw new CastlineError('bad-show', 'show.yaml → site.baseUrl: must be the full URL where dist/ is hosted', {
      hint: 'set site.baseUrl, like https://example.org/podcast/, then run castline build',
    });
  }
  return { root, baseUrl: baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/` };
}

function locateShowRoot(cwd: string, explicit?: string): string {
  let dir = resolve(explicit ?? cwd);
  for (;;) {
    if (existsSync(join(dir, 'show.yaml'))) return dir;
    const parent = dirname(dir);
    if (explicit || parent === dir) break;
    dir = parent;
  }
  throw new CastlineError('no-show', `No show.yaml in ${resolve(explicit ?? cwd)}${explicit ? '' : ' or any folder above it'}`, {
    hint: explicit ? 'point --root at the folder that holds your show.yaml' : 'run castline inside your show folder, or pass --root <dir>',
  });
}
