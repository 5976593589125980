// Every ```js / ```ts block in README.md and docs/*.md, type-checked and run against dist/ (see
// test/docs/snippets.mjs for the conventions). One test per block, named page:line of its first
// code line; one per page for page-level problems (a prelude the page does not link to, a claim on
// a line that is not a console.log, a prelude that does not type-check). The type check (one
// process) and the blocks (one process each) run 2 at a time from the moment this file loads.
import { describe, test } from 'vitest';
import {
  listPages, pool, prepareSnippets, preludeStem, runBlock, typecheckInChild, typeErrorsByBlock,
  type Block, type RunResult, type TypecheckResult,
} from './snippets.mjs';

const pages = listPages();
const { blocks, problems } = await prepareSnippets({ pages });
const [typecheck, ...runs] = pool<TypecheckResult | RunResult>([
  () => typecheckInChild(),
  ...blocks.map((b) => () => runBlock(b)),
], 2);
// Awaited by the tests below; a rejection is reported there, not as an unhandled one.
for (const p of [typecheck, ...runs]) p!.catch(() => undefined);
const typeErrors = (async () => typeErrorsByBlock(blocks, ((await typecheck) as TypecheckResult).diagnostics))();
typeErrors.catch(() => undefined);

function fail(errors: string[]): void {
  if (errors.length > 0) throw new Error(`\n${errors.join('\n')}`);
}

describe.each(pages)('%s', (page) => {
  const mine = blocks.map((b, i) => [b, i] as [Block, number]).filter(([b]) => b.page === page);
  test('page: prelude linked, claims well formed, prelude type-checks', async () => {
    const errors = problems.filter((p) => p.page === page || p.block?.page === page)
      .map((p) => (p.block ? `${p.block.page}:${p.line}: ${p.message}` : `${p.page}: ${p.message}`));
    const { other } = await typeErrors;
    errors.push(...other.filter((o) => o.startsWith(`docs/preludes/${preludeStem(page)}.ts:`) || !o.startsWith('docs/preludes/')));
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
