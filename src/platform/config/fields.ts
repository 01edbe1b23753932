/**
 * The kinds of value a configuration variable holds (each with what it expects, for the message when it
 * is wrong), and the reader that collects every problem instead of stopping at the first.
 */
import fs from 'node:fs';
import path from 'node:path';

export type Env = Record<string, string | undefined>;

export interface Field<T> {
  expects: string;
  parse: (raw: string) => T | undefined;
}

/** Reads one variable: its fallback when unset or empty; a problem (and the fallback) when malformed. */
export interface Read {
  <T>(name: string, field: Field<T>, fallback: T): T;
  <T>(name: string, field: Field<T>, fallback?: T): T | undefined;
}

/** The reader of `env`, adding each malformed value to `problems` (secrets and passwords not shown). */
export function createReader(env: Env, problems: string[]): Read {
  function read<T>(name: string, field: Field<T>, fallback: T): T;
  function read<T>(name: string, field: Field<T>, fallback?: T): T | undefined;
  function read<T>(name: string, field: Field<T>, fallback?: T): T | undefined {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = field.parse(raw.trim());
    if (value === undefined) {
      const shown = raw.length > 60 ? `${raw.slice(0, 57)}...` : raw;
      problems.push(
        `${name} must be ${field.expects} (got "${name === 'DATABASE_URL' || name === 'SMTP_URL' ? redactUrl(shown) : /_API_KEY$|_TOKEN$|_SECRET$/.test(name) ? '***' : shown}")`,
      );
    }
    return value ?? fallback;
  }
  return read;
}

/** Is the variable set to something other than blanks? */
export const given = (env: Env, name: string) => (env[name] ?? '').trim() !== '';

function redactUrl(raw: string): string {
  return raw.replace(/\/\/([^:/@]+):([^@]+)@/, '//$1:***@');
}

export const integer = (min: number, max: number): Field<number> => ({
  expects: `an integer from ${min} to ${max}`,
  parse: (raw) => {
    if (!/^\d+$/.test(raw)) return undefined;
    const n = Number(raw);
    return n >= min && n <= max ? n : undefined;
  },
});

export const oneOf = <T extends string>(values: readonly T[]): Field<T> => ({
  expects: `one of ${values.join(', ')}`,
  parse: (raw) => ((values as readonly string[]).includes(raw) ? (raw as T) : undefined),
});

export const boolean: Field<boolean> = {
  expects: 'true or false (also 1/0, yes/no)',
  parse: (raw) => {
    const v = raw.toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(v)) return true;
    if (['false', '0', 'no', 'off'].includes(v)) return false;
    return undefined;
  },
};

export const proxies: Field<boolean | number | string[]> = {
  expects: 'false, true, the number of proxy hops, or a comma-separated list of proxy addresses/CIDRs',
  parse: (raw) => {
    const b = boolean.parse(raw);
    if (b !== undefined) return b;
    if (/^\d{1,2}$/.test(raw)) return Number(raw);
    const list = raw.split(',').map((x) => x.trim());
    return list.every((x) => /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(x)) ? list : undefined;
  },
};

export const hostname: Field<string> = {
  expects: 'a host name or IP address to listen on, e.g. 127.0.0.1 or 0.0.0.0',
  parse: (raw) => (/^[A-Za-z0-9.:_-]{1,253}$/.test(raw) ? raw : undefined),
};

export const httpUrl: Field<string> = {
  expects: 'an absolute http(s) URL without a trailing slash, e.g. https://dichvucong.example.vn',
  parse: (raw) => {
    try {
      const u = new URL(raw);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
      return raw.replace(/\/+$/, '');
    } catch {
      return undefined;
    }
  },
};

export const postgresUrl: Field<string> = {
  expects: 'a PostgreSQL connection URL, e.g. postgres://user:password@127.0.0.1:5432/portal',
  parse: (raw) => {
    try {
      const u = new URL(raw);
      return u.protocol === 'postgres:' || u.protocol === 'postgresql:' ? raw : undefined;
    } catch {
      return undefined;
    }
  },
};

export const directory: Field<string> = {
  expects: 'a directory path',
  parse: (raw) => (raw.trim() === '' ? undefined : path.resolve(raw)),
};

export const emailAddress: Field<string> = {
  expects: 'an e-mail address, e.g. hotro@dichvucong.example.vn',
  parse: (raw) =>
    raw.length <= 254 && /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/.test(raw)
      ? raw
      : undefined,
};

/** Free text shown on every page: one line, bounded, NFC. */
export const displayText = (max: number): Field<string> => ({
  expects: `text of at most ${max} characters on one line`,
  parse: (raw) => {
    const text = raw.normalize('NFC').replace(/\s+/g, ' ').trim();
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
    return text !== '' && text.length <= max && !/[\u0000-\u001f\u007f]/.test(text) ? text : undefined;
  },
});

export const existingFile: Field<string> = {
  expects: 'the path of an existing, readable file',
  parse: (raw) => {
    const p = path.resolve(raw);
    try {
      fs.accessSync(p, fs.constants.R_OK);
      return fs.statSync(p).isFile() ? p : undefined;
    } catch {
      return undefined;
    }
  },
};

export const apiKeyField: Field<string> = {
  expects: 'an API key of 8 to 500 printable characters without spaces',
  parse: (raw) => (/^[\x21-\x7e]{8,500}$/.test(raw) ? raw : undefined),
};
