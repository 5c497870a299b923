/**
 * An error with a client-facing meaning. The app's error handler turns it into
 * `{error:{code, message, details}}` with `statusCode`; anything else is a 500 without details.
 */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found`);

export const conflict = (message: string, details: Record<string, unknown> = {}) =>
  new ApiError(409, 'conflict', message, details);

export const badRequest = (message: string, details: Record<string, unknown> = {}) =>
  new ApiError(400, 'bad_request', message, details);

export const unauthorized = (message: string) => new ApiError(401, 'unauthorized', message);

export const forbidden = (message: string) => new ApiError(403, 'forbidden', message);
