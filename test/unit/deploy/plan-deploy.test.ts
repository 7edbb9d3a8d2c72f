import { describe, expect, it } from 'vitest';
import { planDeploy, formatDeployPlan, type LocalFile } from '../../../src/deploy/plan-deploy.js';
import { orderForDeploy } from '../../../src/deploy/deploy-target.js';
import { parseDeployRecord, serializeDeployRecord, type DeployRecord } from '../../../src/deploy/deploy-record.js';

const h = (c: string): string => c.repeat(64);
const file = (rel: string, bytes: number, hash: string): LocalFile => ({ rel, abs: `/dist/${rel}`, bytes, sha256: h(hash) });
const record = (files: Record<string, [number, string]>): DeployRecord => ({
  version: 1,
  deployedAt: '2024-01-01T00:00:00.000Z',
  files: Object.fromEntries(Object.entries(files).map(([rel, [bytes, hash]]) => [rel, { bytes, sha256: h(hash) }])),
});

describe('deploy order', () => {
  it('sends media and assets first, episode pages next, then index.html, feed.xml last', () => {
    const files = ['feed.xml', 'index.html', 'episodes/a/index.html', 'site.css', 'cover.png', 'episodes/a/a.mp3', 'episodes/a/chapters.json'].map((rel) => ({ rel }));
    expect(orderForDeploy(files).map((f) => f.rel)).toEqual(['cover.png', 'episodes/a/a.mp3', 'episodes/a/chapters.json', 'site.css', 'episodes/a/index.html', 'index.html', 'feed.xml']);
  });
});

describe('planDeploy', () => {
  const local = [file('feed.xml', 10, 'a'), file('index.html', 20, 'b'), file('episodes/x/x.mp3', 3000, 'c')];

  it('sends everything to an empty target, feed last', () => {
    const plan = planDeploy(local, record({}), { prune: false });
    expect(plan.uploads.map((u) => [u.rel, u.reason])).toEqual([['episodes/x/x.mp3', 'new'], ['index.html', 'new'], ['feed.xml', 'new']]);
    expect(plan.bytes).toBe(3030);
    expect(plan.feedChanged).toBe(true);
  });

  it('sends nothing when sizes and hashes match, and a file whose hash differs at the same size', () => {
    expect(planDeploy(local, record({ 'feed.xml': [10, 'a'], 'index.html': [20, 'b'], 'episodes/x/x.mp3': [3000, 'c'] }), { prune: false }).uploads).toEqual([]);
    const plan = planDeploy(local, record({ 'feed.xml': [10, 'f'], 'index.html': [20, 'b'], 'episodes/x/x.mp3': [2999, 'c'] }), { prune: false });
    expect(plan.uploads.map((u) => [u.rel, u.reason])).toEqual([['episodes/x/x.mp3', 'changed'], ['feed.xml', 'changed']]);
    expect(plan.unchanged).toEqual(['index.html']);
  });

  it('lists deployed files that dist/ lost as stale, deleting them only with prune', () => {
    const rec = record({ 'feed.xml': [10, 'a'], 'episodes/old/old.mp3': [5, 'd'] });
    const kept = planDeploy(local, rec, { prune: false });
    expect(kept.stale).toEqual(['episodes/old/old.mp3']);
    expect(formatDeployPlan(kept, 's3://b/').join('\n')).toContain('deploy.prune: true deletes them');
    const pruned = planDeploy(local, rec, { prune: true });
    expect(formatDeployPlan(pruned, 's3://b/').join('\n')).toContain('- episodes/old/old.mp3');
  });
});

describe('deploy record', () => {
  it('reads back what it wrote, and treats a missing or foreign record as nothing deployed', () => {
    const rec = record({ 'b.mp3': [1, 'a'], 'a.html': [2, 'b'] });
    expect(parseDeployRecord(serializeDeployRecord(rec))).toEqual({ record: rec });
    expect(parseDeployRecord(undefined).record.files).toEqual({});
    expect(parseDeployRecord(Buffer.from('not json')).warning).toContain('not valid JSON');
    expect(parseDeployRecord(Buffer.from('{"version":7}')).warning).toContain('every file is uploaded again');
  });
});

describe('planDeploy with episodes kept on the target (a clone without dist/)', () => {
  const kept = (rel: string, bytes: number, hash: string): LocalFile => ({ rel, abs: '', bytes, sha256: h(hash), kept: true });

  it('never uploads a kept file, never counts it stale (prune keeps it), and sends build records after media, before the index', () => {
    const local = [kept('episodes/x/x.mp3', 3000, 'c'), file('.castline/builds/x.json', 40, 'e'), file('episodes/x/index.html', 30, 'g'), file('feed.xml', 10, 'a')];
    const plan = planDeploy(local, record({ 'episodes/x/x.mp3': [3000, 'c'] }), { prune: true });
    expect(plan.uploads.map((u) => u.rel)).toEqual(['.castline/builds/x.json', 'episodes/x/index.html', 'feed.xml']);
    expect(plan.unchanged).toEqual(['episodes/x/x.mp3']);
    expect(plan.stale).toEqual([]);
    expect(plan.missing).toEqual([]);
    expect(orderForDeploy([{ rel: 'index.html' }, { rel: '.castline/builds/x.json' }, { rel: 'episodes/x/x.mp3' }]).map((f) => f.rel)).toEqual(['episodes/x/x.mp3', '.castline/builds/x.json', 'index.html']);
  });

  it('names a kept file the target no longer has as recorded (gone, or another size or hash) as missing', () => {
    const local = [kept('episodes/x/x.mp3', 3000, 'c'), kept('episodes/x/x.mp4', 9000, 'd'), kept('episodes/y/y.mp3', 100, 'e'), file('feed.xml', 10, 'a')];
    const plan = planDeploy(local, record({ 'episodes/x/x.mp3': [3000, 'f'], 'episodes/y/y.mp3': [100, 'e'] }), { prune: false });
    expect(plan.missing).toEqual(['episodes/x/x.mp3', 'episodes/x/x.mp4']);
    expect(plan.uploads.map((u) => u.rel)).toEqual(['feed.xml']);
  });
});
