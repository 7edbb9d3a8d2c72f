import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, copyFile, link } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';

/** A temp path next to `target` (same filesystem, so rename is atomic). */
export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Write a file so that readers see the old content or the new, never a mix:
 * write a temp file beside it, fsync, rename over the target.
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array, mode?: number): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const tmp = tempPathFor(target);
  const handle = await open(tmp, 'w', mode ?? 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(tmp, target);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/**
 * Create `target` atomically, never replacing an existing file: write and fsync a temp file
 * beside it, then hard-link it into place. link(2) fails with EEXIST when the target exists
 * (POSIX), so two writers cannot both win, and readers see no file or the whole file.
 * Returns false (writing nothing) when the target already exists.
 */
export async function createFileAtomic(target: string, data: string | Uint8Array, mode?: number): Promise<boolean> {
  await mkdir(dirname(target), { recursive: true });
  const tmp = tempPathFor(target);
  const handle = await open(tmp, 'wx', mode ?? 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    await link(tmp, target);
    return true;
  } catch (error) {
    await handle.close().catch(() => undefined);
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(tmp, { force: true });
  }
}

/** Copy a file atomically (temp copy + rename). */
export async function copyFileAtomic(source: string, target: string): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const tmp = tempPathFor(target);
  try {
    await copyFile(source, tmp);
    await rename(tmp, target);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/**
 * Run `produce(tmpPath)` (e.g. an ffmpeg encode) and move the result into place only when it
 * succeeds, so a failed or interrupted step leaves nothing half-written at `target`.
 */
export async function produceAtomic<T>(target: string, produce: (tmpPath: string) => Promise<T>): Promise<T> {
  await mkdir(dirname(target), { recursive: true });
  // Keep the extension last: ffmpeg picks the muxer from it.
  const dot = basename(target).lastIndexOf('.');
  const ext = dot > 0 ? basename(target).slice(dot) : '';
  const tmp = `${tempPathFor(target)}${ext}`;
  try {
    const result = await produce(tmp);
    await rename(tmp, target);
    return result;
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/**
 * The temp files tempPathFor names, `.<name>.<pid>.<8 hex>.tmp`, and produceAtomic's, which keep
 * the output's extension last for ffmpeg: `.<name>.<pid>.<8 hex>.tmp.mp4`.
 */
const TEMP_NAME = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp(?:\.[A-Za-z0-9]{1,8})?$/;

/** Whether a process with this pid exists (EPERM: it does, but is another user's). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove the temp files a killed castline left under `dir` (a SIGKILL or power loss skips the
 * cleanup in writeFileAtomic): only those whose writer process is gone, so a concurrent run's
 * file in progress (another shard, another terminal) is never touched. Returns what it removed.
 */
export async function removeStaleTemps(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = (await readdir(dir, { recursive: true })).map(String);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const stale = names.filter((name) => {
    const m = TEMP_NAME.exec(basename(name));
    return m !== null && Number(m[1]) !== process.pid && !processIsAlive(Number(m[1]));
  });
  for (const name of stale) await rm(join(dir, name), { force: true });
  return stale;
}
