import { chmod, copyFile, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CastlineError } from '../../../src/core/errors.js';

/**
 * Locating ffmpeg/ffprobe (src/media/ffmpeg/binaries.ts): the override variables, and the
 * run-time chmod that stands in for the installer packages' skipped install script (npm 11).
 */

let dir: string;
const saved = { ffmpeg: process.env['CASTLINE_FFMPEG'], ffprobe: process.env['CASTLINE_FFPROBE'] };

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'castline-bin-'));
  vi.resetModules();
});
afterEach(async () => {
  for (const [key, value] of [['CASTLINE_FFMPEG', saved.ffmpeg], ['CASTLINE_FFPROBE', saved.ffprobe]] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  vi.doUnmock('node:fs');
  await rm(dir, { recursive: true, force: true });
});

async function load(): Promise<typeof import('../../../src/media/ffmpeg/binaries.js')> {
  return import('../../../src/media/ffmpeg/binaries.js');
}

function caught(fn: () => unknown): CastlineError {
  try {
    fn();
  } catch (error) {
    // vi.resetModules gives binaries.ts a fresh errors.ts, so match the class by name.
    if (error instanceof Error && error.name === 'CastlineError') return error as CastlineError;
    throw error;
  }
  throw new Error('expected a CastlineError');
}

describe('getBinaries', () => {
  it('finds the bundled ffmpeg and ffprobe, executable', async () => {
    delete process.env['CASTLINE_FFMPEG'];
    delete process.env['CASTLINE_FFPROBE'];
    const { getBinaries } = await load();
    const { ffmpeg, ffprobe } = getBinaries();
    expect(ffmpeg).toMatch(/@ffmpeg-installer/);
    expect(ffprobe).toMatch(/@ffprobe-installer/);
    expect((await stat(ffmpeg)).mode & 0o100).toBe(0o100);
  });

  it('CASTLINE_FFMPEG pointing at a missing file is a clear error naming the variable', async () => {
    process.env['CASTLINE_FFMPEG'] = join(dir, 'no-such-ffmpeg');
    const { getBinaries } = await load();
    const error = caught(() => getBinaries());
    expect(error.code).toBe('binary-missing');
    expect(error.message).toBe(`CASTLINE_FFMPEG points at ${join(dir, 'no-such-ffmpeg')}, which does not exist`);
    expect(error.hint).toMatch(/unset CASTLINE_FFMPEG/);
  });

  it('CASTLINE_FFMPEG pointing at a folder is a clear error, not a spawn failure later', async () => {
    process.env['CASTLINE_FFMPEG'] = dir;
    const { getBinaries } = await load();
    const error = caught(() => getBinaries());
    expect(error.code).toBe('binary-missing');
    expect(error.message).toBe(`CASTLINE_FFMPEG points at ${dir}, which is not a file`);
  });

  it('makes a non-executable binary executable (the skipped install script)', async () => {
    const fake = join(dir, 'ffprobe');
    await writeFile(fake, '#!/bin/sh\necho fake\n');
    await chmod(fake, 0o644);
    process.env['CASTLINE_FFPROBE'] = fake;
    const { getBinaries } = await load();
    expect(getBinaries().ffprobe).toBe(fake);
    expect((await stat(fake)).mode & 0o111).toBe(0o111);
  });

  it('says what to run when the binary cannot be made executable (read-only install)', async () => {
    const fake = join(dir, 'ffmpeg');
    await copyFile('/bin/sh', fake).catch(() => writeFile(fake, ''));
    await chmod(fake, 0o644);
    process.env['CASTLINE_FFMPEG'] = fake;
    // Root may chmod anything, so simulate the read-only file system the error is for.
    vi.doMock('node:fs', async (original) => {
      const fs = await original<typeof import('node:fs')>();
      return {
        ...fs,
        chmodSync: () => {
          throw Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS' });
        },
      };
    });
    const { getBinaries } = await load();
    const error = caught(() => getBinaries());
    expect(error.code).toBe('binary-not-executable');
    expect(error.message).toBe(`ffmpeg at ${fake} is not executable and castline could not make it so`);
    expect(error.hint).toBe(`run \`chmod +x ${fake}\`, or set CASTLINE_FFMPEG to a working ffmpeg`);
  });
});
