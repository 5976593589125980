// `callbacks` as fit and fitDataset take them: a callback object or a list, each hook a function,
// checked before training starts.
import { ValueError, aliasOf, invalidArgument, invalidArgumentAt } from '../errors.js';
import type { CallbackHooks } from './callback.js';

const HOOKS = ['onTrainBegin', 'onTrainEnd', 'onEpochBegin', 'onEpochEnd', 'onBatchBegin', 'onBatchEnd', 'setModel', 'setParams'] as const;

/** Hook names of Keras and TF.js that kerasm spells or runs differently: a plain object using one is refused. */
const FOREIGN_HOOKS: Readonly<Record<string, string>> = {
  on_train_batch_begin: 'use `onBatchBegin`',
  on_train_batch_end: 'use `onBatchEnd`',
  onTrainBatchBegin: 'use `onBatchBegin`',
  onTrainBatchEnd: 'use `onBatchEnd`',
  onYield: 'kerasm does not call `onYield` (TF.js); use `onBatchEnd`',
};

/**
 * A hook spelt another way (`on_epoch_end`, `onepochend`): refused, since training would run
 * without it. Other own fields of a callback object are the user's and stay allowed.
 */
function misspeltHook(key: string): string | null {
  if (Object.hasOwn(FOREIGN_HOOKS, key)) return FOREIGN_HOOKS[key]!;
  if ((HOOKS as readonly string[]).includes(key)) return null;
  const alias = aliasOf(key, HOOKS);
  return alias === null ? null : `use \`${alias}\``;
}

/** `callbacks`: a callback object or an array of them, each hook a function (checked before training). */
export function checkCallbacks(arg: unknown): CallbackHooks[] {
  if (arg === undefined) return [];
  const list = Array.isArray(arg) ? arg : [arg];
  list.forEach((c, i) => {
    const where = Array.isArray(arg) ? `callbacks[${i}]` : 'callbacks';
    if (typeof c === 'function') throw invalidArgumentAt(where, 'a callback object with hooks such as onEpochEnd (wrap a function as { onEpochEnd: fn })', 'a function');
    if (c === null || typeof c !== 'object') throw invalidArgument(where, 'a callback object with hooks such as onEpochEnd', c);
    for (const hook of HOOKS) {
      const h = (c as Record<string, unknown>)[hook];
      if (h !== undefined && typeof h !== 'function') throw invalidArgument(`${where}.${hook}`, 'a function', h);
    }
    for (const key of Object.keys(c)) {
      const fix = misspeltHook(key);
      if (fix !== null) throw new ValueError(`Unrecognized callback hook \`${key}\` in ${where}: ${fix} (kerasm's hooks: ${HOOKS.join(', ')}).`);
    }
  });
  return list as CallbackHooks[];
}
