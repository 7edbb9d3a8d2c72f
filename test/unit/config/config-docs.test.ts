import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configRows, renderConfigDocs } from '../../../src/config/render-config-docs.js';
import { readmeSection, replaceReadmeSection } from '../../../src/core/readme-section.js';
import { z } from 'zod';
import { ShowSchema } from '../../../src/config/show-schema.js';
import { EpisodeSchema } from '../../../src/config/episode-schema.js';

const README = new URL('../../../README.md', import.meta.url);

function rowsOf(schema: z.ZodType): ReturnType<typeof configRows> {
  return configRows(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Parameters<typeof configRows>[0]);
}
const keysOf = (schema: z.ZodType): string[] => rowsOf(schema).map((r) => r.key);

describe('configuration reference', () => {
  it('README config section is exactly what the schemas generate (run `npm run docs:config`)', () => {
    const readme = readFileSync(README, 'utf8');
    expect(readmeSection(readme, 'config')).toBe(renderConfigDocs());
  });

  it('documents every key with a description', () => {
    const rows = [...rowsOf(ShowSchema), ...rowsOf(EpisodeSchema)];
    expect(rows.filter((r) => !r.description).map((r) => r.key)).toEqual([]);
    expect(keysOf(ShowSchema)).toEqual(expect.arrayContaining(['owner.email', 'site.baseUrl', 'youtube.madeForKids', 'audio.loudness', 'podcast.persons[].name']));
    expect(keysOf(EpisodeSchema)).toEqual(expect.arrayContaining(['corrections[].date', 'youtube.publishAt', 'visuals']));
  });

  it('marks required keys and shows defaults', () => {
    const text = renderConfigDocs();
    expect(text).toContain('| `owner.email` | email | required |');
    expect(text).toContain('| `youtube.madeForKids` | `true` \\| `false` | required |');
    expect(text).toContain('| `audio.loudness` | number -30 to -9 | default `-16` |');
    expect(text).toContain('- **Science**: Astronomy');
  });

  it('replaces only the text between the markers', () => {
    const readme = 'a\n<!-- section:config -->\nold\n<!-- /section:config -->\nb\n<!-- section:x -->\nkeep\n<!-- /section:x -->\n';
    const out = replaceReadmeSection(readme, 'config', 'new');
    expect(out).toBe('a\n<!-- section:config -->\nnew\n<!-- /section:config -->\nb\n<!-- section:x -->\nkeep\n<!-- /section:x -->\n');
    expect(() => replaceReadmeSection('no markers', 'config', 'x')).toThrow(/markers/);
  });
});
