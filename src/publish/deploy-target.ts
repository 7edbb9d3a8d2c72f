import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { copyFileAtomic } from '../core/fs-atomic.js';

/**
 * Where dist/ goes after a publish. Only `local` exists (a folder: a synced drive or a web
 * root); the interface is what an object-storage target would implement too: it gets the
 * file list with the feed last, and reports what it copied.
 */
export interface DeployFile {
  /** Path relative to dist/, with forward slashes. */
  rel: string;
  abs: string;
  bytes: number;
  mtimeMs: number;
}

export interface DeployResult {
  target: string;
  copied: string[];
  unchanged: number;
}

export interface DeployTarget {
  readonly description: string;
  deploy(files: readonly DeployFile[]): Promise<DeployResult>;
}

/** Every file under dist/, feed.xml last so the feed never names a file not yet deployed. */
export async function listDistFiles(dist: string): Promise<DeployFile[]> {
  const files: DeployFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const abs = join(dir, entry.name);
      if (entry.isDirectory()) await walk(abs);
      else if (entry.isFile() && !entry.name.startsWith('.') && entry.name !== 'build.json') {
        const s = await stat(abs);
        files.push({ rel: relative(dist, abs).split('\\').join('/'), abs, bytes: s.size, mtimeMs: s.mtimeMs });
      }
    }
  };
  await walk(dist);
  return orderForDeploy(files);
}

export function orderForDeploy<T extends { rel: string }>(files: readonly T[]): T[] {
  const rank = (f: T): number => (f.rel === 'feed.xml' ? 2 : f.rel === 'index.html' ? 1 : 0);
  return [...files].sort((a, b) => rank(a) - rank(b) || (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

export function resolveDeployPath(root: string, path: string): string {
  return isAbsolute(path) ? path : resolve(root, path);
}

/** A folder: each file copied atomically (temp + rename), unchanged files (same size, not older) skipped. */
export function localDeployTarget(folder: string): DeployTarget {
  return {
    description: folder,
    async deploy(files) {
      const copied: string[] = [];
      let unchanged = 0;
      for (const file of files) {
        const target = join(folder, file.rel);
        const existing = await stat(target).catch(() => undefined);
        if (existing && existing.size === file.bytes && existing.mtimeMs >= file.mtimeMs) {
          unchanged++;
          continue;
        }
        await copyFileAtomic(file.abs, target);
        copied.push(file.rel);
      }
      return { target: folder, copied, unchanged };
    },
  };
}
