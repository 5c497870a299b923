/**
 * The dashboard's pure helpers, as browser JavaScript (ES2017, no DOM, no backticks). They are
 * inlined into the page and, in `dashboard-helpers.test.ts`, evaluated in Node, so the code the
 * tests exercise is byte for byte the code the browser runs. Each returns plain strings or
 * objects; the page inserts them with textContent only.
 */
export const dashboardHelpersScript = `
/** "2h 5m", "3d 4h", "45s"; never negative. */
function formatDuration(ms) {
  var seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return seconds + 's';
  var minutes = Math.floor(seconds / 60);
  if (minutes < 60) return minutes + 'm';
  var hours = Math.floor(minutes / 60);
  if (hours < 24) return hours + 'h ' + (minutes % 60) + 'm';
  return Math.floor(hours / 24) + 'd ' + (hours % 24) + 'h';
}

/** The 24-hour customer-service window as seen now (recomputed locally so the countdown moves). */
function windowState(win, now) {
  if (!win || !win.expires_at) return { open: false, text: 'window closed · the user never wrote' };
  var left = Date.parse(win.expires_at) - now;
  if (left > 0) return { open: true, text: 'window open · ' + formatDuration(left) + ' left' };
  return { open: false, text: 'window closed ' + formatDuration(-left) + ' ago' };
}

/**
 * Delivery status as WhatsApp shows it: pending, sent ✓, delivered ✓✓, read (blue) ✓✓,
 * failed ✗ with Meta's error code and title. Inbound messages show their processing state.
 */
function statusTick(message) {
  var status = message.status;
  if (message.direction === 'inbound') {
    var inbound = { received: 'received', processing: 'bot is replying…', handled: 'handled by the bot', failed: 'processing failed' };
    return { symbol: '', cls: 'in-' + status, label: inbound[status] || String(status) };
  }
  switch (status) {
    case 'pending': return { symbol: '…', cls: 'pending', label: 'pending' };
    case 'sent': return { symbol: '✓', cls: 'sent', label: 'sent' };
    case 'delivered': return { symbol: '✓✓', cls: 'delivered', label: 'delivered' };
    case 'read': return { symbol: '✓✓', cls: 'read', label: 'read' };
    case 'failed': {
      var parts = [message.error_code == null ? '' : String(message.error_code), message.error_title || ''].filter(Boolean);
      return { symbol: '✗', cls: 'failed', label: 'failed' + (parts.length ? ': ' + parts.join(' ') : '') };
    }
    default: return { symbol: '', cls: 'unknown', label: String(status) };
  }
}

function isObject(value) { return typeof value === 'object' && value !== null && !Array.isArray(value); }

/** One short label per piece of metadata worth seeing (attachments, location, template, ...). */
function metadataLabels(metadata) {
  if (!isObject(metadata)) return [];
  var labels = [];
  var a = metadata.attachment;
  if (isObject(a)) {
    labels.push('attachment: ' + [a.kind, a.filename, a.mimeType].filter(function (x) { return typeof x === 'string' && x; }).join(' · '));
  }
  var loc = metadata.location;
  if (isObject(loc)) labels.push('location: ' + loc.latitude + ', ' + loc.longitude + (loc.name ? ' · ' + loc.name : ''));
  var t = metadata.template;
  if (isObject(t)) {
    var params = Array.isArray(t.parameters) && t.parameters.length ? ' · ' + t.parameters.join(', ') : '';
    labels.push('template: ' + t.name + ' (' + t.language + ')' + params);
  }
  if (Array.isArray(metadata.contacts)) labels.push('contacts: ' + metadata.contacts.length);
  if (isObject(metadata.reaction)) labels.push('reaction ' + (metadata.reaction.emoji || '(removed)'));
  if (isObject(metadata.interactive)) labels.push('interactive: ' + metadata.interactive.type);
  if (isObject(metadata.button)) labels.push('button: ' + metadata.button.text);
  if (isObject(metadata.order)) labels.push('order: ' + (Array.isArray(metadata.order.items) ? metadata.order.items.length : 0) + ' item(s)');
  if (isObject(metadata.context)) labels.push('in reply to an earlier message');
  if (metadata.malformed === true) labels.push('malformed payload');
  return labels;
}

/** Who the user is: profile name, phone (wa_id), business-scoped user id. */
function userLabel(c) {
  var name = c.profile_name || c.wa_id || c.user_id || c.user_key;
  var ids = [c.wa_id ? '+' + c.wa_id : '', c.user_id ? 'user ' + c.user_id : ''].filter(Boolean);
  return { name: String(name), ids: ids.join(' · ') };
}

/** A readable error from a response status and the API's {error:{code, message, details}} body. */
function describeApiError(status, body) {
  var error = isObject(body) && isObject(body.error) ? body.error : null;
  var title = error ? error.message + ' (' + error.code + ')' : 'HTTP ' + status;
  var lines = [];
  var details = error && isObject(error.details) ? error.details : {};
  if (Array.isArray(details.fields)) {
    details.fields.forEach(function (f) {
      // The message often names the first field already; list only what it does not say.
      if (isObject(f) && !(error.message.indexOf(f.field) >= 0 && error.message.indexOf(f.message) >= 0)) lines.push(f.field + ': ' + f.message);
    });
  }
  if (typeof details.retry_after_ms === 'number') lines.push('retry in ' + formatDuration(details.retry_after_ms));
  if (typeof details.request_id === 'string') lines.push('request id ' + details.request_id);
  if (status === 401) lines.push('Sign in again with a fresh token (./run token --sub you).');
  if (status >= 500 && !error) lines.push('the admin service is unavailable; try again shortly');
  return { title: title, lines: lines };
}

/** The sub and expiry of a JWT, read without verifying it (the server verifies). */
function tokenInfo(token, now) {
  try {
    var part = String(token).split('.')[1] || '';
    var json = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/')));
    var info = { sub: typeof json.sub === 'string' ? json.sub : null, expired: false, left: null };
    if (typeof json.exp === 'number') { info.left = json.exp * 1000 - now; info.expired = info.left <= 0; }
    return info;
  } catch (e) {
    return null;
  }
}

/** Template parameters, one per line; blank lines ignored. */
function splitLines(text) {
  return String(text).split(/\\r?\\n/).map(function (s) { return s.trim(); }).filter(Boolean);
}

function shorten(text, max) {
  var s = String(text == null ? '' : text).replace(/\\s+/g, ' ');
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}
`;

/** The names `dashboardHelpersScript` defines, for tests. */
export const dashboardHelperNames = [
  'formatDuration',
  'windowState',
  'statusTick',
  'metadataLabels',
  'userLabel',
  'describeApiError',
  'tokenInfo',
  'splitLines',
  'shorten',
] as const;
