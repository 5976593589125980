// Types for test/docs/snippets.mjs (plain JavaScript, so test/runtimes/run.mjs can load it too).

export declare const REPO: string;
export declare const DEFAULT_OUT: string;
export declare const HEADER_LINES: number;

export interface ExtractedBlock {
  /** The markdown file, relative to the repository: README.md, docs/images.md. */
  page: string;
  /** 0-based index among the page's runnable blocks. */
  index: number;
  /** 1-based markdown line of the block's first code line. */
  startLine: number;
  lang: 'js' | 'ts';
  /** The code, with the fence's indent stripped. */
  code: string;
}

export interface Claim {
  id: number;
  /** 1-based line in the block's code. */
  line: number;
  expected: string;
}

export interface Block extends ExtractedBlock {
  slug: string;
  checkFile: string;
  runFile: string;
  claims: Claim[];
  prelude: string | null;
}

export interface Problem {
  page?: string;
  block?: Block;
  /** Markdown line (for a block's problem). */
  line?: number;
  message: string;
}

export interface Diagnostic {
  file: string | null;
  line: number;
  message: string;
}

export interface TypecheckResult {
  seconds: number;
  diagnostics: Diagnostic[];
}

export interface RunResult {
  ok: boolean;
  seconds: number;
  failures: string[];
  stdout: string;
  stderr: string;
}

export declare function listPages(root?: string): string[];
export declare function extractBlocks(markdown: string, page: string): ExtractedBlock[];
export declare function preludeStem(page: string): string;
export declare function preludeExports(source: string, fileName?: string): { values: string[]; types: string[] };
export declare function namesUsed(code: string, lang?: 'js' | 'ts'): Set<string>;
export declare function rewriteClaims(code: string): { code: string; claims: Claim[]; errors: { line: number; message: string }[] };
export declare function blockSlug(block: Pick<ExtractedBlock, 'page' | 'startLine'>): string;
export declare function markdownLine(block: Pick<ExtractedBlock, 'startLine'>, line: number): number;
export declare function prepareSnippets(options?: { root?: string; outDir?: string; pages?: string[] }): Promise<{ blocks: Block[]; problems: Problem[] }>;
export declare function typecheckDir(outDir?: string): TypecheckResult;
export declare function typecheckInChild(outDir?: string, options?: { timeoutMs?: number }): Promise<TypecheckResult>;
export declare function typeErrorsByBlock(blocks: Block[], diagnostics: Diagnostic[], outDir?: string): { perBlock: Map<string, string[]>; other: string[] };
export declare function runBlock(block: Block, options?: { timeoutMs?: number; cwd?: string; env?: Record<string, string> }): Promise<RunResult>;
export declare function packagesUsed(root?: string, pages?: string[]): string[];
export declare function processOutDir(prefix?: string, parent?: string): string;
export declare function pool<T>(jobs: (() => Promise<T>)[], limit?: number): Promise<T>[];

export interface CheckAllResult {
  blocks: Block[];
  problems: Problem[];
  typecheck: TypecheckResult;
  typeErrors: { perBlock: Map<string, string[]>; other: string[] };
  runs: RunResult[];
  seconds: number;
}
export declare function checkAll(options?: { root?: string; outDir?: string; pages?: string[]; cwd?: string; concurrency?: number; timeoutMs?: number; env?: Record<string, string> }): Promise<CheckAllResult>;
export declare function summarize(result: CheckAllResult): { failed: number; passed: number; text: string };
