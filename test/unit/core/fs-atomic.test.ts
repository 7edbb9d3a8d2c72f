import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyFileAtomic, createFileAtomic, produceAtomic, removeStaleTemps, tempPathFor, writeFileAtomic } from '../../../src/core/fs-atomic.js';
import { spawn, spawnSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'castline-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('creates parent folders and replaces the old content', async () => {
    const target = join(dir, 'a', 'b', 'feed.xml');
    await writeFileAtomic(target, 'old');
    await writeFileAtomic(target, 'new');
    expect(await readFile(target, 'utf8')).toBe('new');
    expect(await readdir(join(dir, 'a', 'b'))).toEqual(['feed.xml']);
  });

  it('applies the mode to new files (tokens are written 0600)', async () => {
    const target = join(dir, 'token.json');
    await writeFileAtomic(target, '{}', 0o600);
    expect((await stat(target)).mode & 0o777).toBe(0o600);
  });

  it('leaves the old file and no temp file when the write fails', async () => {
    const target = join(dir, 'published.yaml');
    await writeFile(target, 'guid: keep-me\n');
    // A value fs cannot write makes the write itself throw after the temp file was opened.
    await expect(writeFileAtomic(target, 42 as unknown as string)).rejects.toThrow();
    expect(await readFile(target, 'utf8')).toBe('guid: keep-me\n');
    expect(await readdir(dir)).toEqual(['published.yaml']);
  });

  it('leaves the target and no temp file when the rename fails', async () => {
    const target = join(dir, 'taken');
    await writeFile(join(dir, 'other'), 'x');
    await import('node:fs/promises').then((fs) => fs.mkdir(join(target, 'inside'), { recursive: true }));
    await expect(writeFileAtomic(target, 'data')).rejects.toThrow();
    expect((await readdir(dir)).sort()).toEqual(['other', 'taken']);
  });
});

describe('createFileAtomic', () => {
  it('creates a new file whole, with its mode, and leaves no temp file', async () => {
    const target = join(dir, 'ep', 'published.yaml');
    expect(await createFileAtomic(target, 'guid: a\n', 0o600)).toBe(true);
    expect(await readFile(target, 'utf8')).toBe('guid: a\n');
    expect((await stat(target)).mode & 0o777).toBe(0o600);
    expect(await readdir(join(dir, 'ep'))).toEqual(['published.yaml']);
  });

  it('never replaces an existing file: returns false and leaves it byte for byte', async () => {
    const target = join(dir, 'published.yaml');
    await writeFile(target, 'guid: keep-me\n');
    expect(await createFileAtomic(target, 'guid: new\n')).toBe(false);
    expect(await readFile(target, 'utf8')).toBe('guid: keep-me\n');
    expect(await readdir(dir)).toEqual(['published.yaml']);
  });

  it('lets exactly one of many concurrent creators win', async () => {
    const target = join(dir, 'published.yaml');
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => createFileAtomic(target, `guid: ${i}\n`)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await readFile(target, 'utf8')).toBe(`guid: ${results.indexOf(true)}\n`);
    expect(await readdir(dir)).toEqual(['published.yaml']);
  });
});

describe('copyFileAtomic', () => {
  it('copies, and on a missing source keeps the old target and leaves no temp file', async () => {
    await writeFile(join(dir, 'src.png'), 'png');
    await copyFileAtomic(join(dir, 'src.png'), join(dir, 'out', 'cover.png'));
    expect(await readFile(join(dir, 'out', 'cover.png'), 'utf8')).toBe('png');
    await expect(copyFileAtomic(join(dir, 'missing.png'), join(dir, 'out', 'cover.png'))).rejects.toThrow(/ENOENT/);
    expect(await readFile(join(dir, 'out', 'cover.png'), 'utf8')).toBe('png');
    expect(await readdir(join(dir, 'out'))).toEqual(['cover.png']);
  });
});

describe('produceAtomic', () => {
  it('hands the producer a temp path in the same folder with the same extension', async () => {
    const target = join(dir, 'ep.mp3');
    const result = await produceAtomic(target, async (tmp) => {
      expect(tmp.startsWith(`${dir}/.ep.mp3.`)).toBe(true);
      expect(tmp.endsWith('.mp3')).toBe(true);
      await writeFile(tmp, 'encoded');
      return 7;
    });
    expect(result).toBe(7);
    expect(await readFile(target, 'utf8')).toBe('encoded');
  });

  it('keeps the previous output and removes the partial one when the producer fails', async () => {
    const target = join(dir, 'ep.mp4');
    await writeFile(target, 'previous build');
    await expect(
      produceAtomic(target, async (tmp) => {
        await writeFile(tmp, 'half an encode');
        throw new Error('ffmpeg exited with code 1');
      }),
    ).rejects.toThrow('ffmpeg exited with code 1');
    expect(await readFile(target, 'utf8')).toBe('previous build');
    expect(await readdir(dir)).toEqual(['ep.mp4']);
  });
});

describe('tempPathFor', () => {
  it('is hidden, beside the target, and unique per call', () => {
    const a = tempPathFor('/x/y/feed.xml');
    expect(a).toMatch(/^\/x\/y\/\.feed\.xml\.\d+\.[0-9a-f]{8}\.tmp$/);
    expect(tempPathFor('/x/y/feed.xml')).not.toBe(a);
  });
});

describe('removeStaleTemps', () => {
  it('removes the temp files of a process that is gone, and keeps a live writer\'s, its own and every other file', async () => {
    // A real process that has exited: its pid names the leftover of a killed build.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout);
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      await mkdir(join(dir, 'chapters'));
      // produceAtomic's names keep the extension last (an ffmpeg encode killed mid-write).
      const leftovers = [`.ep.mp3.${deadPid}.0123abcd.tmp`, `chapters/.intro.jpg.${deadPid}.deadbeef.tmp`, `.ep.mp4.${deadPid}.bbf67257.tmp.mp4`];
      const kept = [`.ep.mp4.${live.pid}.0123abcd.tmp`, `.build.json.${process.pid}.00ff00ff.tmp`, 'ep.mp3', '.hidden.tmp', 'notes.1234.abcdef12.tmp', `.ep.mp4.${live.pid}.0123abcd.tmp.mp4`];
      for (const f of [...leftovers, ...kept]) await writeFile(join(dir, f), 'x');
      expect((await removeStaleTemps(dir)).sort()).toEqual([...leftovers].sort());
      const left = (await readdir(dir, { recursive: true })).map(String).filter((f) => f !== 'chapters');
      expect(left.sort()).toEqual([...kept].sort());
      expect(await removeStaleTemps(join(dir, 'missing'))).toEqual([]);
    } finally {
      live.kill();
    }
  });
});
