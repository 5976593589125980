// Every ```js / ```ts block in README.md and docs/*.md, type-checked and run against dist/ (see
// test/docs/snippets.mjs for the conventions). One test per block, named page:line of its first
// code line; one per page for page-level problems (a prelude the page does not link to, a claim on
// a line that is not a console.log, a prelude that does not type-check). The type check (one
// process) and the blocks (one process each) run 2 at a time from the moment this file loads.
// Times per block go to test-results/docs-snippets.json (slowest first), to find what to trim.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, test } from 'vitest';
import {
  REPO, listPages, pool, prepareSnippets, preludeStem, processOutDir, runBlock, typecheckInChild, typeErrorsByBlock,
  type Block, type RunResult, type TypecheckResult,
} from './snippets.mjs';

const t0 = performance.now();
const pages = listPages();
const outDir = processOutDir('pages');
const { blocks, problems } = await prepareSnippets({ pages, outDir });
const [typecheck, ...runs] = pool<TypecheckResult | RunResult>([
  () => typecheckInChild(outDir),
  ...blocks.map((b) => () => runBlock(b)),
], 2);
// Awaited by the tests below; a rejection is reported there, not as an unhandled one.
for (const p of [typecheck, ...runs]) p!.catch(() => undefined);
const typeErrors = (async () => typeErrorsByBlock(blocks, ((await typecheck) as TypecheckResult).diagnostics, outDir))();
typeErrors.catch(() => undefined);

afterAll(async () => {
  const settled = await Promise.allSettled([typecheck, ...runs]);
  const seconds = (r: PromiseSettledResult<unknown>) => (r.status === 'fulfilled' ? (r.value as { seconds: number }).seconds : null);
  const perBlock = blocks.map((b, i) => ({ block: `${b.page}:${b.startLine}`, seconds: seconds(settled[i + 1]!) }))
    .sort((a, b) => (b.seconds ?? 0) - (a.seconds ?? 0));
  mkdirSync(join(REPO, 'test-results'), { recursive: true });
  writeFileSync(join(REPO, 'test-results', 'docs-snippets.json'), JSON.stringify({
    blocks: blocks.length, typecheckSeconds: seconds(settled[0]!), wallSeconds: (performance.now() - t0) / 1000, perBlock,
  }, null, 2));
});

/** Fails with the page:line messages only (no stack: this file's lines would say nothing). */
function fail(errors: string[]): void {
  if (errors.length === 0) return;
  const error = new Error(`\n${errors.join('\n')}`);
  error.stack = `Error: ${error.message}`;
  throw error;
}

test('every prelude in docs/preludes/ belongs to a page (docs/<stem>.md, or README.md for readme.ts)', () => {
  const dir = join(REPO, 'docs', 'preludes');
  const stems = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).map((f) => f.slice(0, -3)) : [];
  const owned = new Set(pages.map(preludeStem));
  fail(stems.filter((s) => !owned.has(s)).map((s) => `docs/preludes/${s}.ts: no page docs/${s}.md uses it`));
});

describe.each(pages)('%s', (page) => {
  const mine = blocks.map((b, i) => [b, i] as [Block, number]).filter(([b]) => b.page === page);
  test('page: prelude linked, claims well formed, prelude type-checks', async () => {
    const errors = problems.filter((p) => p.page === page || p.block?.page === page)
      .map((p) => (p.block ? `${p.block.page}:${p.line}: ${p.message}` : `${p.page}: ${p.message}`));
    const { other } = await typeErrors;
    errors.push(...other.filter((o) => o.startsWith(`docs/preludes/${preludeStem(page)}.ts:`) || o.startsWith('docs/preludes/shared/') || !o.startsWith('docs/preludes/')));
    fail(errors);
  });
  for (const [block, i] of mine) {
    test(`${page}:${block.startLine}`, async () => {
      const run = (await runs[i]) as RunResult;
      const { perBlock } = await typeErrors;
      fail([...perBlock.get(block.slug)!, ...run.failures]);
    });
  }
});
