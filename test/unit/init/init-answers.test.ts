import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { askInitAnswers } from '../../../src/init/ask-init-answers.js';
import { INIT_FIELDS, missingInitFields, validateInitField, withInitDefaults, type InitAnswers } from '../../../src/init/init-fields.js';
import { planShowFolder, SHOW_FOLDER_FILES } from '../../../src/init/plan-show-folder.js';
import { ShowSchema } from '../../../src/config/show-schema.js';
import { shouldAsk } from '../../../src/cli/commands/init.js';

const field = (key: string) => INIT_FIELDS.find((f) => f.key === key)!;

describe('init fields are checked by the show.yaml schema', () => {
  it('rejects what show.yaml would reject, with its message', () => {
    expect(validateInitField(field('email'), 'jo@example')).toMatch(/must be an email address/);
    expect(validateInitField(field('baseUrl'), 'http://example.org/')).toMatch(/must start with https:\/\//);
    expect(validateInitField(field('baseUrl'), 'example.org')).toMatch(/must be a full URL/);
    expect(validateInitField(field('language'), 'english')).toMatch(/ISO 639-1/);
    expect(validateInitField(field('category'), 'Podcasts')).toMatch(/not an Apple Podcasts category/);
    expect(validateInitField(field('email'), 'jo@example.org')).toBeUndefined();
    expect(validateInitField(field('baseUrl'), 'https://example.org/p')).toBeUndefined();
  });

  it('lists the required fields not given, and fills the defaults', () => {
    expect(missingInitFields({ title: 'T' }).map((f) => f.flag)).toEqual(['--author', '--email', '--base-url']);
    expect(withInitDefaults({ title: 'T' })).toMatchObject({ language: 'en', category: 'News', description: 'T: the newsletter, read aloud every week.' });
  });
});

describe('planShowFolder', () => {
  const answers = withInitDefaults({ title: 'Hash # and: "quotes"\nsecond: line', author: "O'Brien: *star*", email: 'a@b.org', baseUrl: 'https://x.org', description: '- dash first' }) as Required<InitAnswers>;

  it('writes a show.yaml whose values read back exactly, however the text is punctuated', () => {
    const plan = planShowFolder(answers);
    const yaml = plan.files.find((f) => f.path === 'show.yaml');
    expect(yaml?.kind).toBe('text');
    const data = parse(yaml && yaml.kind === 'text' ? yaml.content : '') as Record<string, any>;
    expect(data['title']).toBe('Hash # and: "quotes"\nsecond: line');
    expect(data['author']).toBe("O'Brien: *star*");
    expect(data['description']).toBe('- dash first');
    expect(data['second']).toBeUndefined();
    expect(ShowSchema.safeParse(data).success).toBe(true);
  });

  it('plans exactly the files init checks for before asking', () => {
    expect(planShowFolder(answers).files.map((f) => f.path).sort()).toEqual([...SHOW_FOLDER_FILES].sort());
  });
});

describe('askInitAnswers (the prompt loop, over plain streams)', () => {
  async function ask(given: InitAnswers, typed: string[]): Promise<{ answers: InitAnswers; shown: string }> {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.setEncoding('utf8').on('data', (d: string) => (shown += d));
    input.end(typed.map((l) => `${l}\n`).join(''));
    const answers = await askInitAnswers(given, { input, output });
    return { answers, shown };
  }

  it('asks only what was not given, re-asks on a bad answer, takes defaults on Enter', async () => {
    const { answers, shown } = await ask({ title: 'Given' }, ['Ana', 'bad', 'ana@example.org', 'https://example.org/', '', '', '']);
    expect(answers).toEqual({ title: 'Given', author: 'Ana', email: 'ana@example.org', baseUrl: 'https://example.org/', language: 'en', description: 'Given: the newsletter, read aloud every week.', category: 'News' });
    expect(shown).not.toContain('Show title');
    expect(shown).toMatch(/owner\.email must be an email address[^\n]*\nOwner email/);
  });

  it('an empty answer to a required question is asked again; input ending early is an error', async () => {
    await expect(ask({}, ['', 'T'])).rejects.toThrow(/Input ended before "Author \(shown in podcast apps\)" was answered; nothing was written/);
  });

  it('asks only when stdin is a terminal and --yes is not given', () => {
    expect(shouldAsk({}, { isTTY: true })).toBe(true);
    expect(shouldAsk({ yes: true }, { isTTY: true })).toBe(false);
    expect(shouldAsk({}, { isTTY: false })).toBe(false);
    expect(shouldAsk({}, {})).toBe(false);
  });
});
