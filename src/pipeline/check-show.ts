import type { Problem } from '../core/errors.js';
import type { EpisodeContext, ShowContext } from '../config/load-show.js';
import { episodeFilesRule, showFilesRule, uniqueNumbersRule } from '../config/check-rules.js';
import { presentBuild, readBuildRecord } from '../records/build-record.js';
import { coverRule, episodeArtworkRule, episodeMediaRule, figureFilesRule, showMediaRule, type MediaRule, type MediaRuleTools } from '../media/check-media-rules.js';
import { createInputProbe, type InputProbe, type KnownInput } from '../media/probe-input.js';
import { deployRule } from '../deploy/check-deploy.js';
import { feedLintRule } from '../feed/lint-feed.js';
import { checkScriptRule, visualSectionsRule } from '../script/check-script.js';
import type { ScriptDoc } from '../script/script-doc.js';

/**
 * The one list of cross-file rules (changesets packages/config/src/parse.ts style: small
 * functions returning problems). `castline check` reports them all; `castline build` runs the
 * same list (less the publishing-only rules) before its read phase and stops on an error, so
 * a build never finds a problem that check would have missed (a damaged visual, a visual
 * named after no section).
 */
export interface CheckRule {
  rule: MediaRule;
  /** `castline build` runs it too; false for rules about publishing only (deploy credentials). */
  build: boolean;
}

export const CHECK_RULES: readonly CheckRule[] = [
  // configuration: files named exist, numbers unique, dates agree
  { rule: showFilesRule, build: true },
  { rule: uniqueNumbersRule, build: true },
  { rule: episodeFilesRule, build: true },
  // script.md and notes.md parse; visuals name sections
  { rule: checkScriptRule, build: true },
  { rule: visualSectionsRule, build: true },
  // media: artwork (Apple's rules), music, background, font, recordings, labels, visuals
  { rule: coverRule, build: true },
  { rule: episodeArtworkRule, build: true },
  { rule: showMediaRule, build: true },
  { rule: episodeMediaRule, build: true },
  { rule: figureFilesRule, build: true },
  // what the feed will say
  { rule: feedLintRule, build: true },
  // where it is deployed (also checked by castline deploy before any upload)
  { rule: deployRule, build: false },
];

export interface CheckShowOptions {
  /** Episodes in scope (default all); show-wide problems are always in scope. */
  only?: readonly string[] | undefined;
  /** The probe to share with a read phase that follows (default: one cached by the build records). */
  probe?: InputProbe;
  /** Which rules: all (`castline check`) or those a build needs. */
  for?: 'check' | 'build';
  /** How to read an episode's script (default: script.md through the script stage). */
  readScript?: (episode: EpisodeContext) => Promise<ScriptDoc>;
}

/** A probe that trusts what the build records say of files unchanged since (same size and mtime). */
export async function createRecordedProbe(show: ShowContext): Promise<InputProbe> {
  const known = new Map<string, KnownInput>();
  for (const ep of show.episodes) {
    // An unreadable record only means nothing is known (the read phase warns about it).
    const record = await readBuildRecord(show.root, ep.id).then(presentBuild, () => undefined);
    for (const [rel, file] of Object.entries(record?.inputFiles ?? {})) known.set(rel, file);
  }
  return createInputProbe(show.root, (rel) => known.get(rel));
}

/** True when a problem is about the show as a whole or about one of `only`'s episodes. */
export function inScope(p: Problem, only: readonly string[] | undefined): boolean {
  return !only || !p.file.startsWith('episodes/') || only.some((id) => p.file.startsWith(`episodes/${id}/`) || p.file === `episodes/${id}`);
}

export async function checkShow(show: ShowContext, options: CheckShowOptions = {}): Promise<Problem[]> {
  const readScript = options.readScript ?? (await import('../script/read-script.js')).readScript;
  const tools: MediaRuleTools = {
    probe: options.probe ?? (await createRecordedProbe(show)),
    sectionIds: async (episode) => {
      try {
        return (await readScript(episode)).sections.map((s) => s.id);
      } catch {
        return undefined; // an unreadable script is checkScriptRule's (or the build's) to report
      }
    },
    figures: async (episode) => {
      try {
        return (await readScript(episode)).sections.flatMap((s) => s.figures ?? []);
      } catch {
        return [];
      }
    },
  };
  const rules = CHECK_RULES.filter((r) => options.for !== 'build' || r.build);
  const results = await Promise.all(rules.map((r) => r.rule(show, tools)));
  return results.flat().filter((p) => inScope(p, options.only));
}
