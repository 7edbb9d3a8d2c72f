import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { inShard, parseShard, shardOfEpisode } from '../../../src/pipeline/shard-episodes.js';

describe('shards', () => {
  it('parses K/N and refuses anything else, saying how to write it', () => {
    expect(parseShard('1/4')).toEqual({ index: 1, count: 4 });
    expect(parseShard(' 4/4 ')).toEqual({ index: 4, count: 4 });
    for (const bad of ['0/4', '5/4', '1/0', '4', '1/4/2', 'a/b', '-1/4', '1/1001', '']) expect(() => parseShard(bad), bad).toThrow(/is not a shard: write K\/N/);
  });

  it('follows the documented rule: 1 + first 4 bytes of SHA-256(id), big-endian, mod N', () => {
    for (const id of ['2023-01-20-mlaisu', '2024-05-03-first', 'x']) {
      const hex = createHash('sha256').update(id).digest('hex').slice(0, 8);
      for (const n of [1, 2, 3, 4, 7, 100]) expect(shardOfEpisode(id, n)).toBe((parseInt(hex, 16) % n) + 1);
    }
  });

  it('puts each episode in exactly one shard, spread evenly', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `2024-01-01-episode-${i}`);
    const counts = [0, 0, 0, 0];
    for (const id of ids) {
      const owners = [1, 2, 3, 4].filter((k) => inShard(id, { index: k, count: 4 }));
      expect(owners.length).toBe(1);
      counts[owners[0]! - 1]! += 1;
    }
    for (const c of counts) expect(Math.abs(c - 500)).toBeLessThan(80);
  });
});
