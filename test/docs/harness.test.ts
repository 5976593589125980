// The doc-snippet harness itself (test/docs/snippets.mjs), on small made-up pages written under
// test/docs/.snippets/fixture-<pid>/ (inside the repository, so `import 'kerasm'` resolves to dist/).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  extractBlocks, namesUsed, preludeExports, prepareSnippets, processOutDir, rewriteClaims, runBlock, typecheckInChild, typeErrorsByBlock,
  type Block, type Problem, type RunResult,
} from './snippets.mjs';

describe('extractBlocks', () => {
  const md = [
    '# Title', //                       1
    '```ts', //                         2
    "const a: number = 1;", //          3
    '```', //                           4
    '```sh', //                         5
    'npm install kerasm', //            6
    '```', //                           7
    '1. A step:', //                    8
    '', //                              9
    '   ```js', //                      10
    '   const b = 2;', //               11
    '     const c = 3;', //             12
    '   ```', //                        13
    '~~~~typescript', //                14
    '```', //                           15
    'let d = 4;', //                    16
    '~~~~', //                          17
    '```text', //                       18
    'console.log(1); // => 1', //       19
    '```', //                           20
    '```javascript title="x.mjs"', //   21
    'let e = 5;', //                    22
    '```', //                           23
    '```json', //                       24
    '{}', //                            25
    '```', //                           26
    '```html', //                       27
    '<script type="module">import "kerasm";</script>', // 28
    '```', //                           29
  ].join('\n');
  const blocks = extractBlocks(md, 'docs/x.md');

  test('only js/javascript/ts/typescript blocks, with their first code line and language', () => {
    expect(blocks.map((b) => [b.startLine, b.lang])).toEqual([[3, 'ts'], [11, 'js'], [15, 'ts'], [22, 'js']]);
    expect(blocks.map((b) => b.index)).toEqual([0, 1, 2, 3]);
    expect(blocks.every((b) => b.page === 'docs/x.md')).toBe(true);
  });

  test("a fence inside a list: its indent is stripped, deeper indent kept; a longer fence holds a shorter one", () => {
    expect(blocks[1]!.code).toBe('const b = 2;\n  const c = 3;\n');
    expect(blocks[2]!.code).toBe('```\nlet d = 4;\n');
  });

  test('an unclosed runnable block is an error naming page:line', () => {
    expect(() => extractBlocks('text\n```ts\nconst a = 1;\n', 'README.md')).toThrow('README.md:2: a ```ts block is never closed');
    expect(extractBlocks('```sh\nls\n', 'README.md')).toEqual([]);
  });
});

describe('rewriteClaims', () => {
  test('console.log(...); // => text becomes a recorded call on the same line', () => {
    const { code, claims, errors } = rewriteClaims([
      'const a = [1, 2];',
      'console.log(a.length, a); // => 2 [ 1, 2 ]',
      '  console.log(f(1), "a)b") // => 1 a)b',
      '  console.log(`x`)   //=>   x  ', // spacing variants are claims too
      'console.log(1); // a comment, not a claim',
    ].join('\n'));
    expect(errors).toEqual([]);
    expect(code.split('\n')).toEqual([
      'const a = [1, 2];',
      '__claim(0, a.length, a);',
      '  __claim(1, f(1), "a)b");',
      '  __claim(2, `x`);',
      'console.log(1); // a comment, not a claim',
    ]);
    expect(claims).toEqual([{ id: 0, line: 2, expected: '2 [ 1, 2 ]' }, { id: 1, line: 3, expected: '1 a)b' }, { id: 2, line: 4, expected: 'x' }]);
  });

  test('a claim on any other line is an error with its line', () => {
    const { errors, claims } = rewriteClaims(['const x = 1; // => 1', 'console.log(1);', 'console.log(); // => ', 'model.summary(); // => table'].join('\n'));
    expect(claims).toEqual([]);
    expect(errors.map((e) => e.line)).toEqual([1, 3, 4]);
    expect(errors[0]!.message).toContain('must follow a one-line `console.log(…);` statement');
  });
});

