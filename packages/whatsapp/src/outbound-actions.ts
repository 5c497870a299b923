import { z } from 'zod';
import {
  classifyExtension,
  cleanFilename,
  FILENAME_MAX,
  filenameFromUrl,
  MEDIA_RULES,
  MEDIA_TYPES,
  type MediaType,
} from './media-rules.js';

/**
 * The WhatsApp actions the engine offers the model (docs/contract.md, Bot engine) and the one
 * place that fits them to Meta's limits before anything is sent.
 *
 * The model-facing schemas are deliberately loose (any length): a model that writes a 25-character
 * button title must not lose its whole reply to a schema error. {@link fitAction} then corrects
 * what can be corrected (truncation, de-duplication, buttons → list) and replaces the rest by
 * plain text, so a malformed payload never reaches Meta (no 131009).
 *
 * Limits: https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-reply-buttons-messages
 * https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-list-messages
 * https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-cta-url-messages
 * (shared/reference/meta-cloud-api.md §9.2–§9.4, §9.6).
 */
export const INTERACTIVE_LIMITS = {
  body: 1024,
  buttons: 3,
  buttonTitle: 20,
  buttonId: 256,
  listButton: 20,
  listRows: 10,
  listSections: 10,
  sectionTitle: 24,
  rowId: 200,
  rowTitle: 24,
  rowDescription: 72,
  ctaDisplayText: 20,
  caption: 1024,
  filename: FILENAME_MAX,
  handoffReason: 200,
  handoffSummary: 4000,
} as const;

const text = (description: string) => z.string().describe(description);

const sendButtonsArgsSchema = z.object({
  body: text(`The message text above the buttons (at most ${INTERACTIVE_LIMITS.body} characters).`),
  buttons: z
    .array(
      z.object({
        id: text('A stable id for this choice; it comes back when the user taps it.'),
        title: text(`The button label (at most ${INTERACTIVE_LIMITS.buttonTitle} characters).`),
      }),
    )
    .describe(`1 to ${INTERACTIVE_LIMITS.buttons} reply buttons.`),
});

const sendListArgsSchema = z.object({
  body: text(`The message text (at most ${INTERACTIVE_LIMITS.body} characters).`),
  button: text(`The label of the button that opens the list (at most ${INTERACTIVE_LIMITS.listButton} characters).`),
  sections: z
    .array(
      z.object({
        title: text(`Section heading (at most ${INTERACTIVE_LIMITS.sectionTitle} characters).`),
        rows: z.array(
          z.object({
            id: text('A stable id for this row; it comes back when the user picks it.'),
            title: text(`Row title (at most ${INTERACTIVE_LIMITS.rowTitle} characters).`),
            description: text(
              `Optional row description (at most ${INTERACTIVE_LIMITS.rowDescription} characters).`,
            ).optional(),
          }),
        ),
      }),
    )
    .describe(`Sections of rows; at most ${INTERACTIVE_LIMITS.listRows} rows in all.`),
});

const sendCtaUrlArgsSchema = z.object({
  body: text(`The message text (at most ${INTERACTIVE_LIMITS.body} characters).`),
  display_text: text(`The button label (at most ${INTERACTIVE_LIMITS.ctaDisplayText} characters).`),
  url: text('The https URL the button opens.'),
});

const sendMediaArgsSchema = z.object({
  type: z
    .enum(MEDIA_TYPES)
    .describe(
      'image (JPEG, PNG ≤ 5 MB), video (MP4, 3GP ≤ 16 MB), audio (AAC, AMR, MP3, M4A, OGG ≤ 16 MB) or document (PDF, TXT, Office ≤ 100 MB).',
    ),
  url: text('A public https URL of the file.'),
  caption: text(
    `Optional caption (image, video, document; not audio; at most ${INTERACTIVE_LIMITS.caption} characters).`,
  ).optional(),
  filename: text('The file name shown for a document, with its extension (e.g. menu.pdf).').optional(),
});

const requestLocationArgsSchema = z.object({
  body: text(`The message asking for the location (at most ${INTERACTIVE_LIMITS.body} characters).`),
});

const reactArgsSchema = z.object({
  emoji: text("One emoji, sent as a reaction to the user's last message."),
});

const handoffArgsSchema = z.object({
  reason: text('Why a person should take over (short).'),
  summary: text('A summary of the conversation for the team member taking over.'),
});

