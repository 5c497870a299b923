import { randomBytes } from 'node:crypto';

/**
 * A Graph API error body exactly as Meta answers it.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes
 */
export interface GraphErrorBody {
  error: {
    message: string;
    type: string;
    code: number;
    error_subcode?: number;
    is_transient?: boolean;
    error_data?: { messaging_product: 'whatsapp'; details: string };
    fbtrace_id: string;
  };
}

/** An HTTP status plus the error body to answer with. */
export interface GraphErrorAnswer {
  status: number;
  body: GraphErrorBody;
}

interface GraphErrorOptions {
  /** Meta's `error.type` (default `OAuthException`). */
  type?: string;
  details?: string;
  subcode?: number;
  transient?: boolean;
}

/** Builds `{error:{message, type, code, error_data, fbtrace_id}}` (type `OAuthException` by default) with the given HTTP status. */
export function toGraphError(
  status: number,
  code: number,
  message: string,
  options: GraphErrorOptions = {},
): GraphErrorAnswer {
  return {
    status,
    body: {
      error: {
        message,
        type: options.type ?? 'OAuthException',
        code,
        ...(options.subcode === undefined ? {} : { error_subcode: options.subcode }),
        ...(options.transient === undefined ? {} : { is_transient: options.transient }),
        ...(options.details === undefined
          ? {}
          : { error_data: { messaging_product: 'whatsapp' as const, details: options.details } }),
        fbtrace_id: `A${randomBytes(11).toString('base64url')}`,
      },
    },
  };
}

/** 400 code 100: the request itself is wrong (missing or invalid parameter). */
export function invalidParameter(details: string, message = '(#100) Invalid parameter'): GraphErrorAnswer {
  return toGraphError(400, 100, message, { details });
}

/**
 * 400 code 131009 "Parameter value is not valid": a value breaks one of Meta's limits. Meta still
 * sends the deprecated subcode 2494010 on these (§6), so the simulator does too.
 */
export function parameterValueNotValid(details: string): GraphErrorAnswer {
  return toGraphError(400, 131009, '(#131009) Parameter value is not valid', { details, subcode: 2494010 });
}

export function missingToken(): GraphErrorAnswer {
  return toGraphError(401, 190, 'An access token is required to request this resource.');
}

export function invalidToken(): GraphErrorAnswer {
  return toGraphError(401, 190, 'Invalid OAuth access token - Cannot parse access token');
}

function expiredToken(): GraphErrorAnswer {
  return toGraphError(
    401,
    190,
    'Error validating access token: Session has expired on Tuesday, 01-Sep-26 10:00:00 PDT. The current time is Wednesday, 02-Sep-26 10:00:00 PDT.',
    { subcode: 463 },
  );
}

/** The request a fault answers; some of Meta's messages name it. */
export interface FaultContext {
  method: string;
  phoneNumberId: string | null;
}

/**
 * 400 code 100 subcode 33: the id is not a phone number this token can see (Meta does not tell
 * which of the two). `GraphMethodException`, as Meta answers it.
 */
function unknownObject({ method, phoneNumberId }: FaultContext): GraphErrorAnswer {
  return toGraphError(
    400,
    100,
    `Unsupported ${method.toLowerCase()} request. Object with ID '${phoneNumberId ?? ''}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
    { type: 'GraphMethodException', subcode: 33 },
  );
}

/** GET of an object the token may not see (e.g. another business's media id). */
export function unsupportedGet(id: string): GraphErrorAnswer {
  return unknownObject({ method: 'GET', phoneNumberId: id });
}

export function unknownPath(path: string): GraphErrorAnswer {
  return toGraphError(400, 2500, `Unknown path components: ${path}`);
}

/** Faults answered with a Graph error body (the others drop the connection or only delay). */
export const ERROR_FAULT_KINDS = [
  'http_500',
  'http_503',
  'rate_limit_429',
  'throughput_130429',
  'pair_rate_131056',
  'window_closed_131047',
  'expired_token_190',
  'invalid_token_190',
  'unknown_phone_number_100',
  'undeliverable_131026',
] as const;

export type ErrorFaultKind = (typeof ERROR_FAULT_KINDS)[number];

/** The HTTP status and error for each injectable error fault, per the Meta error-code table. */
export const faultErrors = {
  http_500: () =>
    toGraphError(500, 131000, '(#131000) Something went wrong', {
      details: 'Something went wrong',
      transient: true,
    }),
  http_503: () =>
    toGraphError(503, 2, 'Service temporarily unavailable', {
      details: 'Service temporarily unavailable',
      transient: true,
    }),
  rate_limit_429: () =>
    toGraphError(429, 4, '(#4) Application request limit reached', {
      details: 'Application request limit reached',
      transient: true,
    }),
  throughput_130429: () =>
    toGraphError(400, 130429, '(#130429) Rate limit hit', {
      details: 'Cloud API message throughput has been reached.',
    }),
  pair_rate_131056: () =>
    toGraphError(400, 131056, '(#131056) (Business Account, Consumer Account) pair rate limit hit', {
      details:
        'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
    }),
  window_closed_131047: () =>
    toGraphError(400, 131047, '(#131047) Re-engagement message', {
      details:
        'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
    }),
  expired_token_190: expiredToken,
  invalid_token_190: invalidToken,
  unknown_phone_number_100: unknownObject,
  undeliverable_131026: () =>
    toGraphError(400, 131026, '(#131026) Message Undeliverable.', {
      details: 'Message Undeliverable.',
    }),
} satisfies Record<ErrorFaultKind, (request: FaultContext) => GraphErrorAnswer>;
