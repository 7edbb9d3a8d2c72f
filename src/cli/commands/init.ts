import { resolve } from 'node:path';
import { CastlineError } from '../../core/errors.js';
import { INIT_FIELDS, missingInitFields, validateInitField, withInitDefaults, type InitAnswers, type InitFieldKey } from '../../init/init-fields.js';
import { SHOW_FOLDER_FILES, planShowFolder } from '../../init/plan-show-folder.js';
import type { CommandContext } from '../main.js';

export type InitOptions = Partial<Record<InitFieldKey, string>> & { yes?: boolean };

/**
 * The TTY seam: init asks only when standard input is a terminal and --yes is not given.
 * Tests drive the prompts through a real pseudo-terminal (test/e2e/init), and the prompt
 * loop itself through plain streams (test/unit/init).
 */
export function shouldAsk(options: { yes?: boolean }, stdin: { isTTY?: boolean }): boolean {
  return !options.yes && Boolean(stdin.isTTY);
}

/**
 * `castline init [dir] [--title … --author … --email … --base-url … --language …] [--yes]`:
 * a new show folder. Flags are checked against the show.yaml schema first, existing files
 * refused before any question is asked, then the missing fields are asked (on a terminal) or
 * reported all at once; the folder is planned (pure) and written without replacing anything.
 */
export async function run(ctx: CommandContext, dir: string | undefined, options: InitOptions): Promise<number> {
  const target = resolve(ctx.cwd, dir ?? '.');
  const given: InitAnswers = {};
  const bad: string[] = [];
  for (const field of INIT_FIELDS) {
    const value = options[field.key];
    if (value === undefined) continue;
    const problem = validateInitField(field, value);
    if (problem) bad.push(`${field.flag} "${value}": ${field.showKey} ${problem}`);
    else given[field.key] = value;
  }
  if (bad.length) throw new CastlineError('init-invalid', `castline init cannot use ${bad.length === 1 ? 'this value' : 'these values'}:\n  ${bad.join('\n  ')}`, { state: 'nothing was written' });

  const { refuseExisting, createShowFolder } = await import('../../init/create-show-folder.js');
  refuseExisting(target, SHOW_FOLDER_FILES);

  let answers = given;
  if (shouldAsk(options, process.stdin)) {
    const { askInitAnswers } = await import('../../init/ask-init-answers.js');
    ctx.reporter.info(`A new show in ${target}. Press Enter to take the [default].`);
    answers = await askInitAnswers(given, { input: process.stdin, output: process.stderr });
  }
  const missing = missingInitFields(answers);
  if (missing.length) {
    throw new CastlineError('init-missing', `castline init needs ${missing.map((f) => `${f.flag} (${f.prompt.toLowerCase()})`).join(', ')}`, {
      hint: `${options.yes ? 'with --yes nothing is asked' : 'standard input is not a terminal, so castline init cannot ask'}: pass every one of them, e.g. castline init my-show --title "My Show" --author "Jo Host" --email jo@example.org --base-url https://example.org/podcast/ --yes`,
      state: 'nothing was written',
    });
  }
  const complete = withInitDefaults(answers) as Required<InitAnswers>;
  const created = await createShowFolder(target, planShowFolder(complete));
  for (const f of created.files) ctx.reporter.done(`created ${f}`);
  if (created.git === 'initialized') ctx.reporter.done('git init (branch main)');
  if (created.git === 'git not found') ctx.reporter.warn('git is not installed: run git init in the show folder to keep it in git');
  ctx.reporter.info(`Next: cd ${dir ?? '.'} && castline new weekly-update --issue <issue.md>   (castline check validates the folder)`);
  ctx.reporter.result({ dir: created.dir, files: created.files, git: created.git, show: complete });
  return 0;
}
