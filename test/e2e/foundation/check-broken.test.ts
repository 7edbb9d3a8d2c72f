import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { makeBareShow } from './bare-show.js';
import { BROKEN_CASES } from '../../fixtures/broken/cases.js';
import { ShowEditor } from '../../fixtures/broken/edit-show.js';

/**
 * `castline check` on the broken-file corpus (test/fixtures/broken/cases.ts), run as a user
 * would: the built CLI in a temp copy of the example show. Every case must exit 1 and print
 * exactly its `error: file → path: message` lines (all problems at once), then the summary.
 */

const errorLines = (stderr: string): string[] => stderr.split('\n').filter((l) => l.startsWith('error: '));

describe('castline check on the example show', () => {
  let show: Awaited<ReturnType<typeof makeBareShow>>;
  beforeAll(async () => {
    show = await makeBareShow();
  });
  afterAll(() => show.cleanup());

  it('passes with exit 0 and no errors', async () => {
    const result = await runCli(['check'], { cwd: show.root });
    expect(result.stderr).not.toMatch(/^error:/m);
    expect(result.stderr).toContain('✓ 2 episodes checked: no errors');
    expect(result.code).toBe(0);
  });

  it('reports ok as JSON with --json', async () => {
    const result = await runCli(['check', '--json'], { cwd: show.root });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ ok: true, episodes: ['2023-01-13-mlaisu', '2023-01-20-mlaisu'], errors: [], warnings: [] });
  });
});

describe.concurrent('castline check on broken shows', () => {
  it('has at least 15 cases', ({ expect }) => {
    expect(BROKEN_CASES.length).toBeGreaterThanOrEqual(15);
  });

  for (const c of BROKEN_CASES) {
    it(c.name, async ({ expect }) => {
      const show = await makeBareShow();
      try {
        await c.setup(new ShowEditor(show.root));
        const result = await runCli(['check'], { cwd: show.root });
        expect(errorLines(result.stderr), result.stderr).toEqual(c.errors);
        for (const hint of c.hints ?? []) expect(result.stderr.split('\n')).toContain(hint);
        expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack trace
        expect(result.stdout).toBe('');
        expect(result.code).toBe(1);
      } finally {
        await show.cleanup();
      }
    });
  }
});

describe('castline check warnings', () => {
  it('prints warnings but exits 0 when nothing is an error', async () => {
    const show = await makeBareShow();
    try {
      const edit = new ShowEditor(show.root);
      await edit.delete('episodes/2023-01-20-mlaisu/issue.md');
      await edit.set('episodes/2023-01-20-mlaisu/episode.yaml', 'date', '2023-01-21');
      const result = await runCli(['check'], { cwd: show.root });
      expect(result.stderr.split('\n').filter((l) => l.startsWith('warning: '))).toEqual([
        'warning: episodes/2023-01-20-mlaisu/issue.md: no issue.md and no script.md yet',
        'warning: episodes/2023-01-20-mlaisu/episode.yaml → date: date 2023-01-21 differs from the folder\'s 2023-01-20',
      ]);
      expect(result.stderr).toContain('✓ 2 episodes checked: no errors, 2 warnings');
      expect(result.code).toBe(0);
    } finally {
      await show.cleanup();
    }
  });
});

describe('castline check, scoped and as JSON', () => {
  it('checks only the named episode but still sees duplicate numbers across episodes', async () => {
    const show = await makeBareShow();
    try {
      const edit = new ShowEditor(show.root);
      await edit.set('episodes/2023-01-20-mlaisu/episode.yaml', 'number', 1);
      // A problem in the other episode is out of scope (and must not hide its number).
      await edit.set('episodes/2023-01-13-mlaisu/episode.yaml', 'visuals', { intro: 'missing.png' });
      const scoped = await runCli(['check', 'episodes/2023-01-20-mlaisu/', '--json'], { cwd: show.root });
      expect(scoped.code).toBe(1);
      const doc = JSON.parse(scoped.stdout) as { ok: boolean; episodes: string[]; errors: { file: string; path: string; code: string }[] };
      expect(doc.ok).toBe(false);
      expect(doc.episodes).toEqual(['2023-01-20-mlaisu']);
      expect(doc.errors.map((e) => `${e.file} ${e.path} ${e.code}`)).toEqual(['episodes/2023-01-20-mlaisu/episode.yaml number duplicate-number']);
    } finally {
      await show.cleanup();
    }
  });

  it('refuses an episode argument outside episodes/', async () => {
    const show = await makeBareShow({ episodes: ['2023-01-20-mlaisu'] });
    try {
      const result = await runCli(['check', '../../etc'], { cwd: show.root });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`"../../etc" is not an episode folder inside ${show.root}/episodes`);
      const typo = await runCli(['check', '2023-01-20-mlaisuu'], { cwd: show.root });
      expect(typo.code).toBe(1);
      expect(typo.stderr).toContain('No episode "2023-01-20-mlaisuu" in episodes/\n  hint: did you mean "2023-01-20-mlaisu"?');
    } finally {
      await show.cleanup();
    }
  });
});
