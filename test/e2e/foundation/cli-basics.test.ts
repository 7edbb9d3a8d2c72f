import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '../../helpers/cli.js';
import { makeBareShow } from './bare-show.js';

/** The command-line contract every command shares (DESIGN: command-line contract). */

const STACK_LINE = /^\s+at .+\(?.*:\d+:\d+\)?$/m;

describe('castline', () => {
  it('--help lists the commands and global options, exit 0', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: castline \[options\] \[command\]/);
    for (const command of ['new [options] <slug>', 'check [options] [episodes...]', 'status [options]']) expect(result.stdout).toContain(command);
    expect(result.stdout).toContain('--root <dir>');
    expect(result.stdout).toContain('--debug');
  });

  it('<command> --help shows its options', async () => {
    const result = await runCli(['new', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: castline new [options] <slug>');
    expect(result.stdout).toContain('--issue <file>');
    expect(result.stdout).toContain('--date <YYYY-MM-DD>');
  });

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      const result = await runCli([flag]);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(`${version}\n`);
    }
  });

  it('an unknown command is an error with a pointer to --help', async () => {
    const result = await runCli(['chekc']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("error: unknown command 'chekc'");
    expect(result.stderr).toContain('(Did you mean check?)');
    expect(result.stdout).toBe('');
  });

  it('errors print message and hint without a stack trace; --debug adds it', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'castline-noshow-'));
    try {
      const plain = await runCli(['check'], { cwd: empty });
      expect(plain.code).toBe(1);
      expect(plain.stderr).toBe(`No show.yaml in ${empty} or any folder above it\n  hint: Run castline inside your show folder, or pass --root <dir>.\n`);
      for (const args of [['--debug', 'check'], ['check', '--debug']]) {
        const debug = await runCli(args, { cwd: empty });
        expect(debug.code).toBe(1);
        expect(debug.stderr).toContain(`No show.yaml in ${empty}`);
        expect(debug.stderr).toMatch(STACK_LINE);
      }
      const root = await runCli(['status', '--root', join(empty, 'nope')]);
      expect(root.code).toBe(1);
      expect(root.stderr).toBe(`No show.yaml in ${join(empty, 'nope')}\n  hint: Point --root at the folder that holds your show.yaml.\n`);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('an unexpected failure prints one line and a hint; the stack only with --debug', async () => {
    const show = await makeBareShow({ episodes: false });
    try {
      // `episodes` as a file: the loader's readdir fails in a way no rule anticipates.
      await writeFile(join(show.root, 'episodes'), 'not a folder\n');
      const plain = await runCli(['check'], { cwd: show.root });
      expect(plain.code).toBe(1);
      expect(plain.stderr).toBe(
        `castline failed unexpectedly: ENOTDIR: not a directory, scandir '${join(show.root, 'episodes')}'\n  hint: rerun with --debug for details, and report it if it keeps happening\n`,
      );
      const debug = await runCli(['check', '--debug'], { cwd: show.root });
      expect(debug.code).toBe(1);
      expect(debug.stderr).toMatch(STACK_LINE);
    } finally {
      await show.cleanup();
    }
  });

  it('--root runs against a show elsewhere', async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), 'castline-cwd-'));
    const show = await makeBareShow({ episodes: ['2023-01-20-mlaisu'] });
    try {
      const result = await runCli(['check', '--root', show.root], { cwd: elsewhere });
      expect(result.stderr).toContain('✓ 1 episode checked: no errors');
      expect(result.code).toBe(0);
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
      await show.cleanup();
    }
  });
});
