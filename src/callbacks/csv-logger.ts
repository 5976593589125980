// CSVLogger (Keras 3: keras/src/callbacks/csv_logger.py): one CSV row per epoch, `epoch` then
// the log keys sorted (val_ columns added, "NA", when the first epoch has none), Python csv's
// excel dialect (\r\n line ends). Node only; each row is appended and flushed at epoch end.
import { checkOptions, invalidArgument } from '../errors.js';
import { Callback } from './callback.js';
import type { Logs } from './callback.js';
import { nodeFs } from './node-fs.js';

/** Options of {@link CSVLogger}. */
export interface CSVLoggerArgs {
  /** Field separator. Default `','`. */
  separator?: string;
  /** Append to an existing file (its header is kept) instead of overwriting it. Default false. */
  append?: boolean;
}

/** Streams epoch results to a CSV file. Keras: `keras.callbacks.CSVLogger`. */
export class CSVLogger extends Callback {
  /** The file written (a `file://` prefix removed). */
  readonly filename: string;
  /** The field separator. */
  readonly separator: string;
  /** Whether rows are appended to an existing file. */
  readonly append: boolean;
  private keys: string[] | null = null;
  private writeHeader = true;

  constructor(filename: string, args: CSVLoggerArgs = {}) {
    super();
    if (typeof filename !== 'string' || filename.length === 0) throw invalidArgument('filename', 'a file path', filename);
    checkOptions(args, ['separator', 'append'], 'CSVLogger', false);
    this.filename = filename.startsWith('file://') ? filename.slice('file://'.length) : filename;
    this.separator = args.separator ?? ',';
    if (typeof this.separator !== 'string' || this.separator.length === 0) throw invalidArgument('separator', 'a non-empty string', args.separator);
    this.append = args.append ?? false;
    if (typeof this.append !== 'boolean') throw invalidArgument('append', 'a boolean', args.append);
  }

  /** Truncate the file (or, with `append`, check whether it already has a header). */
  async onTrainBegin(): Promise<void> {
    const { fs } = await nodeFs('csvLogger');
    this.keys = null;
    this.writeHeader = true;
    if (this.append) {
      const text = await fs.readFile(this.filename, 'utf8').catch(() => '');
      this.writeHeader = text.split(/\r?\n/, 1)[0]!.length === 0;
    } else {
      await fs.writeFile(this.filename, '');
    }
  }

  private field(v: string): string {
    return v.includes(this.separator) || v.includes('"') || /[\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
  }

  /** Append the epoch's row: `epoch`, then the log keys in sorted order (`NA` where a key is missing), header first. */
  async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    const { fs } = await nodeFs('csvLogger');
    if (this.keys === null) {
      const keys = Object.keys(logs).sort();
      if (keys.length > 0 && !keys.some((k) => k.startsWith('val_'))) keys.push(...keys.map((k) => `val_${k}`));
      this.keys = keys;
    }
    let text = '';
    if (this.writeHeader) {
      text += ['epoch', ...this.keys].map((k) => this.field(k)).join(this.separator) + '\r\n';
      this.writeHeader = false;
    }
    const row = [String(epoch), ...this.keys.map((k) => (logs[k] === undefined ? 'NA' : String(logs[k])))];
    text += row.map((v) => this.field(v)).join(this.separator) + '\r\n';
    await fs.appendFile(this.filename, text);
  }
}
