import { spawn } from 'node:child_process';
import path from 'node:path';
import { useTestDatabase, useTestRedis } from '@wabot/testing';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

/** `./run demo --once` minus set-up: the scripted conversation against built services and the Meta simulator. */
describe('demo --once (real processes)', () => {
  const database = useTestDatabase();
  const redis = useTestRedis();

  it('plays the scripted conversation, prints the transcript and exits 0', async () => {
    const child = spawn(
      process.execPath,
      [path.join(root, 'tools/demo/main.ts'), '--once', '--redis-prefix', redis.current.prefix],
      {
        cwd: root,
        env: { ...process.env, NO_COLOR: '1', DATABASE_URL: database.current.url, REDIS_URL: redis.current.url },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));

    expect(code, output.slice(-4000)).toBe(0);
    expect(output).toContain('all 31 checks passed');
    // Media: every type stored, the voice note transcribed and the photo described by labelled stand-ins.
    expect(output.match(/📎 stored /g)?.length).toBe(5);
    expect(output).toContain('📝 transcript: [offline stand-in transcript] Hi! Can I book a table');
    expect(output).toContain('👁  [offline stand-in description] a picture (image/png, 70 bytes)');
    expect(output).not.toContain('✘');
    // The takeover scene: the person's message with ticks, the bot silent meanwhile.
    expect(output).toMatch(/control: human \(demo: a person takes over\)/);
    expect(output).toMatch(/Sam\s+◂ Hi Ana, Sam from the café here/);
    // Who said what, with ticks.
    expect(output).toMatch(/Ana\s+▸ Hello! Are you open today\? 😊/);
    expect(output).toMatch(/Bot\s+◂ Hello!.*✓✓ read/);
    // Every inbound type appears in the transcript.
    for (const shown of [
      '[photo]',
      '[catering-order.pdf]',
      '[voice note',
      '[video]',
      '[location]',
      '[contact card]',
      '[sticker]',
      '[tapped button]',
      '[picked from list]',
      '[tapped template button]',
      '[order]',
      'poll_creation',
      'reacted ❤️',
    ]) {
      expect(output).toContain(shown);
    }
    // Chunked long reply, username user, closed window both ways.
    expect(output).toMatch(/\[part 1\/\d+, \d+ chars\]/);
    expect(output).toMatch(/Kai\s+▸/);
    expect(output).toContain('[template hello_world]');
    expect(output).toContain('✗ failed (131047');
  }, 150_000);
});
