import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readmeSection } from '../../../src/core/readme-section.js';

/** Every CASTLINE_* variable the code reads is documented in the README's `env` section. */

const SRC = fileURLToPath(new URL('../../../src/', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('README environment variables', () => {
  it('lists every CASTLINE_* variable found in src/', () => {
    const used = new Set<string>();
    for (const file of sourceFiles(SRC)) for (const m of readFileSync(file, 'utf8').matchAll(/\bCASTLINE_[A-Z][A-Z0-9_]*\b/g)) used.add(m[0]);
    const env = readmeSection(readFileSync(new URL('../../../README.md', import.meta.url), 'utf8'), 'env') ?? '';
    expect(used.size).toBeGreaterThanOrEqual(2);
    expect([...used].filter((name) => !env.includes(`\`${name}\``)).sort()).toEqual([]);
  });
});
