// The Keras-style progress bar: `63/250 ━━━━━━━━━━━━━━━━━━━━ 1s 5ms/step - accuracy: 0.8124 - loss: 0.6210`.

interface Sink {
  write(s: string): unknown;
  isTTY?: boolean;
}

function defaultSink(): Sink | null {
  const proc = (globalThis as { process?: { stdout?: Sink } }).process;
  return proc?.stdout ?? null;
}

function formatTime(seconds: number): string {
  if (seconds >= 3600) return `${Math.floor(seconds / 3600)}:${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;
  if (seconds >= 60) return `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;
  return `${Math.round(seconds)}s`;
}

function formatValue(v: number): string {
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(4) : v.toFixed(4);
}

export class ProgressBar {
  private readonly sink: Sink | null;
  private readonly tty: boolean;
  private readonly width = 20;
  private start = 0;
  private lastDraw = 0;
  private lastLen = 0;
  private readonly total: number;
  constructor(total: number, sink: Sink | null = defaultSink()) {
    this.total = total;
    this.sink = sink;
    this.tty = sink?.isTTY === true;
  }

  static epochHeader(epoch: number, epochs: number, sink: Sink | null = defaultSink()): void {
    sink?.write(`Epoch ${epoch}/${epochs}\n`);
  }

  begin(): void {
    this.start = performance.now();
    this.lastDraw = 0;
  }

  /** Redraw at most every 100 ms on a terminal; `values` is read only when drawing. */
  update(done: number, values: () => [string, number][]): void {
    if (!this.tty || this.sink === null) return;
    const now = performance.now();
    if (now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const elapsed = (now - this.start) / 1000;
    const eta = done > 0 ? (elapsed / done) * (this.total - done) : 0;
    this.draw(done, `${formatTime(eta)}`, values());
  }

  /** The final line of the epoch (always printed). */
  end(values: [string, number][]): void {
    if (this.sink === null) return;
    const elapsed = (performance.now() - this.start) / 1000;
    const perStep = this.total > 0 ? (elapsed * 1000) / this.total : 0;
    const step = perStep >= 1 ? `${Math.round(perStep)}ms/step` : `${Math.round(perStep * 1000)}us/step`;
    this.draw(this.total, `${formatTime(elapsed)} ${step}`, values);
    this.sink.write('\n');
  }

  private draw(done: number, time: string, values: [string, number][]): void {
    const filled = this.total > 0 ? Math.round((done / this.total) * this.width) : this.width;
    const bar = '━'.repeat(filled) + (filled < this.width ? '\x1b[2m' + '━'.repeat(this.width - filled) + '\x1b[0m' : '');
    const digits = String(this.total).length;
    const metrics = values.map(([k, v]) => ` - ${k}: ${formatValue(v)}`).join('');
    const line = `${String(done).padStart(digits)}/${this.total} ${this.tty ? bar : '━'.repeat(this.width)} ${time}${metrics}`;
    const pad = this.tty && this.lastLen > line.length ? ' '.repeat(this.lastLen - line.length) : '';
    this.lastLen = line.length;
    this.sink!.write(this.tty ? `\r${line}${pad}` : line);
  }
}
