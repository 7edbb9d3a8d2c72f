import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';

/**
 * Data flows one way (issue 11): the stages read the records below them and nothing reads
 * back up. This reads every source file under src/ with the TypeScript parser and checks the
 * import graph against the rules below, so a new back edge fails here, not in review.
 */

interface Edge {
  /** src/-relative posix paths, e.g. "feed/build-feed-xml.ts". */
  from: string;
  to: string;
}

interface Scan {
  edges: Edge[];
  /** import() calls whose specifier is not a string literal: invisible to any graph. */
  opaque: string[];
}

const SRC = join(REPO_ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

function srcPath(abs: string): string {
  return relative(SRC, abs).split(sep).join('/');
}

/** Every import, export-from, and import() of one file (type-only imports too: they are coupling). */
function scanFile(file: string, text: string): Scan {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const edges: Edge[] = [];
  const opaque: string[] = [];
  const from = srcPath(file);
  const add = (specifier: string): void => {
    if (!specifier.startsWith('.')) return; // packages and node: builtins
    const target = posix.normalize(posix.join(posix.dirname(from), specifier)).replace(/\.js$/, '.ts');
    edges.push({ from, to: target });
  };
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0];
      if (arg && ts.isStringLiteralLike(arg)) add(arg.text);
      else opaque.push(`${from}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { edges, opaque };
}

function scanSrc(): Scan {
  const scans = sourceFiles(SRC).map((f) => scanFile(f, readFileSync(f, 'utf8')));
  return { edges: scans.flatMap((s) => s.edges), opaque: scans.flatMap((s) => s.opaque) };
}

const folder = (path: string): string => path.split('/')[0] ?? '';

/** The rules, each a predicate on one edge that returns why it is forbidden. */
const RULES: { name: string; broken: (e: Edge) => boolean }[] = [
  { name: 'feed/ and site/ print the same publication plan and never import each other', broken: (e) => (folder(e.from) === 'feed' && folder(e.to) === 'site') || (folder(e.from) === 'site' && folder(e.to) === 'feed') },
  { name: 'cli/ is the top floor: nothing outside it imports it', broken: (e) => folder(e.from) !== 'cli' && folder(e.to) === 'cli' },
  { name: 'the publication plan is below the feed and the site', broken: (e) => folder(e.from) === 'publication' && ['feed', 'site'].includes(folder(e.to)) },
  { name: 'records/ are the bottom floor: they import only core/', broken: (e) => folder(e.from) === 'records' && !['records', 'core'].includes(folder(e.to)) },
];

function violations(edges: readonly Edge[]): string[] {
  return RULES.flatMap((rule) => edges.filter(rule.broken).map((e) => `${e.from} → ${e.to}: ${rule.name}`));
}

describe('the import graph of src/', () => {
  const scan = scanSrc();

  it('is read: the scanner sees the edges the orchestrator is known to have', () => {
    // Without these the rules below could pass on an empty graph.
    expect(scan.edges).toContainEqual({ from: 'pipeline/write-feed-and-site.ts', to: 'feed/build-feed-xml.ts' });
    expect(scan.edges).toContainEqual({ from: 'pipeline/write-feed-and-site.ts', to: 'site/render-pages.ts' });
    expect(scan.edges).toContainEqual({ from: 'pipeline/build-show.ts', to: 'pipeline/write-feed-and-site.ts' }); // an import()
    expect(scan.edges.length).toBeGreaterThan(200);
  });

  it('flows one way', () => {
    expect(violations(scan.edges)).toEqual([]);
  });

  it('has no import() through a variable (the graph, the compiler and the reader would not see it)', () => {
    expect(scan.opaque).toEqual([]);
  });

  it('the rules catch the back edges they are about', () => {
    const bad: Edge[] = [
      { from: 'feed/x.ts', to: 'site/render-pages.ts' },
      { from: 'site/render-pages.ts', to: 'feed/plan-feed.ts' },
      { from: 'pipeline/build-show.ts', to: 'cli/main.ts' },
      { from: 'records/build-record.ts', to: 'config/load-show.ts' },
      { from: 'publication/plan-publication.ts', to: 'site/vtt-text.ts' },
    ];
    expect(violations(bad)).toHaveLength(bad.length);
    expect(violations([{ from: 'cli/commands/build.ts', to: 'cli/main.ts' }, { from: 'site/render-pages.ts', to: 'publication/plan-publication.ts' }])).toEqual([]);
    const dynamic = scanFile(join(SRC, 'youtube', 'x.ts'), "const s = '../script/notes.js';\nexport const m = import(s);\nimport type { A } from '../cli/main.js';\n");
    expect(dynamic.opaque).toEqual(['youtube/x.ts:2']);
    expect(violations(dynamic.edges)).toEqual(['youtube/x.ts → cli/main.ts: cli/ is the top floor: nothing outside it imports it']);
  });
});
