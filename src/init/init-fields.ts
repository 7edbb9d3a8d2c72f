import type { z } from 'zod';
import { ShowSchema } from '../config/show-schema.js';

/**
 * What `castline init` asks for, each field validated by the very schema show.yaml is checked
 * with (STYLE §5: zod is the truth), so an answer init accepts is one `castline check` accepts.
 * Pure: the prompts (ask-init-answers.ts) and the flags (cli/commands/init.ts) both use it.
 */

export type InitFieldKey = 'title' | 'author' | 'email' | 'baseUrl' | 'language' | 'description' | 'category';
export type InitAnswers = Partial<Record<InitFieldKey, string>>;

export interface InitField {
  key: InitFieldKey;
  /** The command-line flag that gives it. */
  flag: string;
  /** The question on a terminal. */
  prompt: string;
  /** Where it lands in show.yaml (for messages). */
  showKey: string;
  schema: z.ZodType;
  /** A default from the answers so far; undefined = required. */
  fallback?: (answers: InitAnswers) => string;
}

const shape = ShowSchema.shape;

export const INIT_FIELDS: readonly InitField[] = [
  { key: 'title', flag: '--title', prompt: 'Show title', showKey: 'title', schema: shape.title },
  { key: 'author', flag: '--author', prompt: 'Author (shown in podcast apps)', showKey: 'author', schema: shape.author },
  { key: 'email', flag: '--email', prompt: 'Owner email (Apple and Spotify send ownership checks here)', showKey: 'owner.email', schema: shape.owner.shape.email },
  { key: 'baseUrl', flag: '--base-url', prompt: 'Where the site will be hosted (an https URL)', showKey: 'site.baseUrl', schema: shape.site.shape.baseUrl },
  { key: 'language', flag: '--language', prompt: 'Language', showKey: 'language', schema: shape.language, fallback: () => 'en' },
  {
    key: 'description',
    flag: '--description',
    prompt: 'One-line description',
    showKey: 'description',
    schema: shape.description,
    fallback: (a) => `${a.title ?? 'This show'}: the newsletter, read aloud every week.`,
  },
  { key: 'category', flag: '--category', prompt: 'Apple Podcasts category', showKey: 'categories[0]', schema: shape.categories.element, fallback: () => 'News' },
];

/** The schema's message for a bad answer, or undefined when it is valid. */
export function validateInitField(field: InitField, value: string): string | undefined {
  const result = field.schema.safeParse(value);
  if (result.success) return undefined;
  return result.error.issues[0]?.message ?? 'is not valid';
}

/** Fields neither given nor defaultable, in asking order. */
export function missingInitFields(answers: InitAnswers): InitField[] {
  return INIT_FIELDS.filter((f) => answers[f.key] === undefined && f.fallback === undefined);
}

/** Fill every defaultable field not given (used with --yes and after the prompts). */
export function withInitDefaults(answers: InitAnswers): InitAnswers {
  const out: InitAnswers = { ...answers };
  for (const f of INIT_FIELDS) if (out[f.key] === undefined && f.fallback) out[f.key] = f.fallback(out);
  return out;
}
