import { describe, expect, it } from 'vitest';
import { renderFilter, renderFilterChain } from '../../../src/media/filter-chain.js';

describe('renderFilterChain', () => {
  it('writes numbers as numbers, booleans as 0/1 and an instance id after @', () => {
    expect(renderFilter({ name: 'highpass', options: { f: 80, width_type: 'q', w: 0.5412 } })).toBe('highpass=f=80:width_type=q:w=0.5412');
    expect(renderFilter({ name: 'volume', id: 'lv', options: { volume: 1, eval: 'once' } })).toBe('volume@lv=volume=1:eval=once');
    expect(renderFilter({ name: 'astats', options: { metadata: true, reset: 1 } })).toBe('astats=metadata=1:reset=1');
    expect(renderFilter({ name: 'anullsink', options: {} })).toBe('anullsink');
    expect(renderFilterChain([])).toBe('anull');
    expect(renderFilterChain([{ name: 'anull', options: {} }, { name: 'atrim', options: { duration: 120 } }])).toBe('anull,atrim=duration=120');
  });

  it('never writes exponent notation or more than six decimals', () => {
    expect(renderFilter({ name: 'volume', options: { volume: 1e-7 } })).toBe('volume=volume=0');
    expect(renderFilter({ name: 'volume', options: { volume: 1 / 3 } })).toBe('volume=volume=0.333333');
  });

  it('quotes any string that is not a bare word', () => {
    expect(renderFilter({ name: 'aselect', options: { expr: 'not(between(t,1,2))' } })).toBe("aselect=expr=\\'not(between(t\\,1\\,2))\\'");
  });

  it('escapes string values so graph syntax in them stays text (a path with quotes, commas, brackets)', () => {
    const path = "/tmp/it's [a],b;c:d.cmd";
    const out = renderFilter({ name: 'asendcmd', options: { f: path } });
    // Quoted for the option level, then every graph-level special escaped with a backslash.
    expect(out).toBe("asendcmd=f=\\'/tmp/it\\'\\\\\\'\\'s \\[a\\]\\,b\\;c:d.cmd\\'");
    expect(out).not.toMatch(/(^|[^\\])[,;[\]]/);
  });

  it('refuses names and ids that could break out of the graph, and non-finite numbers', () => {
    expect(() => renderFilter({ name: 'volume,amix', options: {} })).toThrow(/bad filter name/);
    expect(() => renderFilter({ name: 'volume', id: 'a]b', options: {} })).toThrow(/instance id/);
    expect(() => renderFilter({ name: 'volume', options: { 'v:x': 1 } })).toThrow(/option name/);
    expect(() => renderFilter({ name: 'volume', options: { volume: Number.NaN } })).toThrow(/finite/);
  });
});
