// The doc-snippet harness: every fenced block tagged js, javascript, ts or typescript in README.md
// and docs/*.md is extracted, type-checked (ts strictly, js with checkJs) and run as its own ES
// module in a child process. Used by test/docs/snippets.test.ts (against the repository's dist/)
// and by test/runtimes/run.mjs (against the installed tarball). Plain JavaScript, so both can load it.
//   npx vitest run test/docs                  every page, one test per block (named page:line)
//   node test/docs/snippets.mjs docs/x.md     one or more pages from the command line, a summary
//
// Conventions (the pages rely on them):
// - A page's prelude is docs/preludes/<page stem, lower case>.ts (README.md → readme.ts). Each block
//   of the page gets an import of the prelude's exported names it uses (and does not declare itself);
//   a block that uses none does not load the prelude (1-2 s of data loading saved per block). Before
//   its first block, the page must link to its prelude and name, in backticks, each prelude name its
//   blocks use.
// - `console.log(<args>); // => <expected>` on one line is a claim: what it prints (util.format of
//   the arguments, trimmed) must equal <expected> (trimmed). `// =>` (or `//=>`) on any other line
//   is an error. Every claim must run at least once, and print the same each time it runs.
//
// Layout of an output folder (test/docs/.snippets/<name>-<pid>/ in the repository, git-ignored; one
// per process, so that two runs at once do not collide; inside the repository so that
// `import 'kerasm'` resolves through the package's self-reference to dist/):
//   preludes/<stem>.ts   copies of docs/preludes/*.ts and shared/ (type-checked with the blocks)
//   preludes/<stem>.mjs  the same, compiled by esbuild (what the blocks import when they run)
//   claims.mjs, claims.d.mts  the claim recorder the rewritten console.log lines call
//   check/<slug>.ts|.mjs  each block as type-checked: imports ../preludes/<stem>.ts
//   run/<slug>.mjs        each block as run: imports ../preludes/<stem>.mjs (ts blocks via esbuild)
//   run/<slug>.mjs.claims.jsonl  what its claims printed, one JSON line per claimed console.log
//   work/<slug>/          the block's working directory (files it saves land there)
//   tsconfig.ts.json, tsconfig.js.json  the two type-check programs (ts strict; js checkJs)
// Every generated block starts with HEADER_LINES lines of imports, so block line L is markdown line
// startLine + L - HEADER_LINES.
import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const DEFAULT_OUT = join(REPO, 'test', 'docs', '.snippets');
export const HEADER_LINES = 2;
const require = createRequire(import.meta.url);

const LANGS = { js: 'js', javascript: 'js', ts: 'ts', typescript: 'ts' };

/** README.md and docs/*.md, as paths relative to `root`. */
export function listPages(root = REPO) {
  const docs = existsSync(join(root, 'docs')) ? readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).sort() : [];
  return [...(existsSync(join(root, 'README.md')) ? ['README.md'] : []), ...docs.map((f) => `docs/${f}`)];
}

/**
 * The runnable blocks of one markdown text: fences of ``` or ~~~ (3 or more), at any indent (inside
 * lists), whose info string's first word is js, javascript, ts or typescript (any case). The fence's indent
 * is stripped from every line of the block. `startLine` is the 1-based markdown line of the block's
 * first code line.
 */
export function extractBlocks(markdown, page) {
  const lines = markdown.split(/\r?\n/);
  const blocks = [];
  let open = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (open === null) {
      const m = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/.exec(line);
      if (m === null) continue;
      open = { indent: m[1].length, fence: m[2], lang: LANGS[m[3].toLowerCase()] ?? null, tag: m[3], start: i + 2, body: [] };
      continue;
    }
    const close = new RegExp(`^\\s*${open.fence[0] === '`' ? '`' : '~'}{${open.fence.length},}\\s*$`).exec(line);
    if (close !== null) {
      if (open.lang !== null) {
        const code = open.body.map((l) => stripIndent(l, open.indent)).join('\n') + '\n';
        blocks.push({ page, index: blocks.length, startLine: open.start, lang: open.lang, code });
      }
      open = null;
      continue;
    }
    open.body.push(line);
  }
  if (open !== null && open.lang !== null) throw new Error(`${page}:${open.start - 1}: a \`\`\`${open.tag} block is never closed`);
  return blocks;
}