test('preludeExports: values and types, by the TypeScript parser', () => {
  const src = [
    "import * as km from 'kerasm';",
    'const hidden = 1;',
    'export const a = 1, [b, , c] = [2, 3, 4], { d } = { d: 5 };',
    'export function f() { return hidden; }',
    'export class K {}',
    'export interface I { x: number }',
    'export type T = string;',
    'const g = 2;',
    'export { g, g as h };',
    'export type { I as J };',
    'export default 3;',
  ].join('\n');
  expect(preludeExports(src)).toEqual({ values: ['a', 'b', 'c', 'd', 'f', 'K', 'g', 'h'], types: ['I', 'T', 'J'] });
  expect(() => preludeExports("export * from './x.ts';", 'docs/preludes/x.ts')).toThrow('docs/preludes/x.ts: `export *` is not supported');
});

test('namesUsed: what a block refers to and does not declare (which prelude names to import)', () => {
  const code = [
    "import * as km from 'kerasm';",
    'const xTrain = km.tensor([1]);',
    'const model = km.sequential({ layers: [], name: yTrain.name });',
    'const r: Row = [1]; // xTest in a comment is no use',
    '/** @param {Shape} s */ function f(s) { return s.xVal; }',
  ].join('\n');
  const ts = namesUsed(code, 'ts');
  expect(['yTrain', 'Row'].every((n) => ts.has(n))).toBe(true);
  expect(['km', 'xTrain', 'model', 'name', 'xTest', 'xVal', 'layers', 'f'].some((n) => ts.has(n))).toBe(false);
  expect(namesUsed(code.split('\n').slice(0, 3).concat(code.split('\n')[4]!).join('\n'), 'js').has('Shape')).toBe(true);
});

