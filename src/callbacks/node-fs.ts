// Node's file system, imported on first use so browsers and edge runtimes never load it.
import { KerasmError } from '../errors.js';

export type NodeFs = typeof import('node:fs/promises');
export type NodePath = typeof import('node:path');

/** `node:fs/promises` and `node:path`, or a KerasmError naming the callback outside Node. */
export async function nodeFs(who: string): Promise<{ fs: NodeFs; path: NodePath }> {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  if (proc?.versions?.node === undefined) throw new KerasmError(`${who} writes files and needs Node (node:fs).`);
  const [fs, path] = await Promise.all([import('node:fs/promises'), import('node:path')]);
  return { fs, path };
}

/** A `file://` URL or a plain path → a plain path; null for other schemes (`http://`, `indexeddb://`…). */
export function filePath(target: string): string | null {
  if (target.startsWith('file://')) return target.slice('file://'.length);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) return null;
  return target;
}
