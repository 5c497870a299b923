import { z } from 'zod';

/**
 * What the worker fleet answers with when a bot names no provider of its own (settings.llm):
 * the deployment's LLM_* endpoint, or the built-in offline engine with canned replies. Each
 * worker writes it at start; the admin reads it to say which engine a bot really runs on.
 */
export const deploymentEngineSchema = z.object({
  /** `llm`: LLM_BASE_URL is set (OpenAI-compatible); `offline`: canned replies, no network. */
  engine: z.enum(['llm', 'offline']),
  /** LLM_MODEL, when set. */
  model: z.string().nullable(),
  /** When a worker last wrote it (ISO time). */
  at: z.string(),
});
export type DeploymentEngine = z.infer<typeof deploymentEngineSchema>;

/** The key holding the {@link DeploymentEngine} record as JSON. */
export const deploymentEngineKey = (prefix: string) => `${prefix}:deployment-engine`;

/** The record as read from Redis, or null when absent or not one (written by another version). */
export function parseDeploymentEngine(value: string | null): DeploymentEngine | null {
  if (value === null) return null;
  try {
    const parsed = deploymentEngineSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
