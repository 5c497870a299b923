/**
 * The text body of a recorded Graph request (`body.text.body` of a text send), or null for any
 * other request — the one way tests, the demo and benchmarks read what the bot said.
 */
export function sentText(request: { body: unknown }): string | null {
  const { body } = request;
  if (typeof body !== 'object' || body === null || !('text' in body)) return null;
  const { text } = body;
  if (typeof text !== 'object' || text === null || !('body' in text)) return null;
  return typeof text.body === 'string' ? text.body : null;
}
