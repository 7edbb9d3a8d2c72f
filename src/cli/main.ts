import { Command, CommanderError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { CastlineError, ProblemsError, formatProblem } from '../core/errors.js';
import { createReporter, type Reporter } from '../core/reporter.js';

/**
 * The CLI entry. Only commander and this file load at startup; every command's module is
 * imported when it runs, so `castline --help` stays fast (bench: scripts/bench-cli.mjs).
 * One place prints errors and sets the exit code (citty main.ts / astro throw-and-exit).
 */

export interface GlobalOptions {
  root?: string;
  debug?: boolean;
  json?: boolean;
  quiet?: boolean;
}

export interface CommandContext {
  /** The folder castline was started in (the show root is found from here). */
  cwd: string;
  options: GlobalOptions;
  reporter: Reporter;
}

type Loader = () => Promise<{ run: (ctx: CommandContext, ...args: any[]) => Promise<number | void> }>;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export async function runCli(argv: readonly string[], io: { cwd?: string } = {}): Promise<number> {
  let exitCode = 0;
  const program = new Command('castline');
  program
    .description('Turn a weekly newsletter issue into a published podcast episode and YouTube video.')
    .version(version(), '-v, --version')
    .option('--root <dir>', 'the show folder (default: the nearest folder upwards with show.yaml)')
    .option('--debug', 'print stack traces and ffmpeg command lines on errors')
    .showHelpAfterError('(run castline --help for the list of commands)')
    .exitOverride();

  const commandOptions = (cmd: Command): GlobalOptions => ({ ...program.opts(), ...cmd.opts() }) as GlobalOptions;
  const register = (cmd: Command, load: Loader): void => {
    cmd.action(async (...args: unknown[]) => {
      const self = args[args.length - 1] as Command;
      const options = commandOptions(self);
      const reporter = createReporter({ json: options.json, debug: options.debug, quiet: options.quiet });
      const mod = await load();
      const code = await mod.run({ cwd: io.cwd ?? process.cwd(), options, reporter }, ...args.slice(0, -1));
      exitCode = typeof code === 'number' ? code : 0;
    });
  };

  register(
    program
      .command('new')
      .description('scaffold episodes/<date>-<slug>/ from a newsletter issue (with no source: the newest new item of show.yaml newsletter.feed)')
      .argument('<slug>', 'short name for the episode: lowercase letters, digits, dashes')
      .option('--issue <file>', 'the issue text (a file, or - for standard input)')
      .option('--from <source>', 'import the issue: an RSS/Atom feed URL (newest item), an issue page URL, or a saved .html or .eml file')
      .option('--item <title or guid>', 'with a feed: the item to import instead of the newest')
      .option('--date <YYYY-MM-DD>', 'publication date (default: the imported item\'s date, else today)')
      .option('--title <title>', 'episode title (default: the imported item\'s title, else the issue\'s first heading)')
      .option('--json', 'print what was created as JSON'),
    () => import('./commands/new.js'),
  );
  register(
    program
      .command('check')
      .description('validate show.yaml, episodes and their files; non-zero exit on any error')
      .argument('[episodes...]', 'episode folder names or paths (default: all)')
      .option('--json', 'print the problems as JSON'),
    () => import('./commands/check.js'),
  );
  register(
    program
      .command('status')
      .description('a table of episodes: script? recording? built? published where?')
      .option('--json', 'print the table as JSON'),
    () => import('./commands/status.js'),
  );
  for (const extra of await loadExtraCommands()) register(extra.define(program), extra.load);

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    return handleError(error, argv.includes('--debug'));
  }
  return exitCode;
}

/**
 * Later stages add their commands here (script, build, publish, serve, auth). Each entry
 * defines its options synchronously and loads its module lazily.
 */
export interface ExtraCommand {
  define: (program: Command) => Command;
  load: Loader;
}

async function loadExtraCommands(): Promise<ExtraCommand[]> {
  const { EXTRA_COMMANDS } = await import('./commands/registry.js');
  return EXTRA_COMMANDS;
}

export function handleError(error: unknown, debug: boolean): number {
  const out = process.stderr;
  if (error instanceof CommanderError) {
    // commander already printed its message (help, version, usage errors).
    return error.exitCode;
  }
  if (error instanceof ProblemsError) {
    for (const p of error.problems) out.write(`${formatProblem(p)}\n`);
    out.write(`${error.message}\n`);
    if (error.state) out.write(`  state: ${error.state}\n`);
    return error.exitCode;
  }
  if (error instanceof CastlineError) {
    out.write(`${error.message}\n`);
    if (error.hint) out.write(`  hint: ${error.hint}\n`);
    if (error.state) out.write(`  state: ${error.state}\n`);
    if (debug) {
      if (error.details) out.write(`${error.details}\n`);
      if (error.stack) out.write(`${error.stack}\n`);
      if (error.cause instanceof Error && error.cause.stack) out.write(`caused by: ${error.cause.stack}\n`);
    }
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  out.write(`castline failed unexpectedly: ${message}\n`);
  if (debug && error instanceof Error && error.stack) out.write(`${error.stack}\n`);
  else out.write('  hint: rerun with --debug for details, and report it if it keeps happening\n');
  return 1;
}

export { Option };
