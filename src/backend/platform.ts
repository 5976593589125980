// What Node, Deno and Bun have and the web has not: reading file: URLs and counting cores. The only
// Node-only imports of the library's main thread are here, loaded on first use and behind a Node
// check. Browser and Worker bundles get platform.web.ts instead (package.json "browser" field), so
// bundlers never meet a node: import.

function isNodeLike(): boolean {
  const proc = (globalThis as { process?: { versions?: { node?: unknown } } }).process;
  return typeof proc?.versions?.node === 'string';
}

/** The bytes at a file: URL, or null where there is no node:fs (the caller fetches it then). */
export async function readFileUrl(url: URL): Promise<Uint8Array | null> {
  if (!isNodeLike()) return null;
  const fs = await import('node:fs/promises');
  return fs.readFile(url);
}

/** Cores of this machine from node:os, or null where there is no node:os. */
export async function nodeCores(): Promise<number | null> {
  if (!isNodeLike()) return null;
  try {
    const os = await import('node:os');
    return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  } catch {
    return null;
  }
}
