import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERRORS } from '../../../src/core/errors-data.js';
import { readmeSection } from '../../../src/core/readme-section.js';
import { renderErrorDocs } from '../../../src/core/render-error-docs.js';

const README = new URL('../../../README.md', import.meta.url);

describe('README errors section', () => {
  it('is exactly what the catalogue generates (run `npm run docs:errors`)', () => {
    expect(readmeSection(readFileSync(README, 'utf8'), 'errors')).toBe(renderErrorDocs());
  });

  it('has one row per code, under its area heading, with the catalogue hint', () => {
    const text = renderErrorDocs();
    for (const code of Object.keys(ERRORS)) expect(text.match(new RegExp(`^\\| \`${code}\` \\|`, 'gm')), code).toHaveLength(1);
    const build = text.slice(text.indexOf('### castline build'), text.indexOf('### Feed'));
    expect(build).toContain('| `silent-audio` | **Recording is silent**: `… is silent (nothing louder than -60 dBFS)` / `is too quiet to measure` | check the microphone input and export the recording again |');
    expect(text).toContain('| `no-issue` | **Episode without issue text** (warning):');
  });

  it('keeps the troubleshooting advice the hand-written table had', () => {
    const text = renderErrorDocs();
    // Rows of the table this section replaced: their advice must survive, as case or hint.
    expect(text).toContain('|  | `explicit: must be true or false (got "no")` / `number: must be a number (got "2")` | write booleans and numbers without quotes');
    expect(text).toContain('YouTube requires the made-for-kids answer (COPPA)');
    expect(text).toContain('crop=\'min(iw,ih)\':\'min(iw,ih)\',scale=3000:3000');
    expect(text).toContain('npm 11 skips install scripts');
    expect(text).toContain('`castline is not built yet` (run `npm install`');
  });

  it('escapes what markdown would swallow or split', () => {
    const text = renderErrorDocs();
    // A bare <episode> is an HTML tag to a markdown renderer; inside code spans it is kept.
    expect(text).not.toMatch(/^[^`]*(`[^`]*`[^`]*)*<[a-z]/m);
    expect(text).toContain('`castline script <episode>`');
    // Every table row has exactly three cells (a stray | would add one).
    for (const line of text.split('\n').filter((l) => l.startsWith('| '))) {
      expect(line.replace(/\\\|/g, '').split('|').length, line).toBe(5);
    }
  });
});
