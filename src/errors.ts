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
 * Reject option names that are not known, so a typo (`epoch` for `epochs`, `activaton`) fails
 * instead of being ignored. Keras: "Unrecognized keyword arguments passed to Dense: {...}".
 */
export function checkOptionNames(args: object, known: readonly string[], where: string): void {
  const unknown = Object.keys(args).filter((k) => !known.includes(k));
  if (unknown.length > 0) {
    throw new ValueError(`Unrecognized options passed to ${where}: ${unknown.join(', ')}. Known options: ${known.join(', ')}`);
  }
}
