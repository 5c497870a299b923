import { randomUUID } from 'node:crypto';
import { useTestDatabase } from '@wabot/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBotRepository } from './bot-repository.js';
import { createBotToolRepository } from './bot-tool-repository.js';
import { isUniqueViolation } from './database-errors.js';
import { createToolCallRepository } from './tool-call-repository.js';
import { createWorkspaceRepository } from './workspace-repository.js';

const database = useTestDatabase();
let botId: string;

beforeAll(async () => {
  const { db } = database.current;
  const workspace = await createWorkspaceRepository(db).create('tool repository');
  botId = `bt_r${randomUUID().replaceAll('-', '').slice(0, 18)}`;
  await createBotRepository(db).create({
    id: botId,
    workspaceId: workspace.id,
    name: 'tool bot',
    phoneNumberId: '15550008888',
    accessTokenCipher: 'sealed-a',
    verifyTokenCipher: 'sealed-v',
  });
});

const newTool = (name: string) => ({
  botId,
  name,
  description: name,
  parameters: { type: 'object' },
  url: 'https://api.example.com/',
  headers: { Authorization: { cipher: 'v1:old', hint: null } },
});

describe('bot tool repository', () => {
  it('refuses a second tool of one name on a bot as a unique violation on name', async () => {
    const tools = createBotToolRepository(database.current.db);
    await tools.create(newTool('same_name'));
    const error = await tools.create(newTool('same_name')).catch((e: unknown) => e);
    expect(isUniqueViolation(error, 'name')).toBe(true);
  });

  it('refuses a name outside the function-name rule (check constraint), whatever the caller checked', async () => {
    const tools = createBotToolRepository(database.current.db);
    await expect(tools.create(newTool('not a name'))).rejects.toThrow();
  });

  it('replaces sealed headers only while the tool is unchanged', async () => {
    const tools = createBotToolRepository(database.current.db);
    const tool = await tools.create(newTool('rotated'));
    const stale = tool.updatedAt;
    await tools.update(tool.id, { description: 'changed meanwhile', updatedAt: new Date(stale.getTime() + 1) });
    expect(
      await tools.replaceHeadersIfUnchanged(tool.id, stale, { Authorization: { cipher: 'v1:new', hint: null } }),
    ).toBe(false);
    const current = await tools.findInBot(botId, tool.id);
    expect(current?.headers).toEqual({ Authorization: { cipher: 'v1:old', hint: null } });
    if (!current) throw new Error('gone');
    expect(
      await tools.replaceHeadersIfUnchanged(tool.id, current.updatedAt, {
        Authorization: { cipher: 'v1:new', hint: null },
      }),
    ).toBe(true);
    expect((await tools.findInBot(botId, tool.id))?.headers).toEqual({
      Authorization: { cipher: 'v1:new', hint: null },
    });
    expect(await tools.findInBot('bt_someone_else', tool.id)).toBeNull();
  });

  it('records a turn’s calls only for a stored turn (foreign key on the message)', async () => {
    const calls = createToolCallRepository(database.current.db);
    const call = {
      toolId: null,
      toolName: 'x',
      argumentsBytes: 2,
      status: 'ok' as const,
      httpStatus: 200,
      durationMs: 5,
      error: null,
      at: new Date(),
    };
    await expect(calls.record({ botId, turnId: randomUUID() }, [call])).rejects.toThrow();
    await expect(calls.record({ botId, turnId: randomUUID() }, [])).resolves.toBeUndefined();
  });
});
