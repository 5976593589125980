// jsfive ships no types: the little the Keras-file tests use of it.
declare module 'jsfive' {
  export class File {
    constructor(buffer: ArrayBuffer, filename?: string);
    readonly attrs: Record<string, unknown>;
    readonly keys: string[];
    get(path: string): unknown;
  }
}