describe('a made-up repository, prepared, type-checked and run', () => {
  const base = processOutDir('fixture');
  const root = join(base, 'root');
  const outDir = join(base, 'out');
  const page = [
    '# Shapes', //                                                                  1
    '', //                                                                          2
    'Uses `rows`, `Row` from [preludes/shapes.ts](preludes/shapes.ts).', //         3
    '', //                                                                          4
    '```ts', //                                                                     5
    "import * as km from 'kerasm';", //                                             6
    'const t: km.Tensor = km.tensor(rows, [2, 3]);', //                             7
    'const r: Row = [1, 2, 3];', //                                                 8
    'console.log(t.shape, r.length); // => [ 2, 3 ] 3', //                          9
    't.dispose();', //                                                              10
    '```', //                                                                       11
    '```js', //                                                                     12
    'console.log(rows.length * 2); // => 7', //                                     13
    '```', //                                                                       14
    '```ts', //                                                                     15
    'const n: number = "six";', //                                                  16
    'console.log(n);', //                                                           17
    '```', //                                                                       18
    '```js', //                                                                     19
    'const x = 1; // => 1', //                                                      20
    "throw new Error('boom');", //                                                   21
    '```', //                                                                       22
    '```js', //                                                                     23
    'if (rows.length > 10) {', //                                                   24
    '  console.log(1); // => 1', //                                                 25
    '}', //                                                                         26
    '```', //                                                                       27
    '```js', //                                                                     28
    'const rows = 2;', //                                                           29
    'console.log(rows); // => 2', //                                                30
    '```', //                                                                       31
  ].join('\n');
  let blocks: Block[] = [];
  let problems: Problem[] = [];
  let runs: RunResult[] = [];
  let perBlock = new Map<string, string[]>();
  let other: string[] = [];

  beforeAll(async () => {
    mkdirSync(join(root, 'docs', 'preludes'), { recursive: true });
    writeFileSync(join(root, 'docs', 'shapes.md'), page);
    writeFileSync(join(root, 'docs', 'unlinked.md'), '# No link\n\n```js\nconsole.log(typeof rows); // => object\n```\n');
    writeFileSync(join(root, 'docs', 'preludes', 'shapes.ts'), 'export const rows: number[] = [1, 2, 3, 4, 5, 6];\nexport type Row = [number, number, number];\n');
    writeFileSync(join(root, 'docs', 'preludes', 'unlinked.ts'), 'export const rows = [1];\nexport const broken: string = 1;\n');
    writeFileSync(join(root, 'docs', 'late.md'), '# Late\n\n```js\nconsole.log(rows.length, cols); // => 1 2\n```\n\nUses `cols` from [preludes/late.ts](preludes/late.ts).\n');
    writeFileSync(join(root, 'docs', 'preludes', 'late.ts'), 'export const rows = [1];\nexport const cols = 2;\n');
    ({ blocks, problems } = await prepareSnippets({ root, outDir, pages: ['docs/shapes.md', 'docs/unlinked.md', 'docs/late.md'] }));
    const [typecheck, ...results] = await Promise.all([typecheckInChild(outDir), ...blocks.map((b) => runBlock(b))]);
    runs = results;
    ({ perBlock, other } = typeErrorsByBlock(blocks, typecheck.diagnostics, outDir));
  });

  const at = (line: number) => blocks.findIndex((b) => b.page === 'docs/shapes.md' && b.startLine === line);

  test('the prelude’s names a block uses are imported into it; a good claim passes', () => {
    expect(blocks.map((b) => `${b.page}:${b.startLine}`)).toEqual(['docs/shapes.md:6', 'docs/shapes.md:13', 'docs/shapes.md:16', 'docs/shapes.md:20', 'docs/shapes.md:24', 'docs/shapes.md:29', 'docs/unlinked.md:4', 'docs/late.md:4']);
    expect(readFileSync(blocks[0]!.checkFile, 'utf8').split('\n')[1]).toBe("import { rows, type Row } from '../preludes/shapes.ts';");
    expect(readFileSync(blocks[1]!.checkFile, 'utf8').split('\n')[1]).toBe("import { rows } from '../preludes/shapes.ts';");
    expect(readFileSync(blocks[1]!.runFile, 'utf8').split('\n')[1]).toBe("import { rows } from '../preludes/shapes.mjs';");
    // A block that uses no prelude name does not load it; one that declares the name keeps its own.
    expect(readFileSync(blocks[at(16)]!.checkFile, 'utf8').split('\n')[1]).toBe('// (uses nothing from preludes/shapes.ts)');
    expect(readFileSync(blocks[at(29)]!.checkFile, 'utf8').split('\n')[1]).toBe('// (uses nothing from preludes/shapes.ts)');
    expect(runs[at(29)]!.failures).toEqual([]);
    expect(perBlock.get(blocks[at(29)]!.slug)).toEqual([]);
    expect(perBlock.get(blocks[at(6)]!.slug)).toEqual([]);
    expect(runs[at(6)]!.failures).toEqual([]);
    expect(runs[at(6)]!.stdout).toBe('[ 2, 3 ] 3\n');
  });

  test('a claim that printed something else fails with page:line, expected and got', () => {
    expect(runs[at(13)]!.failures).toEqual(['docs/shapes.md:13: printed "12", the page claims "7"']);
  });

  test('a type error is reported at its markdown line; the strict check applies to ts blocks', () => {
    expect(perBlock.get(blocks[at(16)]!.slug)).toEqual(["docs/shapes.md:16: TS2322: Type 'string' is not assignable to type 'number'."]);
  });

  test('a `// =>` on a line that is not a console.log is a harness error; a thrown error names its markdown line', () => {
    const block = blocks[at(20)]!;
    expect(problems.filter((p) => p.block === block).map((p) => `${p.line}: ${p.message}`))
      .toEqual(['20: a `// =>` claim must follow a one-line `console.log(…);` statement: const x = 1; // => 1']);
    expect(runs[at(20)]!.failures).toHaveLength(1);
    expect(runs[at(20)]!.failures[0]).toMatch(/^docs\/shapes\.md:20: exited 1:/);
    expect(runs[at(20)]!.failures[0]).toContain('Error: boom');
    expect(runs[at(20)]!.failures[0]).toContain('docs/shapes.md:21');
  });

  test('a claim that never ran fails', () => {
    expect(runs[at(24)]!.failures).toEqual(['docs/shapes.md:25: the claimed console.log never ran (expected "1")']);
  });

  test('a page with a prelude links to it and names what its blocks use, before its first block; a prelude’s type errors are reported by its path', () => {
    expect(problems.filter((p) => p.page !== undefined).map((p) => p.message)).toEqual([
      'docs/unlinked.md has a prelude, docs/preludes/unlinked.ts, but does not link to it (preludes/unlinked.ts)',
      'docs/late.md links to its prelude (preludes/late.ts) only after its first code block (line 4); say near the top what the examples use and link to it',
      'docs/late.md uses `rows`, `cols` from preludes/late.ts without naming them (in backticks) before its first code block (line 4)',
    ]);
    expect(other).toEqual(["docs/preludes/unlinked.ts:2: TS2322: Type 'number' is not assignable to type 'string'."]);
    expect(runs[6]!.failures).toEqual([]);
  });
});
