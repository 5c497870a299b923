// The Platform Configuration fields of a WhatsApp bot, and where each value lives in Meta
// (shared/reference/aerostack-whatsapp.md, meta-cloud-api.md).

export interface PlatformField {
  name: 'phone_number_id' | 'access_token' | 'verify_token' | 'app_secret' | 'business_account_id';
  label: string;
  help: string;
  secret: boolean;
  required: boolean;
}

export const PLATFORM_FIELDS: readonly PlatformField[] = [
  {
    name: 'phone_number_id',
    label: 'Phone number ID',
    help: 'Meta Developer Portal → your app → WhatsApp → API Setup: "Phone number ID" under the sending number (digits, not the phone number itself).',
    secret: false,
    required: true,
  },
  {
    name: 'access_token',
    label: 'Access token',
    help: 'Business Settings → Users → System users → Generate new token, with whatsapp_business_messaging (and whatsapp_business_management). The API Setup page’s temporary token expires after 24 hours. Stored encrypted, never shown again.',
    secret: true,
    required: true,
  },
  {
    name: 'verify_token',
    label: 'Verify token',
    help: 'Any string you choose; enter the same value in WhatsApp → Configuration → Webhook → Verify token. Case-sensitive.',
    secret: true,
    required: true,
  },
  {
    name: 'app_secret',
    label: 'App secret',
    help: 'App settings → Basic → App secret (Show). Used to check the X-Hub-Signature-256 of every webhook; without it anyone who knows the URL can post to it.',
    secret: true,
    required: false,
  },
  {
    name: 'business_account_id',
    label: 'WhatsApp Business Account ID',
    help: 'WhatsApp → API Setup: "WhatsApp Business Account ID" (optional; digits).',
    secret: false,
    required: false,
  },
];

/** The steps in the Meta portal once the bot is active. */
export const META_STEPS: readonly string[] = [
  'Open your app in the Meta Developer Portal (developers.facebook.com/apps).',
  'Go to WhatsApp → Configuration and click Edit under Webhook.',
  'Paste the webhook URL below into "Callback URL".',
  'Paste the verify token into "Verify token", then click "Verify and save".',
  'Under Webhook fields, subscribe to "messages".',
  'Send a WhatsApp message to the business number: it appears in the Inbox.',
];
