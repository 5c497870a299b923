import { botSettingsSchema, VERIFICATION_REASONS } from '@wabot/bot-registry';
import { z } from 'zod';
import { lastErrorSchema, listOf, nullableTimestamp, timestamp, usageTotalsSchema } from './common.js';

const digits = () =>
  z
    .string()
    .trim()
    .regex(/^\d{1,32}$/, 'must contain digits only');
const secret = (max: number) => z.string().min(1, 'must not be empty').max(max);

/** `platform_config` of Aerostack's create-bot body. */
const platformConfigSchema = z.object({
  phone_number_id: digits().describe('WhatsApp phone number id (digits)'),
  access_token: secret(4096).describe('System User access token; stored encrypted, never returned'),
  verify_token: secret(512).describe('token Meta echoes in the webhook verification; stored encrypted'),
  app_secret: secret(512)
    .optional()
    .describe('Meta app secret for X-Hub-Signature-256 verification (recommended); stored encrypted'),
  business_account_id: digits().nullable().optional(),
});

export const createBotBodySchema = z
  .object({
    name: z.string().trim().min(1, 'is required').max(200),
    platform: z.literal('whatsapp', 'must be "whatsapp"'),
    workspace_id: z.uuid('must be a workspace id (uuid)'),
    system_prompt: z.string().max(100_000).default(''),
    platform_config: platformConfigSchema,
    settings: botSettingsSchema.optional().describe('per-bot overrides; defaults apply to what is left out'),
    llm_api_key: secret(4096)
      .optional()
      .describe("the key of the bot's LLM provider (settings.llm.provider); stored encrypted, never returned"),
  })
  .meta({
    examples: [
      {
        name: 'WhatsApp Support Bot',
        platform: 'whatsapp',
        workspace_id: '0b6c1f5e-3f1e-4a57-9c1d-1f2e3d4c5b6a',
        system_prompt: 'You are a helpful WhatsApp assistant for Acme Corp.',
        platform_config: {
          phone_number_id: '123456789012345',
          access_token: 'EAABsbCS...',
          verify_token: 'my-verify-token-xyz',
          app_secret: 'abc123def456...',
        },
      },
    ],
  });

export const updateBotBodySchema = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(200).optional(),
    platform: z.literal('whatsapp', 'must be "whatsapp"').optional(),
    system_prompt: z.string().max(100_000).optional(),
    platform_config: z
      .object({
        phone_number_id: platformConfigSchema.shape.phone_number_id.optional(),
        access_token: platformConfigSchema.shape.access_token.optional(),
        verify_token: platformConfigSchema.shape.verify_token.optional(),
        app_secret: secret(512).nullable().optional().describe('null removes it (signatures are then not verified)'),
        business_account_id: digits().nullable().optional(),
      })
      .optional(),
    settings: botSettingsSchema.optional().describe('replaces the whole settings object'),
    llm_api_key: secret(4096).nullable().optional().describe('null removes it'),
  })
  .refine((body) => Object.values(body).some((v) => v !== undefined), 'nothing to update: send at least one field');

export const botParamsSchema = z.object({ id: z.string().min(1).max(64) });

export const listBotsQuerySchema = z.object({
  workspace_id: z.uuid('must be a workspace id (uuid)').optional().describe('only this workspace'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export const secretStateSchema = z
  .object({ set: z.boolean(), hint: z.string().nullable().describe('e.g. EAAB…x9Q; never the value') })
  .meta({ id: 'SecretState' });

const callHealthSchema = z.object({
  status: z
    .enum(['ok', 'unreachable', 'error', 'unknown'])
    .describe('outcome of the last call: unreachable = no answer (network, timeout, 5xx); unknown = no call yet'),
  last_error: lastErrorSchema.nullable().describe('the last failure, kept after recovery'),
  at: nullableTimestamp.describe('when the status was last recorded'),
});

const botHealthSchema = z
  .object({
    llm: callHealthSchema,
    graph: callHealthSchema,
    credentials: z.enum(['unknown', 'ok', 'invalid']),
    alerts: z.array(z.string()).describe('what is wrong now, in words ("LLM unreachable: …"); empty when healthy'),
  })
  .describe("the bot's outside calls as the worker last saw them")
  .meta({ id: 'BotHealth' });

export const botSchema = z
  .object({
    id: z.string(),
    workspace_id: z.uuid(),
    name: z.string(),
    platform: z.string(),
    system_prompt: z.string(),
    status: z.enum(['active', 'inactive']),
    phone_number_id: z.string(),
    business_account_id: z.string().nullable(),
    platform_config: z.object({
      phone_number_id: z.string(),
      business_account_id: z.string().nullable(),
      access_token: secretStateSchema,
      verify_token: secretStateSchema,
      app_secret: secretStateSchema,
    }),
    settings: botSettingsSchema,
    llm_api_key: secretStateSchema,
    usage_totals: usageTotalsSchema,
    credentials_status: z.enum(['unknown', 'ok', 'invalid']),
    credentials: z
      .object({
        status: z.enum(['unknown', 'ok', 'invalid']),
        error: z.string().nullable().describe('why Meta rejected the credentials, if it did'),
        error_code: z.number().int().nullable(),
        checked_at: nullableTimestamp,
      })
      .describe('credential health as last seen by activation or a send'),
    health: botHealthSchema,
    webhook_url: z.string(),
    webhook_url_warnings: z
      .array(z.string())
      .describe(
        'why Meta may not reach webhook_url (not HTTPS, localhost, a private address); empty when it looks public',
      ),
    version: z.number().int(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'Bot' });

export const botListSchema = listOf(botSchema);

const diagnosticsSchema = z
  .object({
    last_verification: z
      .object({
        at: timestamp,
        outcome: z.enum(['verified', 'rejected']),
        reason: z
          .enum(VERIFICATION_REASONS)
          .nullable()
          .describe(
            "why Meta's verification GET was refused: mode_missing, mode_not_subscribe, token_missing, token_case_mismatch (the token differs only in letter case), token_mismatch, challenge_missing",
          ),
      })
      .nullable()
      .describe('the last verification attempt at the webhook URL (Meta\'s "Verify and save")'),
    last_webhook_at: nullableTimestamp.describe('when the last webhook POST was accepted'),
    rejected_signatures: z.number().int().describe('POSTs refused for a missing or wrong X-Hub-Signature-256'),
    foreign_phone_number_events: z
      .number()
      .int()
      .describe('events posted to this URL for a phone number no bot of the workspace could take'),
  })
  .meta({ id: 'BotDiagnostics' });

/** One bot as `GET /api/bots/:id` shows it: the bot and its webhook diagnostics. */
const engineSchema = z
  .object({
    source: z.enum(['bot', 'deployment', 'offline', 'unknown']),
    provider: z.string().nullable(),
    model: z.string().nullable(),
    canned: z.boolean().describe('true when replies come from the built-in offline engine, not a model'),
    note: z.string().nullable(),
  })
  .meta({ id: 'BotEngine' });

export const botDetailSchema = botSchema
  .extend({
    diagnostics: diagnosticsSchema.nullable().describe('null while Redis cannot be read'),
    engine: engineSchema.describe(
      'which engine answers this bot: its own provider, the deployment LLM or the offline demo engine',
    ),
  })
  .meta({ id: 'BotDetail' });

export const activationSchema = z
  .object({
    id: z.string(),
    status: z.literal('active'),
    webhook_url: z.string(),
    manual_setup_required: z.literal(true),
    warnings: z.array(z.string()),
  })
  .meta({ id: 'Activation' });
