import { createInterface } from 'node:readline';
import { CastlineError } from '../core/errors.js';
import { INIT_FIELDS, validateInitField, type InitAnswers } from './init-fields.js';

/**
 * The interactive half of `castline init`: asks each field the flags did not give, on the
 * terminal, with its default in [brackets]; an answer the show.yaml schema rejects is refused
 * with the schema's message and asked again. The streams are the TTY seam: the command passes
 * process.stdin/stderr when stdin is a terminal, tests pass a pseudo-terminal or plain streams.
 * Prompts go to stderr, like all human output (stdout stays for --json).
 */
export async function askInitAnswers(given: InitAnswers, io: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream }): Promise<InitAnswers> {
  const rl = createInterface({ input: io.input, output: io.output, terminal: Boolean((io.input as { isTTY?: boolean }).isTTY) });
  const lines = rl[Symbol.asyncIterator]();
  const answers: InitAnswers = { ...given };
  try {
    for (const field of INIT_FIELDS) {
      if (answers[field.key] !== undefined) continue;
      const fallback = field.fallback?.(answers);
      for (;;) {
        io.output.write(`${field.prompt}${fallback !== undefined ? ` [${fallback}]` : ''}: `);
        const next = await lines.next();
        if (next.done) {
          throw new CastlineError('init-missing', `Input ended before "${field.prompt}" was answered; nothing was written`, {
            hint: `answer every question, or pass ${field.flag} (and --yes to use the defaults)`,
          });
        }
        const value = next.value.trim() || fallback;
        if (value === undefined) {
          io.output.write(`  ${field.showKey} is required\n`);
          continue;
        }
        const problem = validateInitField(field, value);
        if (problem) {
          io.output.write(`  ${field.showKey} ${problem}\n`);
          continue;
        }
        answers[field.key] = value;
        break;
      }
    }
  } finally {
    rl.close();
  }
  return answers;
}
