// platform.ts for browser and Worker bundles (package.json "browser" field): no node: imports.
import type * as node from './platform.js';

/** No file system here: the caller fetches the URL. */
export const readFileUrl: typeof node.readFileUrl = async () => null;

/** No node:os here: the caller asks navigator.hardwareConcurrency. */
export const nodeCores: typeof node.nodeCores = async () => null;
