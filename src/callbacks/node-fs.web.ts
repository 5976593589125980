// node-fs.ts for browser and Worker bundles (package.json "browser" field): the same functions
// without a node: import, so bundlers for the web need no Node built-ins.
import { KerasmError } from '../errors.js';
import type * as node from './node-fs.js';

export type { NodeFs, NodePath } from './node-fs.js';

/** No file system here: the callback that asked says so. */
export const nodeFs: typeof node.nodeFs = async (who) => {
  throw new KerasmError(`${who} writes files and needs Node (node:fs).`);
};

/** As in node-fs.ts: a `file://` URL or a plain path → a plain path; null for other schemes. */
export const filePath: typeof node.filePath = (target) => {
  if (target.startsWith('file://')) return target.slice('file://'.length);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) return null;
  return target;
};
