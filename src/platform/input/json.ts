/**
 * JSON as it arrives: its nesting measured on the raw text before `JSON.parse` (a 100,000-deep array
 * parses, but every recursive walk after it — JSON.stringify, validation, the database driver —
 * overflows the stack), then every string, key and number of the parsed value checked and its text
 * normalised to NFC. No I/O; the Fastify wiring is in input.plugin.ts.
 */
import { nfc, type TextFault, textFault } from './text.ts';

/** Deepest nesting of objects and arrays taken anywhere in a JSON body. */
export const MAX_JSON_DEPTH = 64;

export type Path = Array<string | number>;

export type FaultKind = TextFault | 'depth' | 'number' | 'key';

export interface Fault {
  /** Where, from the checked value down (`['formData', 'x', 3]`). */
  path: Path;
  kind: FaultKind;
}

/** An item of a list checked one by one that was too deep: the text from `start` to `end` is cut out. */
export interface DeepItem {
  list: string;
  index: number;
  path: Path;
  start: number;
  end: number;
}

export type DepthScan = { ok: true; deepItems: DeepItem[] } | { ok: false; path: Path };

interface Level {
  array: boolean;
  /** The key (object) or index (array) of the current member. */
  key: string | number;
  /** Objects: the next string is a key. */
  expectKey: boolean;
  /** Lists checked item by item (level 2): where the current element's text began. */
  elementStart: number;
}

const OPEN_OBJECT = 123; // {
const CLOSE_OBJECT = 125; // }
const OPEN_ARRAY = 91; // [
const CLOSE_ARRAY = 93; // ]
const QUOTE = 34; // "
const BACKSLASH = 92; // \
const COMMA = 44; // ,
const COLON = 58; // :

/**
 * Measures the nesting of `raw` without parsing it. Past `maxDepth` the answer is the path of the first
 * too-deep point — unless that point is inside an element of one of `items` (arrays that are members of
 * the top-level object, such as a sync batch's `dossiers`): then the element is marked to be cut out
 * and the scan goes on, so that one deep item does not sink its batch. Malformed text is left for
 * `JSON.parse` to refuse; this only counts brackets outside strings.
 */
export function scanDepth(raw: string, maxDepth: number, items: readonly string[] = []): DepthScan {
  const stack: Level[] = [];
  /** Levels opened beyond `maxDepth`, counted but not kept. */
  let excess = 0;
  let marked: DeepItem | undefined;
  const deepItems: DeepItem[] = [];
  const n = raw.length;
  /** The item of a per-item list that the scan is in, when it is in one. */
  const inItem = () =>
    stack.length >= 2 &&
    !stack[0]!.array &&
    stack[1]!.array &&
    typeof stack[0]!.key === 'string' &&
    items.includes(stack[0]!.key);

  for (let i = 0; i < n; i++) {
    const c = raw.charCodeAt(i);
    if (c === QUOTE) {
      const start = i;
      let escaped = false;
      for (i++; i < n; i++) {
        const s = raw.charCodeAt(i);
        if (s === BACKSLASH) {
          escaped = true;
          i++;
        } else if (s === QUOTE) break;
      }
      const top = excess === 0 ? stack.at(-1) : undefined;
      if (top && !top.array && top.expectKey) {
        top.expectKey = false;
        top.key = escaped ? keyText(raw.slice(start, i + 1)) : raw.slice(start + 1, i);
      }
      continue;
    }
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (excess > 0 || stack.length >= maxDepth) {
        if (excess === 0) {
          const path = stack.map((l) => l.key);
          if (!inItem()) return { ok: false, path };
          if (!marked) {
            const list = stack[0]!.key as string;
            const index = stack[1]!.key as number;
            marked = { list, index, path, start: stack[1]!.elementStart, end: -1 };
          }
        }
        excess++;
        continue;
      }
      stack.push({ array: c === OPEN_ARRAY, key: 0, expectKey: c === OPEN_OBJECT, elementStart: i + 1 });
      continue;
    }
    if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      if (excess > 0) {
        excess--;
        continue;
      }
      if (stack.length === 2 && marked && inItem()) {
        marked.end = i;
        deepItems.push(marked);
        marked = undefined;
      }
      stack.pop();
      continue;
    }
    if (c === COMMA && excess === 0) {
      const top = stack.at(-1);
      if (!top) continue;
      if (stack.length === 2 && marked && inItem()) {
        marked.end = i;
        deepItems.push(marked);
        marked = undefined;
      }
      if (top.array) {
        top.key = (top.key as number) + 1;
        top.elementStart = i + 1;
      } else top.expectKey = true;
      continue;
    }
    if (c === COLON) continue;
  }
  return { ok: true, deepItems };
}

function keyText(quoted: string): string {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return quoted.slice(1, -1);
  }
}

/** `raw` with each deep item's text replaced by `null` (the items are in text order). */
export function cutItems(raw: string, deepItems: readonly DeepItem[]): string {
  let out = '';
  let from = 0;
  for (const d of deepItems) {
    out += `${raw.slice(from, d.start)}null`;
    from = d.end;
  }
  return out + raw.slice(from);
}

class Refusal {
  constructor(readonly fault: Fault) {}
}

const isPlainObject = (v: object): v is Record<string, unknown> => {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/**
 * `value` with every string and key in NFC, or the first fault: text that cannot be stored, a number
 * beyond the safe integer range, a `__proto__` key, nesting deeper than `maxDepth` (for values that did
 * not come through `scanDepth`). Arrays and objects are changed in place; objects are rebuilt only when
 * a key changes. Values that are neither JSON nor plain objects (a parsed file) are left as they are.
 */
export function cleanValue(
  value: unknown,
  options: { maxDepth?: number; numbers?: boolean } = {},
): { ok: true; value: unknown } | { ok: false; fault: Fault } {
  const maxDepth = options.maxDepth ?? MAX_JSON_DEPTH;
  const numbers = options.numbers ?? true;
  const path: Path = [];
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') {
      const fault = textFault(v);
      if (fault) throw new Refusal({ path: [...path], kind: fault });
      return nfc(v);
    }
    if (typeof v === 'number') {
      if (numbers && !(Math.abs(v) <= Number.MAX_SAFE_INTEGER))
        throw new Refusal({ path: [...path], kind: 'number' });
      return v;
    }
    if (typeof v !== 'object' || v === null) return v;
    if (depth >= maxDepth) throw new Refusal({ path: [...path], kind: 'depth' });
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        v[i] = walk(v[i], depth + 1);
        path.pop();
      }
      return v;
    }
    if (!isPlainObject(v)) return v;
    let rebuilt: Record<string, unknown> | undefined;
    const keys = Object.keys(v);
    for (const key of keys) {
      path.push(key);
      const fault = key === '__proto__' ? 'key' : textFault(key);
      if (fault) throw new Refusal({ path: [...path], kind: fault });
      const value = walk(v[key], depth + 1);
      const k = nfc(key);
      if (k !== key && !rebuilt) {
        rebuilt = {};
        for (const earlier of keys) {
          if (earlier === key) break;
          rebuilt[earlier] = v[earlier];
        }
      }
      if (rebuilt) rebuilt[k] = value;
      else v[key] = value;
      path.pop();
    }
    return rebuilt ?? v;
  };
  try {
    return { ok: true, value: walk(value, 0) };
  } catch (e) {
    if (e instanceof Refusal) return { ok: false, fault: e.fault };
    throw e;
  }
}