/** The tools offered to the model: name → description and arguments schema. */
export const ACTION_TOOLS = {
  send_buttons: {
    description: 'Reply with up to 3 tappable buttons (quick choices).',
    args: sendButtonsArgsSchema,
  },
  send_list: {
    description: 'Reply with a list the user opens and picks one row from (up to 10 rows).',
    args: sendListArgsSchema,
  },
  send_cta_url: { description: 'Reply with a button that opens a URL.', args: sendCtaUrlArgsSchema },
  send_media: { description: 'Send an image, document, audio or video by URL.', args: sendMediaArgsSchema },
  request_location: { description: 'Ask the user to share their location.', args: requestLocationArgsSchema },
  react: { description: "React to the user's last message with an emoji.", args: reactArgsSchema },
  handoff: {
    description: 'Hand the conversation over to a person on the team (the bot stops answering).',
    args: handoffArgsSchema,
  },
} as const;

export type ActionName = keyof typeof ACTION_TOOLS;
export const ACTION_NAMES = Object.keys(ACTION_TOOLS) as ReadonlyArray<ActionName>;

/** An action as the model asked for it (arguments parsed, limits not yet applied). */
export type RequestedAction = {
  [K in ActionName]: { name: K; args: z.infer<(typeof ACTION_TOOLS)[K]['args']> };
}[ActionName];

const button = z.object({
  id: z.string().min(1).max(INTERACTIVE_LIMITS.buttonId),
  title: z.string().min(1).max(INTERACTIVE_LIMITS.buttonTitle),
});
const row = z.object({
  id: z.string().min(1).max(INTERACTIVE_LIMITS.rowId),
  title: z.string().min(1).max(INTERACTIVE_LIMITS.rowTitle),
  description: z.string().max(INTERACTIVE_LIMITS.rowDescription).optional(),
});
const body = z.string().min(1).max(INTERACTIVE_LIMITS.body);

/** An action within Meta's limits: what the reply plan stores and the Graph client sends. */
export const whatsAppActionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('buttons'), body, buttons: z.array(button).min(1).max(INTERACTIVE_LIMITS.buttons) }),
  z.object({
    kind: z.literal('list'),
    body,
    button: z.string().min(1).max(INTERACTIVE_LIMITS.listButton),
    sections: z
      .array(z.object({ title: z.string().min(1).max(INTERACTIVE_LIMITS.sectionTitle), rows: z.array(row).min(1) }))
      .min(1)
      .max(INTERACTIVE_LIMITS.listSections),
  }),
  z.object({
    kind: z.literal('cta_url'),
    body,
    display_text: z.string().min(1).max(INTERACTIVE_LIMITS.ctaDisplayText),
    url: z.url({ protocol: /^https?$/ }),
  }),
  z.object({
    kind: z.literal('media'),
    type: z.enum(MEDIA_TYPES),
    url: z.url({ protocol: /^https?$/ }),
    caption: z.string().max(INTERACTIVE_LIMITS.caption).optional(),
    filename: z.string().max(INTERACTIVE_LIMITS.filename).optional(),
  }),
  z.object({ kind: z.literal('location_request'), body }),
  z.object({ kind: z.literal('reaction'), emoji: z.string().min(1).max(32) }),
  z.object({
    kind: z.literal('handoff'),
    reason: z.string().min(1).max(INTERACTIVE_LIMITS.handoffReason),
    summary: z.string().max(INTERACTIVE_LIMITS.handoffSummary),
  }),
]);
export type WhatsAppAction = z.infer<typeof whatsAppActionSchema>;

/** What {@link fitAction} made of a requested action. */
export type FittedAction =
  /** Send this (within limits); `corrections` says what was changed, for the turn's record. */
  | { outcome: 'action'; action: WhatsAppAction; corrections: string[] }
  /** Not sendable as an action: send this plain text instead (never empty). */
  | { outcome: 'text'; text: string; reason: string }
  /** Nothing to send (e.g. an invalid emoji): the reason is recorded. */
  | { outcome: 'dropped'; reason: string };

