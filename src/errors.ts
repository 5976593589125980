/** Everything kerasm throws is a KerasmError. */
export class KerasmError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KerasmError';
  }
}

/** A bad argument, shape or value. Keras: `ValueError`. */
export class ValueError extends KerasmError {
  constructor(message: string) {
    super(message);
    this.name = 'ValueError';
  }
}

/** A call made in the wrong state: before `ready()`, before `compile()`, after `dispose()`. */
export class StateError extends KerasmError {
  constructor(message: string) {
    super(message);
    this.name = 'StateError';
  }
}

/** Render a received value the way Keras prints it in an error. */
export function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as unknown as ArrayLike<number>).length})`;
  try {
    const s = JSON.stringify(value);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** ``Invalid value received for argument `name`: expected <expected>. Received: name=<value>`` */
export function invalidArgument(name: string, expected: string, value: unknown): ValueError {
  return new ValueError(`Invalid value received for argument \`${name}\`: expected ${expected}. Received: ${name}=${show(value)}`);
}

/** The same wording, where the received part is a description (`NaN at sample 3`) rather than a value. */
export function invalidArgumentAt(name: string, expected: string, description: string): ValueError {
  return new ValueError(`Invalid value received for argument \`${name}\`: expected ${expected}. Received: ${name}=${description}`);
}

export function checkPositiveInt(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw invalidArgument(name, 'a positive integer', value);
  }
  return value;
}

export function checkNonNegativeInt(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw invalidArgument(name, 'a non-negative integer', value);
  }
  return value;
}

export function checkFinite(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalidArgument(name, 'a finite number', value);
  }
  return value;
}

export function checkNonNegative(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalidArgument(name, 'a non-negative finite number', value);
  }
  return value;
}

export function checkPositive(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw invalidArgument(name, 'a positive finite number', value);
  }
  return value;
}

/** A number in [lo, hi). */
export function checkRate(name: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw invalidArgument(name, 'a number in [0, 1)', value);
  }
  return value;
}

export function checkBoolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw invalidArgument(name, 'a boolean', value);
  return value;
}

/**
 * Keras / TF.js spellings kerasm recognizes, mapped to its own option name. snake_case names
 * need no row: `learning_rate` is matched to `learningRate` by spelling. A row here is for a
 * name that differs in more than case.
 */
const OPTION_ALIASES: Readonly<Record<string, string>> = {
  lr: 'learningRate',
  layer: 'layers',
  callback: 'callbacks',
  metric: 'metrics',
  losses: 'loss',
  restoreBest: 'restoreBestWeights',
  /** Keras 3 `Input(batch_shape=...)` / InputLayer config. */
  batch_shape: 'batchInputShape',
  batchShape: 'batchInputShape',
  /** TF.js `tf.train.momentum(lr, momentum, useNesterov)`. */
  useNesterov: 'nesterov',
};

/** `learning_rate` → `learningRate`. */
export function camelCase(name: string): string {
  return name.replace(/_+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The known option a foreign spelling means (`lr`, `learning_rate` → `learningRate`), or null. */
export function aliasOf(name: string, known: readonly string[]): string | null {
  const explicit = Object.hasOwn(OPTION_ALIASES, name) ? OPTION_ALIASES[name]! : null;
  if (explicit !== null && known.includes(explicit)) return explicit;
  const camel = camelCase(name);
  if (camel !== name && known.includes(camel)) return camel;
  const lower = name.toLowerCase();
  const sameLetters = known.find((k) => k.toLowerCase() === lower);
  return sameLetters ?? null;
}

/**
 * Reject option names that are not known, so a typo (`epoch` for `epochs`, `activaton`) or a
 * Keras spelling (`learning_rate`) fails instead of being ignored. Keras: "Unrecognized keyword
 * arguments passed to Dense: {...}". A name kerasm recognizes as another library's spelling is
 * answered with kerasm's (`Use learningRate instead of learning_rate`). Every options object of
 * the public API goes through this one function.
 */
export function checkOptionNames(args: object, known: readonly string[], where: string): void {
  const unknown = Object.keys(args).filter((k) => !known.includes(k));
  if (unknown.length === 0) return;
  const hints = unknown.flatMap((k) => {
    const alias = aliasOf(k, known);
    return alias === null ? [] : [`\`${alias}\` instead of \`${k}\``];
  });
  const hint = hints.length === 0 ? '' : ` Use ${hints.join(', ')} (kerasm's option names are TF.js's: camelCase).`;
  throw new ValueError(`Unrecognized options passed to ${where}: ${unknown.join(', ')}.${hint} Known options: ${known.length === 0 ? 'none' : known.join(', ')}`);
}

/**
 * `checkOptionNames` after the options-object check: `args` must be a plain object (or
 * undefined, when every option is optional). Returns the object to read options from.
 */
export function checkOptions<T extends object>(args: T | undefined, known: readonly string[], where: string, optional = true): T {
  if (args === undefined && optional) return {} as T;
  if (args === null || typeof args !== 'object' || Array.isArray(args)) {
    throw invalidArgument('args', `an options object for ${where} { ${known.join(', ')} }`, args);
  }
  checkOptionNames(args, known, where);
  return args;
}

const warnedConfigKeys = new Set<string>();

/**
 * Keys of a layer config read from a file that kerasm does not know (a newer Keras writes
 * more): a warning, once per class and key set, instead of an error: the file is data that
 * kerasm did not write.
 */
export function warnUnknownConfigKeys(config: Record<string, unknown>, known: readonly string[], className: string): void {
  const unknown = Object.keys(config).filter((k) => !known.includes(k));
  if (unknown.length === 0) return;
  const key = `${className}:${unknown.sort().join(',')}`;
  if (warnedConfigKeys.has(key)) return;
  warnedConfigKeys.add(key);
  console.warn(`kerasm: ignoring config keys of ${className} that kerasm does not read: ${unknown.join(', ')}`);
}
