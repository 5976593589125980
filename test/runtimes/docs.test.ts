// The README and docs/ as a clone (or the tarball's README) has them: every relative link and every
// file path in backticks resolves inside the repository, anchors included, and nothing points out
// of it (`../shared/DESIGN.md` did: a clone has no such folder).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOCS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchorsOf(file: string): Set<string> {
  const text = readFileSync(join(ROOT, file), 'utf8').replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#+ (.+)$/gm)].map((m) => m[1]!.trim().toLowerCase().replace(/[^\p{L}\p{N}\- _]/gu, '').replace(/ /g, '-')));
}

/** Markdown link targets outside code blocks, and backticked relative paths to files we ship or keep. */
function referencesOf(file: string): { kind: string; target: string }[] {
  const text = readFileSync(join(ROOT, file), 'utf8').replace(/```[\s\S]*?```/g, '');
  const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => ({ kind: 'link', target: m[1]! }));
  const paths = [...text.matchAll(/`(\.{0,2}\/?[\w.-]+(?:\/[\w.*-]+)+\.(?:md|mjs|ts|json|svg))`/g)].map((m) => ({ kind: 'path', target: m[1]! }));
  return [...links, ...paths].filter((r) => !/^[a-z]+:/.test(r.target));
}

describe.each(DOCS)('%s', (file) => {
  test('every relative link and file path resolves inside the repository', () => {
    const problems: string[] = [];
    for (const { kind, target } of referencesOf(file)) {
      const [path, anchor] = target.split('#') as [string, string | undefined];
      const resolved = path === '' ? join(ROOT, file) : normalize(join(ROOT, kind === 'link' ? dirname(file) : '', path));
      if (relative(ROOT, resolved).startsWith('..')) problems.push(`${target}: outside the repository`);
      else if (kind === 'path' && target.includes('*')) continue;
      else if (!existsSync(resolved)) problems.push(`${target}: no such file`);
      else if (anchor !== undefined && resolved.endsWith('.md') && !anchorsOf(relative(ROOT, resolved)).has(anchor)) problems.push(`${target}: no such heading`);
    }
    expect(problems).toEqual([]);
  });
});

test('the README: install and test need only Node and npm, every guide is one click away, decisions live in docs/design.md', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const requirements = readme.slice(readme.indexOf('Requirements:'), readme.indexOf('## Install'));
  expect(requirements).toContain('Node 20 or newer and npm');
  expect(requirements).not.toMatch(/npm test[^.]*chromium/i);
  expect(readme).toContain('npm start -- --quick');
  expect(readme).toMatch(/npm install \.\.\/kerasm\/kerasm-0\.1\.0\.tgz +# [\d.]+ s/);
  expect(readme).toContain('](docs/design.md)');
  expect(readme).not.toMatch(/^Lab decisions:|^Decisions:$/m);
  // The README is a front page (issue 19): the how-to lives in the guides, each linked from it.
  expect(readme.split('\n').length).toBeLessThan(200);
  for (const page of DOCS.filter((d) => d !== 'README.md')) expect(readme, `README.md links ${page}`).toContain(`](${page}`);
  expect(readFileSync(join(ROOT, 'docs/design.md'), 'utf8')).toMatch(/^# kerasm — architecture and decisions\n/);
});
