// The API reference (issue 19): `npm run docs` runs TypeDoc with typedoc.json, which treats
// warnings as errors and validates that every exported symbol is documented, every type a
// signature uses is in the reference (or @internal), and every {@link} resolves. This test runs
// the same configuration through TypeDoc's API, writing into a temporary folder, and lists every
// warning and error when there are any. It runs in the `simd` vitest project only (the others
// include no test/docs file).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { Application, LogLevel, Logger } from 'typedoc';

/** Keeps every warning and error TypeDoc reports, with its level. */
class CollectingLogger extends Logger {
  readonly messages: string[] = [];
  override log(message: string, level: LogLevel): void {
    super.log(message, level);
    if (level === LogLevel.Warn) this.messages.push(`warning: ${message}`);
    else if (level === LogLevel.Error) this.messages.push(`error: ${message}`);
  }
}

const out = mkdtempSync(join(tmpdir(), 'kerasm-typedoc-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

test('npm run docs: TypeDoc builds the API reference from typedoc.json with no warning and no error', async () => {
  // The repository's typedoc.json (read from the working directory, the repository root), with
  // only the output folder changed.
  const app = await Application.bootstrapWithPlugins({ options: 'typedoc.json', out });
  const logger = new CollectingLogger();
  app.logger = logger;
  expect(app.options.getValue('treatWarningsAsErrors')).toBe(true);
  expect(app.options.getValue('validation')).toMatchObject({ notExported: true, invalidLink: true, notDocumented: true });

  const project = await app.convert();
  expect(project, logger.messages.join('\n')).toBeDefined();
  app.validate(project!);
  await app.generateDocs(project!, out);

  expect(logger.messages, `${logger.messages.length} TypeDoc warnings or errors:\n${logger.messages.join('\n')}`).toEqual([]);
  expect(logger.errorCount + logger.warningCount).toBe(0);
}, 120_000);
