// Request bodies of the serving example (examples/serve.mjs): TF Serving's REST forms and a plain
// JSON array, read into one Float32Array of rows, with a 400 message that names the element at
// fault. Also the response: each row's prediction as nested arrays of the output shape.
//   { "instances": [x0, x1, ...] }  -> { "predictions": [y0, y1, ...] }   (TF Serving's row form)
//   { "inputs": [x0, x1, ...] }     -> { "outputs": [y0, y1, ...] }       (its columnar form, one input)
//   [x0, x1, ...]                    -> [y0, y1, ...]                      (a plain list of instances)
//   x0                               -> y0                                 (a plain single instance)
// Each xi is a nested array of the model's input shape (no batch axis), e.g. 784 numbers for the
// seed MLP, 28 lists of 28 lists of 1 number for the convnet.

/** The client's body is at fault: a 400 (413 for too many instances), with a message for the client. */
export class BadRequest extends Error {
  constructor(message, status = 400) {
    super(message);
    this.status = status;
  }
}

const describe = (v) => (v === null ? 'null' : Array.isArray(v) ? `a list of ${v.length}` : typeof v === 'string' ? `the string ${JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}…` : v)}` : typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`);
const fmtShape = (shape) => `[${shape.join(', ')}]`;

/** Nesting depth along the first elements: 0 for a number, 1 for [1, 2], 2 for [[1], [2]]. */
function depth(v) {
  let d = 0;
  while (Array.isArray(v) && v.length > 0) {
    d++;
    v = v[0];
  }
  return Array.isArray(v) ? d + 1 : d;
}

/**
 * Write one instance (nested arrays of `shape`) into `out` from `offset`; returns the next
 * offset. `where` names the instance in messages, e.g. `instances[3]`.
 */
function writeInstance(v, shape, out, offset, where) {
  const size = shape.reduce((a, b) => a * b, 1);
  if (shape.length > 1 && Array.isArray(v) && v.length === size && v.every((e) => typeof e === 'number')) {
    throw new BadRequest(`${where} is a flat list of ${size} numbers; this model takes instances of shape ${fmtShape(shape)}: nest them (reshape each instance to ${fmtShape(shape)} before JSON.stringify)`);
  }
  const walk = (node, axis, path) => {
    const n = shape[axis];
    if (!Array.isArray(node)) {
      throw new BadRequest(`${path} is ${describe(node)}; expected a list of ${n} (each instance has shape ${fmtShape(shape)})`);
    }
    if (node.length !== n) {
      throw new BadRequest(`${path} is a list of ${node.length}; expected ${n} (each instance has shape ${fmtShape(shape)})`);
    }
    if (axis === shape.length - 1) {
      for (let i = 0; i < n; i++) {
        const e = node[i];
        const f = Math.fround(e);
        if (typeof e !== 'number' || !Number.isFinite(f)) {
          const what = typeof e === 'number' ? `${e}, which is not a finite float32` : describe(e);
          throw new BadRequest(`${path}[${i}] is ${what}; expected a number (each instance has shape ${fmtShape(shape)})`);
        }
        out[offset++] = f;
      }
      return;
    }
    for (let i = 0; i < n; i++) walk(node[i], axis + 1, `${path}[${i}]`);
  };
  walk(v, 0, where);
  return offset;
}

/** A list of instances → rows; `key` names the list in messages. */
function readList(list, shape, key, maxInstances) {
  const size = shape.reduce((a, b) => a * b, 1);
  const name = key === 'body' ? 'the body' : `"${key}"`;
  if (!Array.isArray(list)) throw new BadRequest(`${name} is ${describe(list)}; expected a list of instances, each of shape ${fmtShape(shape)}`);
  if (list.length === 0) throw new BadRequest(`${name} is empty; send at least one instance of shape ${fmtShape(shape)}`);
  if (depth(list) === shape.length) {
    throw new BadRequest(`${name} is a list of ${list.length} ${shape.length === 1 ? 'numbers' : 'lists'}, that is one instance, not a list of instances of shape ${fmtShape(shape)}: wrap a single instance, {"${key}": [[...]]}`);
  }
  if (list.length > maxInstances) {
    throw new BadRequest(`${name} has ${list.length} instances; this server takes at most ${maxInstances} per request: split the request`, 413);
  }
  const x = new Float32Array(list.length * size);
  let offset = 0;
  for (let i = 0; i < list.length; i++) offset = writeInstance(list[i], shape, x, offset, `${key}[${i}]`);
  return { x, rows: list.length };
}

/**
 * Parse a request body (a string) for a model whose instances have `shape`. Returns
 * `{ x, rows, form }`, form being 'instances' | 'inputs' | 'list' | 'single' (how to answer).
 * Throws BadRequest with the message a client needs.
 */
export function parseBody(text, shape, maxInstances) {
  let body;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw new BadRequest(`the request body is not JSON (${e.message}); send {"instances": [...]} with Content-Type: application/json`);
  }
  if (Array.isArray(body)) {
    const d = depth(body);
    if (d === shape.length) {
      const x = new Float32Array(shape.reduce((a, b) => a * b, 1));
      writeInstance(body, shape, x, 0, 'the body');
      return { x, rows: 1, form: 'single' };
    }
    return { ...readList(body, shape, 'body', maxInstances), form: 'list' };
  }
  if (body === null || typeof body !== 'object') {
    throw new BadRequest(`the request body is ${describe(body)}; expected {"instances": [...]} (TF Serving's form) or a JSON list of instances`);
  }
  const keys = Object.keys(body).filter((k) => k !== 'signature_name');
  const key = keys.length === 1 && (keys[0] === 'instances' || keys[0] === 'inputs') ? keys[0] : null;
  if (key === null) {
    const got = keys.length === 0 ? 'no key' : `the keys ${keys.map((k) => `"${k}"`).join(', ')}`;
    throw new BadRequest(`the request body has ${got}; expected exactly one of "instances" (rows) or "inputs" (columnar), as TF Serving's REST API`);
  }
  return { ...readList(body[key], shape, key, maxInstances), form: key };
}

/** One prediction (a Float32Array of the output size) as nested arrays of `shape`. */
function nest(flat, shape, axis = 0, offset = 0) {
  if (axis === shape.length - 1) return Array.from(flat.subarray(offset, offset + shape[axis]));
  const stride = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const out = new Array(shape[axis]);
  for (let i = 0; i < shape[axis]; i++) out[i] = nest(flat, shape, axis + 1, offset + i * stride);
  return out;
}

/** The JSON response for `rows` predictions (flat, row after row) in the request's form. */
export function formatResponse(y, rows, shape, form) {
  const size = shape.reduce((a, b) => a * b, 1);
  if (form === 'single') return JSON.stringify(nest(y, shape));
  const list = new Array(rows);
  for (let r = 0; r < rows; r++) list[r] = nest(y.subarray(r * size, (r + 1) * size), shape);
  if (form === 'list') return JSON.stringify(list);
  return JSON.stringify(form === 'inputs' ? { outputs: list } : { predictions: list });
}
