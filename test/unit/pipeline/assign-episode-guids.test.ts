import { describe, expect, it } from 'vitest';
import { planEpisodeGuids } from '../../../src/pipeline/assign-episode-guids.js';

describe('planEpisodeGuids', () => {
  const now = new Date('2023-01-20T09:00:00Z');
  const existing = { guid: 'kept-guid', createdAt: '2023-01-13T09:00:00Z', history: [] };

  it('assigns a new GUID only to episodes without a ledger, and never touches an existing one', () => {
    let n = 0;
    const plan = planEpisodeGuids(
      [
        { id: 'a', ledger: { state: 'absent' } },
        { id: 'b', ledger: { state: 'present', record: existing } },
        { id: 'c', ledger: { state: 'absent' } },
      ],
      { now, newGuid: () => `guid-${++n}` },
    );
    expect(plan).toEqual([
      { id: 'a', record: { guid: 'guid-1', createdAt: '2023-01-20T09:00:00.000Z', history: [{ at: '2023-01-20T09:00:00.000Z', action: 'guid-assigned' }] } },
      { id: 'c', record: { guid: 'guid-2', createdAt: '2023-01-20T09:00:00.000Z', history: [{ at: '2023-01-20T09:00:00.000Z', action: 'guid-assigned' }] } },
    ]);
  });

  it('by default draws random v4 UUIDs, different for every episode', () => {
    const plan = planEpisodeGuids([{ id: 'a', ledger: { state: 'absent' } }, { id: 'b', ledger: { state: 'absent' } }], { now });
    for (const a of plan) expect(a.record.guid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(plan[0]?.record.guid).not.toBe(plan[1]?.record.guid);
  });
});
