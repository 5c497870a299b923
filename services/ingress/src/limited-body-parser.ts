import { errorCodes, type FastifyRequest } from 'fastify';

type Done = (error: Error | null, body?: Buffer) => void;
type Payload = NodeJS.ReadableStream & { destroy(error?: Error): void };

/**
 * A Fastify body parser that keeps the raw bytes (signatures are checked over them) and enforces
 * `limit` politely: a body over the limit is read to its end and thrown away before the 413 goes
 * out, so the sender sees the 413 instead of a connection reset while it is still uploading
 * (Fastify's own limit answers at once and closes the socket mid-upload). Reading stops, and the
 * connection is cut, past `drainLimit` bytes; the server's request timeout bounds slow senders.
 */
export function createLimitedBodyParser(limit: number, drainLimit = Math.max(limit * 16, 32 * 1024 * 1024)) {
  return (request: FastifyRequest, payload: Payload, done: Done): void => {
    const declared = Number(request.headers['content-length']);
    let tooLarge = Number.isFinite(declared) && declared > limit;
    if (tooLarge && declared > drainLimit) {
      done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    let finished = false;
    const finish = (error: Error | null, body?: Buffer) => {
      if (finished) return;
      finished = true;
      done(error, body);
    };
    payload.on('data', (chunk: Buffer | string) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      received += bytes.length;
      if (received > limit) tooLarge = true;
      if (tooLarge) {
        chunks.length = 0;
        if (received > drainLimit) {
          finish(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
          payload.destroy();
        }
        return;
      }
      chunks.push(bytes);
    });
    payload.on('end', () => {
      if (tooLarge) finish(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
      else finish(null, Buffer.concat(chunks, received));
    });
    payload.on('error', (error: Error) => finish(error));
  };
}
