import { describe, expect, it } from 'vitest';
import { checkStepOrder, runSteps, type Step } from '../../../src/pipeline/run-steps.js';

/** A step that logs its start and end and finishes when `gate` resolves (or fails with `fail`). */
function step(name: string, log: string[], options: { after?: string[]; when?: () => boolean; gate?: Promise<void>; fail?: string } = {}): Step<unknown> {
  return {
    name,
    after: options.after,
    when: options.when,
    async run() {
      log.push(`start ${name}`);
      await (options.gate ?? Promise.resolve());
      if (options.fail) throw new Error(options.fail);
      log.push(`end ${name}`);
    },
  };
}

function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('runSteps', () => {
  it('starts independent steps together, in list order, and a step only after what it needs', async () => {
    const log: string[] = [];
    const a = gate();
    const run = runSteps([step('analyse', log, { gate: a.promise }), step('stills', log), step('mp3', log, { after: ['analyse'] }), step('aac', log, { after: ['analyse'] })], {});
    await new Promise((r) => setTimeout(r, 5));
    expect(log).toEqual(['start analyse', 'start stills', 'end stills']);
    a.open();
    expect(await run).toEqual(['analyse', 'stills', 'mp3', 'aac']);
    expect(log.slice(3)).toEqual(['end analyse', 'start mp3', 'start aac', 'end mp3', 'end aac']);
  });

  it('skips a step whose `when` says no, and runs what needs it', async () => {
    const log: string[] = [];
    const ran = await runSteps([step('stills', log, { when: () => false }), step('mp4', log, { after: ['stills'] })], {});
    expect(ran).toEqual(['mp4']);
    expect(log).toEqual(['start mp4', 'end mp4']);
  });

  it('after a failure starts nothing new, waits for the running steps, and throws the earliest failure', async () => {
    const log: string[] = [];
    const slow = gate();
    const run = runSteps(
      [step('stills', log, { gate: slow.promise }), step('analyse', log, { fail: 'silent take' }), step('mp3', log, { after: ['analyse'] }), step('late', log, { after: ['stills'] })],
      {},
    );
    let settled = false;
    void run.catch(() => (settled = true));
    await new Promise((r) => setTimeout(r, 5));
    // The failure is known, but the still clip is still encoding: not settled yet.
    expect(settled).toBe(false);
    slow.open();
    await expect(run).rejects.toThrow('silent take');
    expect(log).toEqual(['start stills', 'start analyse', 'end stills']);
  });

  it('rejects a list where a step needs one that is not listed before it', () => {
    expect(() => checkStepOrder([step('mp3', [], { after: ['analyse'] }), step('analyse', [])])).toThrow('step "mp3" needs "analyse", which is not listed before it');
    expect(() => checkStepOrder([step('a', []), step('a', [])])).toThrow('step "a" is listed twice');
  });
});
