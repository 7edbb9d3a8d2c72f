import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CastlineError, errorMessage } from '../core/errors.js';
import { createFileAtomic } from '../core/fs-atomic.js';
import { runFfmpeg } from '../media/ffmpeg/run-ffmpeg.js';
import { coverArgs } from './cover-args.js';
import type { ShowFolderPlan } from './plan-show-folder.js';

const run = promisify(execFile);

/**
 * Where castline's own files are: the package root, found from this module (lib/init/ in the
 * installed package, two levels down), never from the current directory, so an installed
 * castline reads nothing from the folder it was started in.
 */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CreatedShowFolder {
  dir: string;
  files: string[];
  git: 'initialized' | 'inside a repository' | 'git not found';
}

/** The nearest existing folder at or above `dir` (init may create the folder itself). */
function existingAncestor(dir: string): string {
  let d = dir;
  while (!existsSync(d) && dirname(d) !== d) d = dirname(d);
  return d;
}

async function insideGitRepo(dir: string): Promise<boolean | undefined> {
  try {
    const { stdout } = await run('git', ['-C', existingAncestor(dir), 'rev-parse', '--is-inside-work-tree']);
    return stdout.trim() === 'true';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return false;
  }
}

/** Stop, naming every one of `paths` that exists in `dir` (init checks before it asks anything). */
export function refuseExisting(dir: string, paths: readonly string[]): void {
  const existing = paths.filter((p) => existsSync(join(dir, p)));
  if (existing.length) {
    throw new CastlineError('init-exists', `${existing.map((p) => join(relative(process.cwd(), dir) || '.', p)).join(', ')} already exist${existing.length === 1 ? 's' : ''}; castline init never overwrites`, {
      hint: 'run castline init in a new or empty folder (castline init my-show), or move those files away first',
      state: 'nothing was written',
    });
  }
}

/**
 * Apply a show-folder plan: refuse if any planned file exists (naming each), draw the cover
 * into a scratch folder first (the one step that can fail on its own), then create every
 * file without replacing anything (createFileAtomic); if a write fails, the files this run
 * created are removed again. Then `git init` when the folder is not inside a repository.
 */
export async function createShowFolder(target: string, plan: ShowFolderPlan): Promise<CreatedShowFolder> {
  const dir = resolve(target);
  refuseExisting(dir, plan.files.map((f) => f.path));
  const inRepo = await insideGitRepo(dir);
  const scratch = await mkdtemp(join(tmpdir(), 'castline-init-'));
  const created: string[] = [];
  try {
    const contents = new Map<string, Buffer | string>();
    for (const f of plan.files) {
      if (f.kind === 'text') contents.set(f.path, f.content);
      else if (f.kind === 'copy') contents.set(f.path, await readFile(join(PACKAGE_ROOT, f.from)));
      else {
        const out = join(scratch, 'cover.png');
        await runFfmpeg(coverArgs({ title: f.title, kicker: f.kicker, font: join(PACKAGE_ROOT, f.font) }, out), {
          label: 'cover',
          purpose: 'drawing the cover from the title',
        });
        contents.set(f.path, await readFile(out));
      }
    }
    await mkdir(dir, { recursive: true });
    for (const folder of plan.folders) await mkdir(join(dir, folder), { recursive: true });
    for (const f of plan.files) {
      const path = join(dir, f.path);
      if (!(await createFileAtomic(path, contents.get(f.path) ?? ''))) {
        throw new CastlineError('init-exists', `${f.path} appeared while castline init was writing; castline init never overwrites`, { state: 'the files castline init had written were removed again' });
      }
      created.push(path);
    }
  } catch (error) {
    for (const path of created) await rm(path, { force: true });
    throw error;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  let git: CreatedShowFolder['git'] = 'inside a repository';
  if (inRepo === undefined) git = 'git not found';
  else if (!inRepo) {
    try {
      await run('git', ['init', '--quiet', '--initial-branch=main', dir]);
      git = 'initialized';
    } catch (error) {
      throw new CastlineError('init-git-failed', `The show folder was written, but git init failed: ${errorMessage(error)}`, {
        hint: `run \`git init\` in ${dir} yourself`,
        state: 'every file of the show folder was written',
      });
    }
  }
  return { dir, files: created.map((p) => relative(dir, p)), git };
}

