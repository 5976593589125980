// Node, Deno and Bun: `<runtime> cli.mjs` in a folder where the kerasm tarball is installed.
import * as km from 'kerasm';
import { smoke } from './smoke.mjs';

const result = await smoke(km);
console.log(`KERASM_SMOKE ${JSON.stringify(result)}`);
