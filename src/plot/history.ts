// Reading what `fit` returned: a History (`{ epoch, history }`) or its `history` record alone.
import { invalidArgument, show, ValueError } from '../errors.js';

/** The part of a History the plots and `diagnose` read. */
export interface HistoryLike {
  /** Per-key epoch values: `loss`, `val_loss`, `accuracy`, `val_accuracy`, … */
  history: Record<string, readonly number[]>;
  /** 0-based epoch indices (from `initialEpoch`); default 0, 1, 2, … */
  epoch?: readonly number[];
}

export interface ReadHistory {
  logs: Record<string, readonly number[]>;
  /** 1-based epoch numbers, as the progress bar prints them (`Epoch 3/20`). */
  epochs: number[];
}

/** Validate a History (or its `history` record) and number its epochs from 1. */
export function readHistory(value: unknown, argName = 'history'): ReadHistory {
  const expected = 'a History returned by fit() (or its `history` record of per-epoch arrays)';
  if (value === null || typeof value !== 'object') throw invalidArgument(argName, expected, value);
  const v = value as { history?: unknown; epoch?: unknown };
  const record = v.history !== null && typeof v.history === 'object' && !Array.isArray(v.history) ? v.history : value;
  const logs: Record<string, readonly number[]> = {};
  let length = -1;
  for (const [key, series] of Object.entries(record as Record<string, unknown>)) {
    if (!Array.isArray(series) || !series.every((x) => typeof x === 'number')) throw invalidArgument(`${argName}.${key}`, 'an array of numbers', series);
    if (length >= 0 && series.length !== length) {
      throw new ValueError(`Invalid value received for argument \`${argName}\`: expected per-epoch arrays of one length. Received: ${argName}=${Object.entries(record as Record<string, unknown[]>).map(([k, s]) => `${k}: ${s.length}`).join(', ')}`);
    }
    length = series.length;
    logs[key] = series as number[];
  }
  if (length <= 0) throw invalidArgument(argName, `${expected} with at least one epoch`, Object.keys(logs).length === 0 ? value : `${show(Object.keys(logs))} with 0 epochs`);
  const ep = Array.isArray(v.epoch) && v.epoch.length === length && v.epoch.every((e) => Number.isInteger(e)) ? (v.epoch as number[]) : null;
  const epochs = Array.from({ length }, (_, i) => (ep === null ? i : ep[i]!) + 1);
  return { logs, epochs };
}

/** The accuracy-like metric recorded for training and validation (`accuracy`, `acc`, `categorical_accuracy`…), if any. */
export function accuracyKey(logs: Record<string, readonly number[]>): string | null {
  const keys = Object.keys(logs).filter((k) => !k.startsWith('val_'));
  return keys.find((k) => k === 'accuracy') ?? keys.find((k) => k === 'acc') ?? keys.find((k) => /acc/i.test(k)) ?? null;
}