function stripIndent(line, indent) {
  let n = 0;
  while (n < indent && n < line.length && (line[n] === ' ' || line[n] === '\t')) n++;
  return line.slice(n);
}

/** docs/preludes/<stem>.ts for a page (README.md → readme.ts, docs/images.md → images.ts). */
export function preludeStem(page) {
  return basename(page).replace(/\.md$/i, '').toLowerCase();
}

/**
 * The names a prelude exports, read with the TypeScript parser: `values` (const, let, var, function,
 * class, enum, re-exports) and `types` (interface, type alias, `export type { … }`).
 */
export function preludeExports(source, fileName = 'prelude.ts') {
  const ts = require('typescript');
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const values = [];
  const types = [];
  const exported = (node) => (ts.getModifiers?.(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  const isDefault = (node) => (ts.getModifiers?.(node) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
  const bindingNames = (name) => {
    if (ts.isIdentifier(name)) return [name.text];
    return name.elements.flatMap((e) => (ts.isOmittedExpression(e) ? [] : bindingNames(e.name)));
  };
  for (const st of sf.statements) {
    if (ts.isVariableStatement(st) && exported(st)) {
      for (const d of st.declarationList.declarations) values.push(...bindingNames(d.name));
    } else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isEnumDeclaration(st)) && exported(st) && !isDefault(st) && st.name) {
      values.push(st.name.text);
    } else if ((ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) && exported(st)) {
      types.push(st.name.text);
    } else if (ts.isExportDeclaration(st)) {
      if (st.exportClause === undefined || !ts.isNamedExports(st.exportClause)) {
        throw new Error(`${fileName}: \`export *\` is not supported in a prelude; export names one by one`);
      }
      for (const el of st.exportClause.elements) {
        if (el.name.text === 'default') continue;
        (st.isTypeOnly || el.isTypeOnly ? types : values).push(el.name.text);
      }
    }
  }
  return { values, types };
}

/**
 * The identifiers a block's code refers to but does not declare at its top level (by the
 * TypeScript parser; property names after a dot and object keys are not references). Which of a
 * prelude's names to import: importing a name the block declares itself would be an error.
 */
export function namesUsed(code, lang = 'ts') {
  const ts = require('typescript');
  const sf = ts.createSourceFile(`block.${lang}`, code, ts.ScriptTarget.ES2022, true, lang === 'ts' ? ts.ScriptKind.TS : ts.ScriptKind.JS);
  const declared = new Set();
  const bindingNames = (name) => (ts.isIdentifier(name) ? [name.text]
    : name.elements.flatMap((e) => (ts.isOmittedExpression(e) ? [] : bindingNames(e.name))));
  for (const st of sf.statements) {
    if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) bindingNames(d.name).forEach((n) => declared.add(n));
    else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isEnumDeclaration(st) || ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) && st.name) declared.add(st.name.text);
    else if (ts.isImportDeclaration(st) && st.importClause) {
      const c = st.importClause;
      if (c.name) declared.add(c.name.text);
      if (c.namedBindings && ts.isNamespaceImport(c.namedBindings)) declared.add(c.namedBindings.name.text);
      else if (c.namedBindings) for (const el of c.namedBindings.elements) declared.add(el.name.text);
    }
  }
  const used = new Set();
  const visit = (node) => {
    if (ts.isIdentifier(node)) {
      const p = node.parent;
      const key = p && ((ts.isPropertyAccessExpression(p) && p.name === node) || (ts.isPropertyAssignment(p) && p.name === node)
        || (ts.isQualifiedName(p) && p.right === node) || ((ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isPropertySignature(p)) && p.name === node));
      if (!key && !declared.has(node.text)) used.add(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  // JSDoc types in js blocks (`@type {Row}`) are not in the tree walked above: add their words.
  if (lang === 'js') for (const m of code.matchAll(/@(?:type|param|returns?|typedef)\s*\{([^}]*)\}/g)) for (const w of m[1].matchAll(/[A-Za-z_$][\w$]*/g)) used.add(w[0]);
  return used;
}

const CLAIM = '// =>';
// Spacing variants (`//=>`, `//  =>`) count as claims too: none may go unchecked.
const CLAIM_MARK = /\/\/\s*=>/;

/**
 * Rewrites claim lines: `console.log(<args>); // => <expected>` becomes `__claim(<id>, <args>);`
 * (same line, so line numbers hold). Returns the new code, the claims ({ id, line, expected }, line
 * 1-based in `code`) and errors for a `// =>` on any other kind of line.
 */
export function rewriteClaims(code) {
  const claims = [];
  const errors = [];
  const out = code.split('\n').map((text, i) => {
    const mark = CLAIM_MARK.exec(text);
    if (mark === null) return text;
    const left = text.slice(0, mark.index);
    const expected = text.slice(mark.index + mark[0].length).trim();
    const m = /^(\s*)console\.log\((.*)\)\s*;?\s*$/.exec(left);
    if (m === null || m[2].trim() === '') {
      errors.push({ line: i + 1, message: `a \`${CLAIM}\` claim must follow a one-line \`console.log(…);\` statement: ${text.trim()}` });
      return text;
    }
    const id = claims.length;
    claims.push({ id, line: i + 1, expected });
    return `${m[1]}__claim(${id}, ${m[2]});`;
  });
  return { code: out.join('\n'), claims, errors };
}

/** A file name for a block: docs/images.md block at line 42 → docs-images-md-42. */
export function blockSlug(block) {
  return `${block.page.replace(/[^\w]+/g, '-')}-${block.startLine}`.replace(/^-+/, '');
}

/** The block's location in the markdown for line `line` of its generated file. */
export function markdownLine(block, line) {
  return block.startLine + line - 1 - HEADER_LINES;
}

const CLAIMS_MJS = `// Generated by test/docs/snippets.mjs: records what a claimed console.log printed.
import { appendFileSync } from 'node:fs';
import { format } from 'node:util';
export function __claim(id, ...args) {
  const text = format(...args);
  console.log(...args);
  const out = process.env.KERASM_SNIPPET_CLAIMS;
  if (out) appendFileSync(out, JSON.stringify({ id, got: text.trim() }) + '\\n');
}
`;
const CLAIMS_DTS = 'export declare function __claim(id: number, ...args: unknown[]): void;\n';

/**
 * Writes every block of `pages` (read from `root`) into `outDir` as described at the top, with the
 * tsconfigs for type-checking, and compiles the preludes. Returns { blocks, problems }: each block
 * gets `slug`, `checkFile`, `runFile`, `claims`, `prelude` (stem or null); `problems` are harness
 * errors per block ({ block, line, message }, line in the markdown) and per page ({ page, message }).
 */
export async function prepareSnippets({ root = REPO, outDir = DEFAULT_OUT, pages = listPages(root) } = {}) {
  rmSync(join(outDir, 'check'), { recursive: true, force: true });
  rmSync(join(outDir, 'run'), { recursive: true, force: true });
  rmSync(join(outDir, 'preludes'), { recursive: true, force: true });
  for (const d of ['check', 'run', 'preludes']) mkdirSync(join(outDir, d), { recursive: true });
  writeFileSync(join(outDir, 'claims.mjs'), CLAIMS_MJS);
  writeFileSync(join(outDir, 'claims.d.mts'), CLAIMS_DTS);

  // Preludes: copy the sources (and any .d.ts next to them), compile each .ts to a self-contained
  // .mjs (local imports bundled, packages left as imports).
  const preludeDir = join(root, 'docs', 'preludes');
  const preludes = new Map();
  const pageProblems = [];
  if (existsSync(preludeDir)) {
    const { build } = await import('esbuild');
    // Modules the preludes share (docs/preludes/shared/) are copied for the type check; esbuild
    // bundles them into each prelude's .mjs.
    if (existsSync(join(preludeDir, 'shared'))) cpSync(join(preludeDir, 'shared'), join(outDir, 'preludes', 'shared'), { recursive: true });
    for (const f of readdirSync(preludeDir)) {
      if (!f.endsWith('.ts')) continue;
      copyFileSync(join(preludeDir, f), join(outDir, 'preludes', f));
      if (f.endsWith('.d.ts')) continue;
      const stem = f.slice(0, -3);
      try {
        const names = preludeExports(readFileSync(join(preludeDir, f), 'utf8'), `docs/preludes/${f}`);
        await build({ entryPoints: [join(preludeDir, f)], outfile: join(outDir, 'preludes', `${stem}.mjs`), bundle: true,
          packages: 'external', format: 'esm', platform: 'node', target: 'node20', sourcemap: 'inline', logLevel: 'silent' });
        preludes.set(stem, names);
      } catch (e) {
        pageProblems.push({ page: `docs/preludes/${f}`, message: e instanceof Error ? e.message : String(e) });
      }
    }
  }

  const blocks = [];
  const problems = [...pageProblems];
  const { transform } = await import('esbuild');
  for (const page of pages) {
    const markdown = readFileSync(join(root, page), 'utf8');
    let found;
    try {
      found = extractBlocks(markdown, page);
    } catch (e) {
      problems.push({ page, message: e instanceof Error ? e.message : String(e) });
      continue;
    }
    const stem = preludeStem(page);
    const prelude = preludes.get(stem) ?? null;
    if (prelude !== null && !markdown.includes(`preludes/${stem}.ts`)) {
      problems.push({ page, message: `${page} has a prelude, docs/preludes/${stem}.ts, but does not link to it (preludes/${stem}.ts)` });
    } else if (prelude !== null && found.length > 0) {
      // Near the top: before the first block, the page links to the prelude and names (in
      // backticks) each of its names that the blocks use, so a reader knows where they come from.
      const before = markdown.split(/\r?\n/).slice(0, found[0].startLine - 2).join('\n');
      if (!before.includes(`preludes/${stem}.ts`)) {
        problems.push({ page, message: `${page} links to its prelude (preludes/${stem}.ts) only after its first code block (line ${found[0].startLine}); say near the top what the examples use and link to it` });
      }
      const all = [...prelude.values, ...prelude.types];
      const usedByPage = new Set(found.flatMap((b) => [...namesUsed(b.code, b.lang)].filter((n) => all.includes(n))));
      const unnamed = all.filter((n) => usedByPage.has(n) && !before.includes(`\`${n}\``));
      if (unnamed.length > 0) {
        problems.push({ page, message: `${page} uses ${unnamed.map((n) => `\`${n}\``).join(', ')} from preludes/${stem}.ts without naming ${unnamed.length === 1 ? 'it' : 'them'} (in backticks) before its first code block (line ${found[0].startLine})` });
      }
    }
    for (const block of found) {
      const slug = blockSlug(block);
      const { code, claims, errors } = rewriteClaims(block.code);
      const claimImport = "import { __claim } from '../claims.mjs';";
      // The prelude's names this block uses and does not declare itself; none: the prelude is not loaded.
      const used = prelude === null ? null : namesUsed(block.code, block.lang);
      const importLine = (ext) => {
        if (prelude === null) return '// (this page has no prelude)';
        const names = [...prelude.values.filter((n) => used.has(n)), ...(block.lang === 'ts' ? prelude.types.filter((n) => used.has(n) && !prelude.values.includes(n)).map((t) => `type ${t}`) : [])];
        return names.length === 0 ? `// (uses nothing from preludes/${stem}.ts)` : `import { ${names.join(', ')} } from '../preludes/${stem}.${ext}';`;
      };
      const checkFile = join(outDir, 'check', `${slug}.${block.lang === 'ts' ? 'ts' : 'mjs'}`);
      const runFile = join(outDir, 'run', `${slug}.mjs`);
      writeFileSync(checkFile, `${claimImport}\n${importLine('ts')}\n${code}`);
      let runCode = `${claimImport}\n${importLine('mjs')}\n${code}`;
      if (block.lang === 'ts') {
        try {
          runCode = (await transform(runCode, { loader: 'ts', format: 'esm', target: 'node20', sourcemap: 'inline',
            sourcefile: runFile.replace(/\.mjs$/, '.ts'), logLevel: 'silent' })).code;
        } catch (e) {
          // A syntax error: the type check reports it with its line; the run fails on it too.
          runCode = `throw new SyntaxError(${JSON.stringify(`esbuild could not compile the block: ${e instanceof Error ? e.message : e}`)});\n`;
        }
      }
      writeFileSync(runFile, runCode);
      const prepared = { ...block, slug, checkFile, runFile, claims, prelude: prelude === null ? null : stem };
      for (const e of errors) problems.push({ block: prepared, line: block.startLine + e.line - 1, message: e.message });
      blocks.push(prepared);
    }
  }

  // Two programs checked in one process: ts blocks strict, js blocks with checkJs (not strict).
  const base = { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022', 'DOM'], types: ['node'],
    typeRoots: [join(REPO, 'node_modules', '@types')], skipLibCheck: true, noEmit: true, allowImportingTsExtensions: true,
    resolveJsonModule: true, esModuleInterop: true };
  const dts = readdirSync(join(outDir, 'preludes')).filter((f) => f.endsWith('.d.ts')).map((f) => `preludes/${f}`);
  const files = (lang) => blocks.filter((b) => b.lang === lang).map((b) => relative(outDir, b.checkFile));
  writeFileSync(join(outDir, 'tsconfig.ts.json'), JSON.stringify({ compilerOptions: { ...base, strict: true }, files: [...dts, ...files('ts')] }, null, 2));
  writeFileSync(join(outDir, 'tsconfig.js.json'), JSON.stringify({ compilerOptions: { ...base, strict: false, allowJs: true, checkJs: true }, files: [...dts, ...files('js')] }, null, 2));
  writeFileSync(join(outDir, 'blocks.json'), JSON.stringify(blocks, null, 2));
  return { blocks, problems };
}

/**
 * Type-checks the blocks prepared in `outDir` (both tsconfigs, one process, source files shared
 * between the two programs). Returns { seconds, diagnostics: [{ file, line, message }] } with
 * `file` absolute and `line` 1-based.
 */
export function typecheckDir(outDir = DEFAULT_OUT) {
  const ts = require('typescript');
  const t0 = performance.now();
  const cache = new Map();
  const diagnostics = [];
  for (const name of ['tsconfig.ts.json', 'tsconfig.js.json']) {
    const configPath = join(outDir, name);
    const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } });
    if (parsed.fileNames.filter((f) => !f.endsWith('.d.ts')).length === 0) continue;
    const host = ts.createCompilerHost(parsed.options);
    const getSourceFile = host.getSourceFile.bind(host);
    // Libraries (lib.*.d.ts, @types/node, kerasm's .d.ts) parsed once for both programs.
    host.getSourceFile = (fileName, version, onError, create) => {
      const shareable = fileName.includes('node_modules') || fileName.endsWith('.d.ts');
      if (shareable && cache.has(fileName)) return cache.get(fileName);
      const sf = getSourceFile(fileName, version, onError, create);
      if (shareable && sf) cache.set(fileName, sf);
      return sf;
    };
    const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, host });
    for (const d of [...parsed.errors, ...ts.getPreEmitDiagnostics(program)]) {
      const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      if (d.file === undefined) {
        diagnostics.push({ file: null, line: 0, message: `TS${d.code}: ${message}` });
        continue;
      }
      const { line } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
      diagnostics.push({ file: resolve(d.file.fileName), line: line + 1, message: `TS${d.code}: ${message}` });
    }
  }
  return { seconds: (performance.now() - t0) / 1000, diagnostics };
}

