// How the demo prints a conversation: chat bubbles with the simulated clock's time, what each
// inbound type looks like, the ticks of a reply, and the closing list of checks.
import { stripVTControlCharacters } from 'node:util';
import type { InboundContent, SimClock } from '@wabot/meta-simulator';
import type { StoredMessage } from './admin-api.ts';

export interface Check {
  ok: boolean;
  label: string;
}

export function createTranscript({
  color,
  columns,
  clock,
  write = (text) => process.stdout.write(text),
}: {
  color: boolean;
  columns: number | undefined;
  clock: SimClock;
  write?: (text: string) => void;
}) {
  const paint = (code: number) => (text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const style = {
    bold: paint(1),
    dim: paint(2),
    green: paint(32),
    blue: paint(34),
    red: paint(31),
    cyan: paint(36),
    yellow: paint(33),
  };
  const { dim, blue, red, green, bold } = style;
  const out = (line = '') => write(`${line}\n`);
  const indent = ' '.repeat(11);
  const width = Math.max(60, Math.min(columns ?? 100, 120) - 24);
  const clip = (line: string) => ([...line].length > width ? `${[...line].slice(0, width - 1).join('')}…` : line);
  const time = () => dim(new Date(clock.now()).toISOString().slice(11, 19));

  function ticks(message: StoredMessage | undefined): string {
    switch (message?.status) {
      case 'read':
        return blue('✓✓ read');
      case 'delivered':
        return '✓✓ delivered';
      case 'sent':
        return '✓ sent';
      case 'failed':
        return red(
          `✗ failed${message.error_code ? ` (${message.error_code}` : ' ('}${message.error_title ? ` ${message.error_title}` : ''})`,
        );
      default:
        return dim(`… ${message?.status ?? 'not sent'}`);
    }
  }

  function bubble(who: string, text: string, suffix = '') {
    const lines = text
      .split('\n')
      .filter((line, index, all) => line.trim() !== '' || (index > 0 && all[index - 1]?.trim() !== ''))
      .map(clip);
    const shown = lines.length > 6 ? [...lines.slice(0, 4), dim(`… (${lines.length - 4} more lines)`)] : lines;
    out(`${time()}  ${who} ${shown[0] ?? ''}${suffix ? `  ${suffix}` : ''}`);
    for (const line of shown.slice(1)) out(`${indent}${' '.repeat(stripVTControlCharacters(who).length + 1)}${line}`);
  }

  /** Prints every check; true when all passed. */
  function summary(checks: Check[]): boolean {
    out();
    const failed = checks.filter((c) => !c.ok);
    for (const c of checks) out(`${c.ok ? green('✔') : red('✘')} ${c.label}`);
    out();
    out(
      failed.length === 0
        ? green(bold(`Demo transcript complete: all ${checks.length} checks passed.`))
        : red(bold(`Demo transcript complete: ${failed.length} of ${checks.length} checks failed.`)),
    );
    return failed.length === 0;
  }

  return { ...style, out, indent, ticks, bubble, summary, describe: describeContent };
}
export type Transcript = ReturnType<typeof createTranscript>;

/** What an inbound message looks like in the transcript. */
function describeContent(content: InboundContent): string {
  switch (content.type) {
    case 'text':
      return content.body;
    case 'image':
      return `🖼  [photo] ${content.caption ?? ''}`;
    case 'document':
      return `📄 [${content.filename}] ${content.caption ?? ''}`;
    case 'audio':
      return '🎤 [voice note 0:07]';
    case 'video':
      return `🎬 [video] ${content.caption ?? ''}`;
    case 'sticker':
      return '🙂 [sticker]';
    case 'location':
      return `📍 [location] ${content.name ?? ''} (${content.latitude}, ${content.longitude})`;
    case 'contacts':
      return `👤 [contact card] ${content.contacts.map((c) => c.name).join(', ')}`;
    case 'button_reply':
      return `🔘 [tapped button] ${content.title}`;
    case 'list_reply':
      return `📋 [picked from list] ${content.title}`;
    case 'button':
      return `🔘 [tapped template button] ${content.text}`;
    case 'reaction':
      return `[reacted ${content.emoji} to the bot's last message]`;
    case 'order':
      return `🛒 [order] ${content.items.map((i) => `${i.quantity}× ${i.productRetailerId}`).join(', ')}`;
    case 'unsupported':
      return `[${content.unsupportedType} — a type the Cloud API does not support]`;
  }
}
