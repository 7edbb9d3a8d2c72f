import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CastlineError } from '../core/errors.js';
import { processIsAlive } from '../core/fs-atomic.js';

/**
 * One `castline publish` per show at a time: two at once (a cron job and a host at the
 * keyboard) could both start an upload of the same episode before either records it. The lock
 * is dist/.publish.lock holding the owner's pid; a lock whose process is gone (killed, crashed)
 * is taken over, so a SIGKILL never blocks the next run.
 */
export async function acquirePublishLock(root: string): Promise<() => Promise<void>> {
  const path = join(root, 'dist', '.publish.lock');
  await mkdir(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (pid && pid !== process.pid && processIsAlive(pid)) {
        throw new CastlineError('publish-running', `Another castline publish (process ${pid}) is running for this show`, {
          hint: `wait for it to finish; if no castline is running, delete ${path}`,
          state: 'nothing was uploaded or changed by this run',
        });
      }
      await rm(path, { force: true });
    }
  }
  throw new CastlineError('publish-lock', `Could not take the publish lock ${path}`, { hint: 'rerun castline publish' });
}

