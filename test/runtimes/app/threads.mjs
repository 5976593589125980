// Chromium with cross-origin isolation (COOP/COEP headers): the smoke test on the threads build
// with two threads, run on a page's main thread (which cannot block: the pool spins) or in a
// dedicated Worker (which can), then again on one thread: the weights must be bit-identical.
// Imports nothing but what the caller hands in (the namespace `km` and the `smoke` function).

/** Whether this thread may block in Atomics.wait (a page's main thread may not). */
function canBlock() {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

export async function threadsSmoke(km, smoke) {
  const problems = [];
  if (globalThis.crossOriginIsolated !== true) problems.push(`crossOriginIsolated is ${globalThis.crossOriginIsolated}`);
  // Two threads explicitly: the CI machine has two cores.
  const two = await smoke(km, { threads: 2 });
  const info = km.backendInfo();
  if (info.build !== 'threads' || info.threadCount !== 2) problems.push(`expected the threads build with 2 threads, got ${JSON.stringify(info)}`);
  // Batches of 256 split the GEMMs too (batches of 32 are below the split threshold; predict is not).
  const twoWide = await smoke(km, {}, { batchSize: 256 });
  await km.setThreads(1);
  const oneInfo = km.backendInfo();
  if (oneInfo.threadCount !== 1) problems.push(`setThreads(1) left threadCount ${oneInfo.threadCount}`);
  const one = await smoke(km);
  const oneWide = await smoke(km, {}, { batchSize: 256 });
  for (const [name, a, b] of [['batch 32', two, one], ['batch 256', twoWide, oneWide]]) {
    problems.push(...a.problems.map((p) => `2 threads, ${name}: ${p}`), ...b.problems.map((p) => `1 thread, ${name}: ${p}`));
    if (a.weights !== b.weights) problems.push(`${name}: weights #${a.weights} with 2 threads, #${b.weights} with 1`);
    if (a.checksum !== b.checksum) problems.push(`${name}: predictions #${a.checksum} with 2 threads, #${b.checksum} with 1`);
  }
  // Workers start again after being stopped.
  await km.setThreads(2);
  const again = await smoke(km);
  if (km.backendInfo().threadCount !== 2 || again.weights !== one.weights) {
    problems.push(`after setThreads(2) again: threadCount ${km.backendInfo().threadCount}, weights #${again.weights} (want #${one.weights})`);
  }
  await km.shutdown();
  return { ...two, crossOriginIsolated: globalThis.crossOriginIsolated, canBlock: canBlock(),
    weightsOneThread: one.weights, weightsWide: twoWide.weights, problems };
}