/** Cuts `value` to `max` characters (by code point), ending with an ellipsis when cut. */
export function truncate(value: string, max: number): string {
  const chars = Array.from(value.trim());
  return chars.length <= max
    ? chars.join('')
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

const length = (value: string) => Array.from(value).length;
const isHttpUrl = (value: string) => z.url({ protocol: /^https?$/ }).safeParse(value.trim()).success;
const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
const EMOJI = /^(\p{Extended_Pictographic}|\p{Regional_Indicator}{2}|[#*0-9]\uFE0F?\u20E3)/u;

/** One emoji (a single grapheme that is pictographic), as Meta accepts for a reaction. */
export function isSingleEmoji(value: string): boolean {
  const graphemes = Array.from(segmenter.segment(value.trim()));
  return graphemes.length === 1 && EMOJI.test(graphemes[0]?.segment ?? '');
}

/** Numbered choices as text: the plain-text stand-in for buttons or a list. */
function choicesAsText(body: string, titles: string[]): string {
  const lines = titles.map((title, i) => `${i + 1}. ${title.trim()}`);
  return [body.trim(), ...lines].filter((line) => line.length > 0).join('\n');
}

/** Unique, non-empty titles within `max` characters (a suffix keeps cut duplicates apart). */
function uniqueTitles(titles: string[], max: number): string[] {
  const seen = new Set<string>();
  return titles.map((title, i) => {
    let fitted = truncate(title, max) || `Option ${i + 1}`;
    for (let n = 2; seen.has(fitted); n++) fitted = `${truncate(title, max - String(n).length - 1)} ${n}`;
    seen.add(fitted);
    return fitted;
  });
}

/** The first `max` characters (code points, never half a surrogate pair), trimmed again after the cut. */
const cutId = (id: string, max: number) => Array.from(id.trim()).slice(0, max).join('').trim();

/** Ids that are unique and trimmed (Meta rejects duplicates and surrounding spaces). */
function uniqueIds(ids: string[], max: number): string[] {
  const seen = new Set<string>();
  return ids.map((id, i) => {
    let fitted = cutId(id, max) || `option_${i + 1}`;
    for (let n = 2; seen.has(fitted); n++) fitted = `${cutId(id, max - 4)}_${n}`;
    seen.add(fitted);
    return fitted;
  });
}

/**
 * Fits a requested action to Meta's limits: corrected where the intent survives (titles cut,
 * duplicates renamed, 4–10 buttons become a list), replaced by plain text where it does not
 * (an over-long body, a bad URL, more than 10 choices), dropped where nothing can be sent.
 */
export function fitAction(requested: RequestedAction): FittedAction {
  const corrections: string[] = [];
  const fitBody = (value: string) => {
    if (length(value) > INTERACTIVE_LIMITS.body) return null;
    return value.trim();
  };
  switch (requested.name) {
    case 'send_buttons': {
      const { buttons } = requested.args;
      const titles = buttons.map((b) => b.title);
      const bodyText = fitBody(requested.args.body);
      if (
        bodyText === null ||
        bodyText === '' ||
        buttons.length === 0 ||
        buttons.length > INTERACTIVE_LIMITS.listRows
      ) {
        return {
          outcome: 'text',
          text: choicesAsText(requested.args.body, titles) || '…',
          reason: 'buttons_not_sendable',
        };
      }
      if (buttons.length > INTERACTIVE_LIMITS.buttons) {
        const asList = fitAction({
          name: 'send_list',
          args: { body: bodyText, button: 'Choose', sections: [{ title: 'Options', rows: buttons }] },
        });
        return asList.outcome === 'action'
          ? { ...asList, corrections: [`${buttons.length} buttons sent as a list`, ...asList.corrections] }
          : asList;
      }
      const fittedTitles = uniqueTitles(titles, INTERACTIVE_LIMITS.buttonTitle);
      const ids = uniqueIds(
        buttons.map((b) => b.id),
        INTERACTIVE_LIMITS.buttonId,
      );
      if (fittedTitles.some((t, i) => t !== titles[i])) corrections.push('button titles shortened');
      return {
        outcome: 'action',
        action: {
          kind: 'buttons',
          body: bodyText,
          buttons: fittedTitles.map((title, i) => ({ id: ids[i] ?? `option_${i + 1}`, title })),
        },
        corrections,
      };
    }
    case 'send_list': {
      const rows = requested.args.sections.flatMap((s) => s.rows);
      const bodyText = fitBody(requested.args.body);
      if (bodyText === null || bodyText === '' || rows.length === 0 || rows.length > INTERACTIVE_LIMITS.listRows) {
        return {
          outcome: 'text',
          text: choicesAsText(
            requested.args.body,
            rows.map((r) => r.title),
          ),
          reason: 'list_not_sendable',
        };
      }
      const sections = requested.args.sections
        .filter((s) => s.rows.length > 0)
        .slice(0, INTERACTIVE_LIMITS.listSections);
      const allTitles = uniqueTitles(
        sections.flatMap((s) => s.rows.map((r) => r.title)),
        INTERACTIVE_LIMITS.rowTitle,
      );
      const allIds = uniqueIds(
        sections.flatMap((s) => s.rows.map((r) => r.id)),
        INTERACTIVE_LIMITS.rowId,
      );
      let index = 0;
      const fittedSections = sections.map((section, s) => ({
        title: truncate(section.title, INTERACTIVE_LIMITS.sectionTitle) || `Section ${s + 1}`,
        rows: section.rows.map((r) => {
          const i = index++;
          const description = r.description?.trim();
          return {
            id: allIds[i] ?? `option_${i + 1}`,
            title: allTitles[i] ?? `Option ${i + 1}`,
            ...(description ? { description: truncate(description, INTERACTIVE_LIMITS.rowDescription) } : {}),
          };
        }),
      }));
      const listButton = truncate(requested.args.button, INTERACTIVE_LIMITS.listButton) || 'Choose';
      if (listButton !== requested.args.button.trim()) corrections.push('list button shortened');
      return {
        outcome: 'action',
        action: { kind: 'list', body: bodyText, button: listButton, sections: fittedSections },
        corrections,
      };
    }
    case 'send_cta_url': {
      const bodyText = fitBody(requested.args.body);
      const url = requested.args.url.trim();
      if (bodyText === null || bodyText === '' || !isHttpUrl(url)) {
        const fallback = [requested.args.body.trim(), isHttpUrl(url) ? url : ''].filter(Boolean).join('\n');
        return { outcome: 'text', text: fallback || url || '…', reason: 'cta_url_not_sendable' };
      }
      const displayText = truncate(requested.args.display_text, INTERACTIVE_LIMITS.ctaDisplayText) || 'Open';
      if (displayText !== requested.args.display_text.trim()) corrections.push('display text shortened');
      return {
        outcome: 'action',
        action: { kind: 'cta_url', body: bodyText, display_text: displayText, url },
        corrections,
      };
    }
    case 'send_media':
      return fitMedia(requested.args);
    case 'request_location': {
      const bodyText = fitBody(requested.args.body);
      if (bodyText === null || bodyText === '') {
        return { outcome: 'text', text: requested.args.body.trim() || '…', reason: 'location_request_not_sendable' };
      }
      return { outcome: 'action', action: { kind: 'location_request', body: bodyText }, corrections };
    }
    case 'react': {
      const emoji = requested.args.emoji.trim();
      if (!isSingleEmoji(emoji)) return { outcome: 'dropped', reason: 'reaction_not_one_emoji' };
      return { outcome: 'action', action: { kind: 'reaction', emoji }, corrections };
    }
    case 'handoff': {
      const reason = truncate(requested.args.reason, INTERACTIVE_LIMITS.handoffReason) || 'requested by the bot';
      const summary = truncate(requested.args.summary, INTERACTIVE_LIMITS.handoffSummary);
      return { outcome: 'action', action: { kind: 'handoff', reason, summary }, corrections };
    }
  }
}

/**
 * `send_media` within Meta's rules (§9.4): an https link; the type the URL's extension names when
 * the model picked another (a `.pdf` sent as `image` goes as a document); a caption only on
 * image, video and document (≤ 1024, cut); a file name only on a document, taken from the URL
 * when the model gave none. A format WhatsApp does not send, or a link that is not https, is
 * replaced by plain text (the caption and the link); an unusable link without a caption is dropped.
 */
function fitMedia(args: RequestedMediaArgs): FittedAction {
  const corrections: string[] = [];
  const url = args.url.trim();
  const caption = args.caption?.trim() ?? '';
  const asText = (reason: string, link: string): FittedAction => {
    const fallback = [caption, link].filter(Boolean).join('\n');
    return fallback === '' ? { outcome: 'dropped', reason } : { outcome: 'text', text: fallback, reason };
  };
  if (!isHttpUrl(url)) return asText('media_url_invalid', '');
  if (!/^https:/i.test(url)) return asText('media_url_not_https', url);
  const extension = classifyExtension(new URL(url).pathname);
  if (extension.kind === 'unsupported') return asText('media_type_not_supported', url);
  let type: MediaType = args.type;
  if (extension.kind === 'supported' && extension.type !== type) {
    corrections.push(`sent as ${extension.type}: the link is a ${extension.mimeType} file`);
    type = extension.type;
  }
  const rule = MEDIA_RULES[type];
  let fittedCaption: string | undefined;
  if (caption !== '' && !rule.caption) corrections.push(`caption dropped: WhatsApp shows none on ${type}`);
  else if (caption !== '') {
    if (length(caption) > INTERACTIVE_LIMITS.caption) corrections.push('caption shortened');
    fittedCaption = truncate(caption, INTERACTIVE_LIMITS.caption);
  }
  let filename: string | undefined;
  const given = cleanFilename(args.filename ?? '');
  if (rule.filename) {
    filename = given || filenameFromUrl(url) || 'document';
    if (given === '') corrections.push('file name taken from the link');
  } else if (given !== '') corrections.push(`file name dropped: WhatsApp shows none on ${type}`);
  return {
    outcome: 'action',
    action: {
      kind: 'media',
      type,
      url,
      ...(fittedCaption ? { caption: fittedCaption } : {}),
      ...(filename ? { filename } : {}),
    },
    corrections,
  };
}

type RequestedMediaArgs = z.infer<typeof sendMediaArgsSchema>;
