import { Prisma } from './generated/prisma/client.js';

/**
 * True when `error` is a unique-constraint violation (Prisma's P2002) whose target mentions
 * `column` (an index or column name), so callers can map it without knowing Prisma.
 */
export function isUniqueViolation(error: unknown, column: string): boolean {
  return (
    error instanceof Prisma.PrismaClientKnownRequestError &&
    error.code === 'P2002' &&
    `${JSON.stringify(error.meta ?? {})} ${error.message}`.includes(column)
  );
}