/**
 * Type-checks in a child process (`node snippets.mjs typecheck <outDir>`), so the caller's event
 * loop stays free while blocks run. Resolves to typecheckDir's result.
 */
export async function typecheckInChild(outDir = DEFAULT_OUT, { timeoutMs = 180_000 } = {}) {
  const r = await runProcess(process.execPath, [fileURLToPath(import.meta.url), 'typecheck', outDir], { timeoutMs });
  const line = r.stdout.split('\n').find((l) => l.startsWith('KERASM_TYPECHECK '));
  if (r.code !== 0 || line === undefined) throw new Error(`the type check exited ${r.code}:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
  return JSON.parse(line.slice('KERASM_TYPECHECK '.length));
}

/** Type errors per block, as `page:line: TSnnnn: message` (lines in the markdown). */
export function typeErrorsByBlock(blocks, diagnostics, outDir = DEFAULT_OUT) {
  const byFile = new Map(blocks.map((b) => [resolve(b.checkFile), b]));
  const perBlock = new Map(blocks.map((b) => [b.slug, []]));
  const other = [];
  for (const d of diagnostics) {
    const block = d.file === null ? undefined : byFile.get(d.file);
    if (block === undefined) {
      // A prelude (copied into outDir/preludes) or a global problem: named by its source path.
      const file = d.file === null ? '(config)' : d.file.startsWith(join(outDir, 'preludes')) ? `docs/preludes/${relative(join(outDir, 'preludes'), d.file).split(sep).join('/')}` : d.file;
      other.push(`${file}:${d.line}: ${d.message}`);
      continue;
    }
    perBlock.get(block.slug).push(`${block.page}:${markdownLine(block, d.line)}: ${d.message}`);
  }
  return { perBlock, other };
}

function runProcess(cmd, args, { cwd = REPO, env = {}, timeoutMs = 60_000 } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
    }, timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => { clearTimeout(timer); resolvePromise({ code, signal, stdout, stderr, timedOut }); });
  });
}

/** Rewrites `<runFile>:L:C` (and the .ts source-mapped name) in output to `page:line`. */
function toMarkdownLines(text, block) {
  const names = [block.runFile, block.runFile.replace(/\.mjs$/, '.ts')];
  let out = text;
  for (const name of names) {
    for (const prefix of ['file://', '']) {
      const pattern = new RegExp(`${escapeRegExp(prefix + name)}:(\\d+)(?::\\d+)?`, 'g');
      out = out.replace(pattern, (_, l) => `${block.page}:${markdownLine(block, Number(l))}`);
    }
  }
  return out;
}

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Runs one prepared block: `node --enable-source-maps <runFile>` (the file's location decides
 * which kerasm it resolves). Resolves to { ok, seconds, failures, stdout,
 * stderr }: failures name page:line (a non-zero exit, a timeout, a claim that printed something
 * else or never ran).
 */
export async function runBlock(block, { timeoutMs = 60_000, cwd, env = {} } = {}) {
  // Each block runs in a fresh folder of its own (outDir/work/<slug>), where relative paths it
  // writes (a saved model) land.
  const workDir = cwd ?? join(dirname(dirname(block.runFile)), 'work', block.slug);
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const claimsFile = `${block.runFile}.claims.jsonl`;
  rmSync(claimsFile, { force: true });
  const t0 = performance.now();
  const r = await runProcess(process.execPath, ['--enable-source-maps', block.runFile], { cwd: workDir, timeoutMs, env: { ...env, KERASM_SNIPPET_CLAIMS: claimsFile } });
  const seconds = (performance.now() - t0) / 1000;
  const stdout = toMarkdownLines(r.stdout, block);
  const stderr = toMarkdownLines(r.stderr, block);
  const failures = [];
  const where = `${block.page}:${block.startLine}`;
  if (r.timedOut) failures.push(`${where}: timed out after ${timeoutMs / 1000} s`);
  else if (r.code !== 0) {
    // Node's own frames and version line say nothing about the page.
    const text = stderr.split('\n').filter((l) => !/^\s+at .*\(?node:internal\//.test(l) && !/^Node\.js v\d/.test(l)).join('\n').trim();
    failures.push(`${where}: exited ${r.code ?? r.signal}:\n${text.split('\n').slice(-25).join('\n')}`);
  }
  const seen = existsSync(claimsFile) ? readFileSync(claimsFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
  for (const claim of block.claims) {
    const at = `${block.page}:${block.startLine + claim.line - 1}`;
    const got = seen.filter((s) => s.id === claim.id);
    if (got.length === 0) {
      if (r.code === 0 && !r.timedOut) failures.push(`${at}: the claimed console.log never ran (expected ${JSON.stringify(claim.expected)})`);
      continue;
    }
    for (const g of got) {
      if (g.got !== claim.expected) failures.push(`${at}: printed ${JSON.stringify(g.got)}, the page claims ${JSON.stringify(claim.expected)}`);
    }
  }
  return { ok: failures.length === 0, seconds, failures, stdout, stderr };
}

/**
 * The npm packages (other than kerasm and Node's built-ins) that the pages' blocks and the preludes
 * name in `from '…'`, `import('…')`, `require('…')` or `….resolve('…')`: what a project
 * outside the repository needs installed to run them (test/runtimes/run.mjs links them in).
 */
export function packagesUsed(root = REPO, pages = listPages(root)) {
  const texts = pages.flatMap((page) => extractBlocks(readFileSync(join(root, page), 'utf8'), page).map((b) => b.code));
  const preludeDir = join(root, 'docs', 'preludes');
  if (existsSync(preludeDir)) {
    for (const dir of [preludeDir, join(preludeDir, 'shared')]) {
      if (!existsSync(dir)) continue;
      for (const f of readdirSync(dir)) if (f.endsWith('.ts')) texts.push(readFileSync(join(dir, f), 'utf8'));
    }
  }
  const names = new Set();
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\.resolve\s*\(\s*)['"`]([@\w][\w@./:-]*)/g;
  for (const text of texts) {
    for (const [, spec] of text.matchAll(pattern)) {
      if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:') || isBuiltin(spec)) continue;
      const parts = spec.split('/');
      const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
      if (name !== 'kerasm') names.add(name);
    }
  }
  return [...names].sort();
}

