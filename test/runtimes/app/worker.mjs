// Cloudflare workerd: the .wasm builds are imported as compiled WebAssembly.Modules (workerd does
// not compile wasm from bytes) and handed to km.ready.
import * as km from 'kerasm';
import simd from 'kerasm/wasm/kerasm.simd.wasm';
import relaxed from 'kerasm/wasm/kerasm.relaxed.wasm';
import { smoke } from './smoke.mjs';

export default {
  async fetch() {
    try {
      return Response.json(await smoke(km, { module: simd, relaxedModule: relaxed }));
    } catch (e) {
      return Response.json({ problems: [`threw: ${e && e.stack ? e.stack : e}`] }, { status: 500 });
    }
  },
};
