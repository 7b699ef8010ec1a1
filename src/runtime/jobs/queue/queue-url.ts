import { InvalidInputError } from '../../../core/errors.js';

/** Where the queue lives, parsed from `redis://[user:password@]host:port[/db]`. */
export interface QueueAddress {
  /** Host name or address. */
  host: string;
  /** TCP port. */
  port: number;
  /** Redis logical database. */
  db: number;
  /** ACL user name, if given. */
  username: string | undefined;
  /** Password, if given (never printed). */
  password: string | undefined;
  /** True for `rediss://` (TLS). */
  tls: boolean;
  /** The URL without its password, for messages and the run config. */
  display: string;
}

/**
 * Parses a queue URL. Accepts `redis://` and `rediss://`, an optional `user:password@` or
 * `:password@`, a port (default 6379) and a database number path (default 0).
 */
export function parseQueueUrl(url: string, field = '--queue'): QueueAddress {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidInputError(`'${redactUrl(url)}' is not a URL; expected redis://HOST:PORT[/DB]`, { field });
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new InvalidInputError(`'${redactUrl(url)}' must start with redis:// or rediss:// (expected redis://HOST:PORT[/DB])`, { field });
  }
  if (parsed.hostname === '') throw new InvalidInputError(`'${redactUrl(url)}' names no host; expected redis://HOST:PORT[/DB]`, { field });
  const port = parsed.port === '' ? 6379 : Number(parsed.port);
  const dbText = parsed.pathname.replace(/^\//, '');
  if (dbText !== '' && !/^\d+$/.test(dbText)) {
    throw new InvalidInputError(`'${redactUrl(url)}': the database '/${dbText}' must be a number (redis://HOST:PORT/DB)`, { field });
  }
  const db = dbText === '' ? 0 : Number(dbText);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const username = parsed.username === '' ? undefined : decodeURIComponent(parsed.username);
  const password = parsed.password === '' ? undefined : decodeURIComponent(parsed.password);
  const tls = parsed.protocol === 'rediss:';
  return { host, port, db, username, password, tls, display: `${parsed.protocol}//${parsed.host}/${db}` };
}

/** The URL with any password replaced by `***` (for messages about a URL that did not parse). */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:@/]*:)[^@/]*@/i, '$1***@');
}