/**
 * A fresh output folder for this process, `<parent>/<prefix>-<pid>`, so that two runs at once (two
 * people's `npx vitest run test/docs`) do not overwrite each other's files. Folders of processes
 * that are gone are removed; this one's stays after the run, for a look.
 */
export function processOutDir(prefix = 'pages', parent = DEFAULT_OUT) {
  mkdirSync(parent, { recursive: true });
  for (const name of readdirSync(parent)) {
    const m = new RegExp(`^${escapeRegExp(prefix)}-(\\d+)$`).exec(name);
    if (m === null || Number(m[1]) === process.pid) continue;
    let alive = true;
    try { process.kill(Number(m[1]), 0); } catch (e) { alive = e?.code === 'EPERM'; }
    if (!alive) rmSync(join(parent, name), { recursive: true, force: true });
  }
  const dir = join(parent, `${prefix}-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Runs `jobs` (functions returning promises) at most `limit` at a time; resolves to their promises, in order. */
export function pool(jobs, limit = 2) {
  const results = new Array(jobs.length);
  let next = 0;
  const settled = jobs.map(() => {
    let res;
    let rej;
    const p = new Promise((a, b) => { res = a; rej = b; });
    return { p, res, rej };
  });
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      try { settled[i].res(await jobs[i]()); } catch (e) { settled[i].rej(e); }
    }
  };
  for (let k = 0; k < Math.min(limit, jobs.length); k++) void worker();
  for (let i = 0; i < jobs.length; i++) results[i] = settled[i].p;
  return results;
}

/**
 * Everything, for scripts: prepare, type-check (in a child process, alongside the runs), run every
 * block 2 at a time. Resolves to { blocks, problems, typecheck, typeErrors, runs, seconds }.
 */
export async function checkAll({ root = REPO, outDir = DEFAULT_OUT, pages, cwd, concurrency = 2, timeoutMs = 60_000, env } = {}) {
  const t0 = performance.now();
  const prepared = await prepareSnippets({ root, outDir, pages: pages ?? listPages(root) });
  const jobs = [() => typecheckInChild(outDir), ...prepared.blocks.map((b) => () => runBlock(b, { timeoutMs, cwd, env }))];
  const [typecheck, ...runs] = await Promise.all(pool(jobs, concurrency));
  const typeErrors = typeErrorsByBlock(prepared.blocks, typecheck.diagnostics, outDir);
  return { ...prepared, typecheck, typeErrors, runs, seconds: (performance.now() - t0) / 1000 };
}

/** A one-paragraph text summary of checkAll's result; `failed` counts blocks and problems that failed. */
export function summarize(result) {
  const lines = [];
  let failed = 0;
  for (const p of result.problems) {
    failed++;
    lines.push(p.block ? `${p.block.page}:${p.line}: ${p.message}` : `${p.page}: ${p.message}`);
  }
  for (const o of result.typeErrors.other) {
    failed++;
    lines.push(o);
  }
  result.blocks.forEach((b, i) => {
    const errs = [...result.typeErrors.perBlock.get(b.slug), ...result.runs[i].failures];
    if (errs.length > 0) {
      failed++;
      lines.push(...errs);
    }
  });
  return { failed, passed: result.blocks.length - result.blocks.filter((b, i) => result.typeErrors.perBlock.get(b.slug).length + result.runs[i].failures.length > 0).length, text: lines.join('\n') };
}

// node test/docs/snippets.mjs typecheck <outDir>: the child process of typecheckInChild.
// node test/docs/snippets.mjs [page ...]: prepare, check and run from the command line.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [cmd, ...rest] = process.argv.slice(2);
  if (cmd === 'typecheck') {
    const result = typecheckDir(rest[0] ?? DEFAULT_OUT);
    console.log(`KERASM_TYPECHECK ${JSON.stringify(result)}`);
  } else {
    const pages = [cmd, ...rest].filter((p) => p !== undefined);
    const result = await checkAll({ pages: pages.length > 0 ? pages : undefined, outDir: processOutDir('cli') });
    const s = summarize(result);
    if (s.text) console.log(s.text);
    console.log(`docs snippets: ${result.blocks.length} blocks, ${s.failed} failed; type check ${result.typecheck.seconds.toFixed(1)} s; total ${result.seconds.toFixed(1)} s`);
    process.exitCode = s.failed === 0 ? 0 : 1;
  }
}
