import { type GraphErrorAnswer, invalidParameter, parameterValueNotValid } from './graph-errors.js';

/**
 * Meta's limits on interactive messages, checked as the Cloud API checks them. The rules and the
 * `error_data.details` strings of the first table below are Meta's (quoted from live failures,
 * shared/reference/meta-cloud-api.md §9.6); the other rules are Meta's documented limits (§9.2)
 * answered with the same 131009 and a details string of our own wording, since Meta publishes none.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/interactive-reply-buttons-messages
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/interactive-list-messages
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/interactive-cta-url-messages
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/location-request-messages
 */
export const INTERACTIVE_ERRORS = {
  buttonTitle: 'Button title length invalid. Min length: 1, Max length: 20',
  buttonCount: 'Invalid buttons count. Min allowed buttons: 1, Max allowed buttons: 3',
  bodyLength: 'Body text length invalid. Min length: 1, Max length: 1024',
  rowCount: 'Total row count exceed max allowed count: 10',
  rowTitle: 'Row title is too long. Max length is 24',
  rowDescription: 'Row description is too long. Max length is 72',
} as const;

/** The 100 Meta answers when the body is missing altogether (§9.6). */
const BODY_REQUIRED = "(#100) The parameter interactive['body']['text'] is required.";

const INTERACTIVE_TYPES = ['button', 'list', 'cta_url', 'location_request_message'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function codePoints(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

const within = (value: unknown, min: number, max: number) =>
  typeof value === 'string' && codePoints(value) >= min && codePoints(value) <= max;

const isHttpUrl = (value: unknown) => {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
};

/** Ids must be unique within the message and have no surrounding spaces. */
function badIds(ids: unknown[], max: number, what: string): GraphErrorAnswer | null {
  const seen = new Set<string>();
  for (const id of ids) {
    if (!within(id, 1, max) || typeof id !== 'string') {
      return parameterValueNotValid(`${what} id length invalid. Min length: 1, Max length: ${max}`);
    }
    if (id.trim() !== id) return parameterValueNotValid(`${what} id must not have leading or trailing spaces`);
    if (seen.has(id)) return parameterValueNotValid(`${what} ids must be unique`);
    seen.add(id);
  }
  return null;
}

function checkHeaderFooter(interactive: Record<string, unknown>): GraphErrorAnswer | null {
  const { header, footer } = interactive;
  if (header !== undefined) {
    if (!isRecord(header) || typeof header.type !== 'string') {
      return invalidParameter("Param interactive['header']['type'] is required");
    }
    if (header.type === 'text' && !within(header.text, 1, 60)) {
      return parameterValueNotValid('Header text length invalid. Min length: 1, Max length: 60');
    }
  }
  if (footer !== undefined && (!isRecord(footer) || !within(footer.text, 1, 60))) {
    return parameterValueNotValid('Footer text length invalid. Min length: 1, Max length: 60');
  }
  return null;
}

function checkButtons(action: Record<string, unknown>): GraphErrorAnswer | null {
  const buttons = action.buttons;
  if (!Array.isArray(buttons) || buttons.length < 1 || buttons.length > 3) {
    return parameterValueNotValid(INTERACTIVE_ERRORS.buttonCount);
  }
  const replies = buttons.map((button) => (isRecord(button) && isRecord(button.reply) ? button.reply : null));
  if (buttons.some((button) => !isRecord(button) || button.type !== 'reply')) {
    return invalidParameter("Param interactive['action']['buttons'][0]['type'] must be one of {REPLY}");
  }
  const titles = replies.map((reply) => reply?.title);
  if (titles.some((title) => !within(title, 1, 20))) return parameterValueNotValid(INTERACTIVE_ERRORS.buttonTitle);
  if (new Set(titles).size !== titles.length) return parameterValueNotValid('Button titles must be unique');
  return badIds(
    replies.map((reply) => reply?.id),
    256,
    'Button',
  );
}

function checkList(action: Record<string, unknown>): GraphErrorAnswer | null {
  if (!within(action.button, 1, 20)) {
    return parameterValueNotValid('Button text length invalid. Min length: 1, Max length: 20');
  }
  const sections = action.sections;
  if (!Array.isArray(sections) || sections.length < 1 || sections.length > 10) {
    return parameterValueNotValid('Invalid sections count. Min allowed sections: 1, Max allowed sections: 10');
  }
  const rows: Record<string, unknown>[] = [];
  for (const section of sections) {
    if (!isRecord(section) || !Array.isArray(section.rows) || section.rows.length === 0) {
      return invalidParameter("Param interactive['action']['sections'][0]['rows'] is required");
    }
    if (!within(section.title, 1, 24)) {
      return parameterValueNotValid('Section title length invalid. Min length: 1, Max length: 24');
    }
    for (const row of section.rows) {
      if (!isRecord(row)) return invalidParameter("Param interactive['action']['sections'][0]['rows'][0] is invalid");
      rows.push(row);
    }
  }
  if (rows.length > 10) return parameterValueNotValid(INTERACTIVE_ERRORS.rowCount);
  for (const row of rows) {
    if (typeof row.title !== 'string' || row.title === '') {
      return invalidParameter("Param interactive['action']['sections'][0]['rows'][0]['title'] is required");
    }
    if (codePoints(row.title) > 24) return parameterValueNotValid(INTERACTIVE_ERRORS.rowTitle);
    if (row.description !== undefined && (typeof row.description !== 'string' || codePoints(row.description) > 72)) {
      return parameterValueNotValid(INTERACTIVE_ERRORS.rowDescription);
    }
  }
  return badIds(
    rows.map((row) => row.id),
    200,
    'Row',
  );
}

function checkCtaUrl(action: Record<string, unknown>): GraphErrorAnswer | null {
  const parameters = action.parameters;
  if (action.name !== 'cta_url' || !isRecord(parameters)) {
    return invalidParameter("Param interactive['action']['name'] must be cta_url, with parameters");
  }
  if (!within(parameters.display_text, 1, 20)) {
    return parameterValueNotValid('Display text length invalid. Min length: 1, Max length: 20');
  }
  if (!isHttpUrl(parameters.url)) return parameterValueNotValid('Invalid URL');
  return null;
}

/**
 * Validates the `interactive` object of a send; null when Meta would accept it. The body is
 * required (100 when missing) and at most 1024 characters for every type — also for lists, whose
 * documented 4096 Meta refuses live with the 1024 error (§9.2).
 */
export function validateInteractive(interactive: Record<string, unknown>): GraphErrorAnswer | null {
  const { type, action } = interactive;
  if (typeof type !== 'string') return invalidParameter("Param interactive['type'] is required");
  if (!(INTERACTIVE_TYPES as readonly string[]).includes(type)) {
    return invalidParameter(
      `Param interactive['type'] must be one of {${INTERACTIVE_TYPES.join(', ').toUpperCase()}} - got "${type}".`,
    );
  }
  if (!isRecord(action)) return invalidParameter("Param interactive['action'] is required");
  const body = interactive.body;
  if (!isRecord(body) || body.text === undefined || body.text === null) {
    return invalidParameter(BODY_REQUIRED, BODY_REQUIRED);
  }
  if (!within(body.text, 1, 1024)) return parameterValueNotValid(INTERACTIVE_ERRORS.bodyLength);
  if (type === 'list' && interactive.header !== undefined) {
    const header = interactive.header;
    if (!isRecord(header) || header.type !== 'text') {
      return invalidParameter("Param interactive['header']['type'] must be one of {TEXT}");
    }
  }
  const headerFooter = checkHeaderFooter(interactive);
  if (headerFooter !== null) return headerFooter;
  switch (type) {
    case 'button':
      return checkButtons(action);
    case 'list':
      return checkList(action);
    case 'cta_url':
      return checkCtaUrl(action);
    default:
      return action.name === 'send_location'
        ? null
        : invalidParameter("Param interactive['action']['name'] must be one of {SEND_LOCATION}");
  }
}
