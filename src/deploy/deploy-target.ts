import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { FileHeaders } from './file-headers.js';

/**
 * A place the site goes: a folder, an S3-compatible bucket, an SFTP server. A target only
 * moves bytes; what to send and in which order (media, then pages, feed.xml last) is decided
 * by planDeploy and carried out by runDeploy, the same for every target.
 */
export interface DeployFile {
  /** Path relative to dist/, with forward slashes. */
  rel: string;
  abs: string;
  bytes: number;
  mtimeMs: number;
}

/**
 * What a put may report: the SHA-256 of the bytes it sent, when it hashed them on the way
 * (S3 streams the file through a hash), so a new 2 GB video is read once, not twice.
 */
export type PutResult = { sha256?: string } | void;

export interface DeployTarget {
  /** Where, for people: `s3://bucket/prefix`, `sftp://user@host:22/srv/www`, a folder. */
  readonly description: string;
  /** Uploads in flight at once within one rank (default 4; one SSH channel does its own pipelining). */
  readonly parallel?: number;
  /** Connect and prove the credentials work, before anything is uploaded. */
  open(): Promise<void>;
  /** A file's bytes on the target (the deploy record), or undefined when it is not there. */
  read(rel: string): Promise<Buffer | undefined>;
  /**
   * Put one file so that readers see the old object or the new one, never a part
   * (S3: a PUT or a completed multipart upload; SFTP and folders: a temp name, then rename).
   */
  put(rel: string, source: { abs: string; bytes: number } | { data: Buffer }, headers: FileHeaders, onBytes?: (sent: number) => void): Promise<PutResult>;
  remove(rel: string): Promise<void>;
  close(): Promise<void>;
}

/** Every file under dist/ in deploy order (dot-files stay local; build records go as .castline/builds/<id>.json, see run-deploy.ts). */
export async function listDistFiles(dist: string): Promise<DeployFile[]> {
  const files: DeployFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const abs = join(dir, entry.name);
      if (entry.isDirectory()) await walk(abs);
      else if (entry.isFile() && entry.name !== 'build.json') {
        const s = await stat(abs);
        files.push({ rel: relative(dist, abs).split('\\').join('/'), abs, bytes: s.size, mtimeMs: s.mtimeMs });
      }
    }
  };
  await walk(dist);
  return orderForDeploy(files);
}

/**
 * Media and assets first, then episode pages, then index.html (it links to them), feed.xml
 * last: at every moment the live feed and pages name only files that are already there.
 */
export function deployRank(rel: string): number {
  // feed-video.xml (feed.videoFeed) names the MP4s: like feed.xml, it goes last.
  if (rel === 'feed.xml' || rel === 'feed-video.xml') return 3;
  if (rel === 'index.html') return 2;
  // An episode's build record says its outputs are on the target: sent after them.
  if (rel.endsWith('.html') || rel.startsWith('.castline/builds/')) return 1;
  return 0;
}

export function orderForDeploy<T extends { rel: string }>(files: readonly T[]): T[] {
  return [...files].sort((a, b) => deployRank(a.rel) - deployRank(b.rel) || (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

export function resolveDeployPath(root: string, path: string): string {
  return isAbsolute(path) ? path : resolve(root, path);
}
