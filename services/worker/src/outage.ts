import { GraphApiError } from '@wabot/whatsapp';
import { EngineError } from './engine/bot-engine.js';

/** The dependency an outage error says is away (`network`: a connection error of unknown origin). */
export type Outage = 'postgres' | 'redis' | 'graph' | 'llm' | 'network';

/** PostgreSQL SQLSTATEs of a connection being refused or cut (class 08, shutdown, too many connections). */
const PG_OUTAGE_STATES = new Set(['57P01', '57P02', '57P03', '53300']);
/** Prisma's codes for an unreachable database, a closed connection and a pool or connect timeout. */
const PRISMA_OUTAGE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2037']);
/** Kinds of Prisma's driver-adapter errors that mean no database to talk to. */
const ADAPTER_OUTAGE_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'DatabaseAccessDenied',
]);
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
const PG_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'not currently accepting connections',
  'terminating connection due to administrator command',
  "Can't reach database server",
];
const REDIS_MESSAGES = ['Connection is closed', "Stream isn't writeable", 'Reached the max retries per request limit'];

const field = (value: object, key: string): unknown =>
  key in value ? (value as Record<string, unknown>)[key] : undefined;

/**
 * The dependency `error` (or one of its causes) says is unreachable — PostgreSQL refusing or
 * cutting connections, Redis gone, the Graph API or the LLM not answering or answering 5xx — or
 * null for any other failure (a refusal, a bug, a rate limit). Work failing for an outage is
 * retried soon (OUTAGE_RETRY_MS) rather than with a growing back-off, so it resumes about a
 * second after the dependency is back; the retry budgets still bound it.
 */
export function outageOf(error: unknown): Outage | null {
  let network = false;
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 8; depth++) {
    if (e instanceof GraphApiError) {
      return e.status === 0 || e.status >= 500 ? 'graph' : null;
    }
    if (e instanceof EngineError) {
      return e.retryable && (e.status === undefined || e.status >= 500) ? 'llm' : null;
    }
    const code = field(e, 'code');
    const kind = field(e, 'kind');
    const name = field(e, 'name');
    const message = typeof field(e, 'message') === 'string' ? String(field(e, 'message')) : '';
    if (typeof code === 'string' && (PG_OUTAGE_STATES.has(code) || code.startsWith('08'))) return 'postgres';
    if (typeof code === 'string' && PRISMA_OUTAGE_CODES.has(code)) return 'postgres';
    if (typeof kind === 'string' && ADAPTER_OUTAGE_KINDS.has(kind)) return 'postgres';
    if (typeof field(e, 'originalCode') === 'string' && PG_OUTAGE_STATES.has(String(field(e, 'originalCode')))) {
      return 'postgres';
    }
    if (PG_MESSAGES.some((m) => message.includes(m))) return 'postgres';
    if (name === 'MaxRetriesPerRequestError' || REDIS_MESSAGES.some((m) => message.includes(m))) return 'redis';
    if (typeof code === 'string' && SOCKET_CODES.has(code)) network = true;
    e = field(e, 'cause');
  }
  return network ? 'network' : null;
}
