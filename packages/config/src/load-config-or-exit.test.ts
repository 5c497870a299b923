import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfigOrExit } from './index.js';

describe('loadConfigOrExit', () => {
  const exitWith =
    (codes: number[]) =>
    (code: number): never => {
      codes.push(code);
      throw new Error('exited');
    };

  it('returns the configuration when it loads', () => {
    expect(loadConfigOrExit('svc', () => ({ PORT: 1 }))).toEqual({ PORT: 1 });
  });

  it('names the service and the bad keys on stderr and exits 1 on a ConfigError', () => {
    const codes: number[] = [];
    const lines: string[] = [];
    const load = () => {
      throw new ConfigError(['PORT: expected a number']);
    };
    expect(() => loadConfigOrExit('ingress', load, { exit: exitWith(codes), write: (l) => lines.push(l) })).toThrow(
      'exited',
    );
    expect(codes).toEqual([1]);
    expect(lines).toEqual(['ingress: invalid configuration:\n  - PORT: expected a number\n']);
  });

  it('lets any other error through (a bug, not a bad environment)', () => {
    const codes: number[] = [];
    const load = () => {
      throw new TypeError('boom');
    };
    expect(() => loadConfigOrExit('svc', load, { exit: exitWith(codes), write: () => {} })).toThrow(TypeError);
    expect(codes).toEqual([]);
  });
});
