import ffmpeg, { type FfmpegCommand } from 'fluent-ffmpeg';
import type { Writable } from 'node:stream';

/**
 * Hand a complete ffmpeg argument list (built as data in encode-args.ts and friends) to
 * fluent-ffmpeg, which spawns it (STYLE §3). Pure: it builds the command object, nothing runs.
 *
 * fluent-ffmpeg assembles its command line as: each input's options and `-i source`, then
 * `-y` when an output is a file, then each output's options and target
 * (lib/processor.js, `_getArguments`). So the list is split at its `-i` flags: what comes
 * before each `-i` becomes that input's options, what follows the last input becomes the
 * output's options, and the last element the output's target. The command line fluent-ffmpeg
 * runs is then the list itself, with one `-y` after the last input for file outputs (harmless:
 * castline's file outputs carry their own). A `-i` is always a flag here: every value that
 * could read `-i` (titles, filter text) is part of a `key=value` or filter-graph argument.
 */
export interface FfmpegInvocation {
  inputs: { options: string[]; source: string }[];
  outputOptions: string[];
  target: string;
}

export function splitFfmpegArgs(args: readonly string[]): FfmpegInvocation {
  const inputs: FfmpegInvocation['inputs'] = [];
  let options: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '-i') {
      const source = args[i + 1];
      if (source === undefined) throw new Error(`ffmpeg arguments end with -i and no input: ${args.join(' ')}`);
      inputs.push({ options, source });
      options = [];
      i++;
    } else {
      options.push(arg);
    }
  }
  const target = options.pop();
  if (target === undefined) throw new Error(`ffmpeg arguments name no output: ${args.join(' ')}`);
  return { inputs, outputOptions: options, target };
}

/**
 * fluent-ffmpeg's `inputOptions`/`outputOptions`, given ONE array, split every element that
 * holds exactly one space into two arguments (lib/options/custom.js: `'-ss 10'` → `-ss`, `10`),
 * which would cut a filter graph or a title in two. Given the options as separate arguments
 * it takes them verbatim; a lone option is always a flag (no space), so no list is split.
 */
function verbatim(options: readonly string[]): string[] {
  if (options.length === 1 && options[0]?.includes(' ')) throw new Error(`a lone ffmpeg option with a space would be split by fluent-ffmpeg: ${options[0]}`);
  return [...options];
}

/**
 * The fluent-ffmpeg command for `args`. With `stdout`, the list must end with `pipe:1` (or
 * `-`): fluent-ffmpeg then writes its own `pipe:1` and pipes ffmpeg's stdout into the stream.
 */
export function buildFluentCommand(args: readonly string[], stdout?: Writable): FfmpegCommand {
  const { inputs, outputOptions, target } = splitFfmpegArgs(args);
  const command = ffmpeg();
  for (const input of inputs) {
    command.input(input.source);
    const options = verbatim(input.options);
    if (options.length) command.inputOptions(...(options as [string, ...string[]]));
  }
  if (stdout) {
    if (target !== 'pipe:1' && target !== '-') throw new Error(`ffmpeg output read from stdout must be pipe:1, not ${target}`);
    command.output(stdout);
  } else {
    command.output(target);
  }
  const options = verbatim(outputOptions);
  if (options.length) command.outputOptions(...(options as [string, ...string[]]));
  return command;
}
