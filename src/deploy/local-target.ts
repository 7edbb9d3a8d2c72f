import { readFile, rm, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { copyFileAtomic, writeFileAtomic } from '../core/fs-atomic.js';
import type { DeployTarget } from './deploy-target.js';

/** A folder (a web root, a synced drive): each file lands by temp copy + rename. */
export function localDeployTarget(folder: string): DeployTarget {
  return {
    description: folder,
    open: async () => void (await mkdir(folder, { recursive: true })),
    read: async (rel) => readFile(join(folder, rel)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    }),
    async put(rel, source, _headers, onBytes) {
      const target = join(folder, rel);
      if ('data' in source) await writeFileAtomic(target, source.data);
      else await copyFileAtomic(source.abs, target);
      onBytes?.('data' in source ? source.data.length : source.bytes);
    },
    remove: (rel) => rm(join(folder, rel), { force: true }),
    close: async () => undefined,
  };
}
