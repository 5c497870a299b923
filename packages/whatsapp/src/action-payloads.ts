import { z } from 'zod';
import { FILENAME_MAX, MEDIA_RULES, MEDIA_TYPES, type MediaType } from './media-rules.js';
import { INTERACTIVE_LIMITS, type WhatsAppAction, whatsAppActionSchema } from './outbound-actions.js';

/**
 * How a reply's action part is stored (`messages.metadata`): the action as sent, within Meta's
 * limits (checked again whenever it is read back), and for a reaction the wamid it reacts to. The
 * worker writes and sends it; the admin API shows `action`.
 */
export const actionPartMetadataSchema = z.object({
  action: whatsAppActionSchema,
  reaction_to: z.string().optional(),
});
export type ActionPartMetadata = z.infer<typeof actionPartMetadataSchema>;

/**
 * How an operator's media message is stored (`messages.metadata.media`; docs/contract.md,
 * operator messages): the type, caption and file name as sent, the MIME type when known, and its
 * source, a public https `link` or an `upload` (the `outbound_media` row whose file is in
 * MEDIA_STORE; the worker uploads it to Meta at send time). The admin writes it, the worker sends it.
 */
export const storedMediaSchema = z
  .object({
    type: z.enum(MEDIA_TYPES),
    caption: z.string().min(1).max(INTERACTIVE_LIMITS.caption).optional(),
    filename: z.string().min(1).max(FILENAME_MAX).optional(),
    mime_type: z.string().optional(),
    link: z.url({ protocol: /^https$/ }).optional(),
    upload: z.object({ id: z.uuid(), size_bytes: z.number().int().nonnegative(), sha256: z.string() }).optional(),
  })
  .refine((media) => (media.link === undefined) !== (media.upload === undefined), 'exactly one of link or upload');
export type StoredMedia = z.infer<typeof storedMediaSchema>;
export const mediaMessageMetadataSchema = z.object({ media: storedMediaSchema });

/** The actions that are one Graph send of their own (a reaction needs its target; a handoff is no send). */
export type SendableAction = Exclude<WhatsAppAction, { kind: 'reaction' | 'handoff' }>;

/** `type` plus the object named after it: the message-specific part of a send body. */
export type ActionPayload = { type: string } & Record<string, unknown>;

/**
 * The message-specific part of `POST /{phone-number-id}/messages` for an action already within
 * Meta's limits (`fitAction`): interactive `button`, `list`, `cta_url`, `location_request_message`,
 * or media by `link`.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/interactive-reply-buttons-messages
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/interactive-list-messages
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/interactive-cta-url-messages
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/location-request-messages
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/image-messages
 */
export function toActionPayload(action: SendableAction): ActionPayload {
  switch (action.kind) {
    case 'buttons':
      return {
        type: 'interactive',
        interactive: {
          type: 'button',
          body: { text: action.body },
          action: { buttons: action.buttons.map(({ id, title }) => ({ type: 'reply', reply: { id, title } })) },
        },
      };
    case 'list':
      return {
        type: 'interactive',
        interactive: {
          type: 'list',
          body: { text: action.body },
          action: {
            button: action.button,
            sections: action.sections.map((section) => ({
              title: section.title,
              rows: section.rows.map((row) => ({
                id: row.id,
                title: row.title,
                ...(row.description ? { description: row.description } : {}),
              })),
            })),
          },
        },
      };
    case 'cta_url':
      return {
        type: 'interactive',
        interactive: {
          type: 'cta_url',
          body: { text: action.body },
          action: { name: 'cta_url', parameters: { display_text: action.display_text, url: action.url } },
        },
      };
    case 'location_request':
      return {
        type: 'interactive',
        interactive: {
          type: 'location_request_message',
          body: { text: action.body },
          action: { name: 'send_location' },
        },
      };
    case 'media':
      return toMediaPayload({
        type: action.type,
        link: action.url,
        caption: action.caption,
        filename: action.filename,
      });
  }
}

/** A media message: by `link` (a public URL Meta fetches) or by `id` (a file uploaded with `POST /{phone-number-id}/media`). */
export type MediaMessage = {
  type: MediaType;
  caption?: string | undefined;
  filename?: string | undefined;
} & ({ link: string; id?: undefined } | { id: string; link?: undefined });

/**
 * The message-specific part of a media send: `{type, <type>: {link | id, caption?, filename?}}`.
 * Meta shows no caption on audio and a file name only on documents, so those are left out.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/image-messages
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/document-messages
 */
export function toMediaPayload(media: MediaMessage): ActionPayload {
  const rule = MEDIA_RULES[media.type];
  const source = media.id !== undefined ? { id: media.id } : { link: media.link };
  const caption = rule.caption && media.caption ? { caption: media.caption } : {};
  const filename = rule.filename && media.filename ? { filename: media.filename } : {};
  return { type: media.type, [media.type]: { ...source, ...caption, ...filename } };
}

/**
 * A reaction to `messageId` (an empty emoji removes it).
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/reaction-messages
 */
export function toReactionPayload(messageId: string, emoji: string): ActionPayload {
  return { type: 'reaction', reaction: { message_id: messageId, emoji } };
}

/**
 * What the conversation view shows for an action part (its `text`): the body, caption or
 * emoji a person would see, so history and search read naturally.
 */
export function toActionText(action: WhatsAppAction): string {
  switch (action.kind) {
    case 'buttons':
      return `${action.body}\n${action.buttons.map((b) => `[${b.title}]`).join(' ')}`;
    case 'list':
      return `${action.body}\n[${action.button}]`;
    case 'cta_url':
      return `${action.body}\n[${action.display_text}](${action.url})`;
    case 'location_request':
      return action.body;
    case 'media':
      return (
        action.caption ??
        (action.type === 'document' ? (action.filename ?? '[Document]') : `[${capitalize(action.type)}]`)
      );
    case 'reaction':
      return action.emoji;
    case 'handoff':
      return `[Handoff: ${action.reason}]`;
  }
}

const capitalize = (value: string) => `${value.charAt(0).toUpperCase()}${value.slice(1)}`;

/** `messages.type` of an action part: the Graph message type it is sent as (`handoff` is never sent). */
export function toActionMessageType(action: WhatsAppAction): string {
  switch (action.kind) {
    case 'buttons':
    case 'list':
    case 'cta_url':
    case 'location_request':
      return 'interactive';
    case 'media':
      return action.type;
    case 'reaction':
    case 'handoff':
      return action.kind;
  }
}
