import { existsSync } from 'node:fs';
import { prepareTemplateDatabase, type ServiceUrls } from './test-services.js';

const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/wabot';

type Stop = () => Promise<unknown>;

/**
 * Finds the Redis and PostgreSQL the tests use: REDIS_URL / DATABASE_URL when set; otherwise
 * containers (testcontainers) when a Docker engine answers; otherwise the local defaults.
 */
export async function resolveTestServices(): Promise<ServiceUrls & { stop: Stop }> {
  const fromEnv = process.env.REDIS_URL || process.env.DATABASE_URL;
  const dockerSocket = process.env.DOCKER_HOST || existsSync('/var/run/docker.sock');
  if (!fromEnv && dockerSocket && process.env.WABOT_TEST_CONTAINERS !== '0') {
    try {
      return await startContainers();
    } catch (error) {
      console.warn(
        `[tests] no usable Docker engine (${error instanceof Error ? error.message : error}); using local services`,
      );
    }
  }
  return {
    redisUrl: process.env.REDIS_URL || DEFAULT_REDIS_URL,
    databaseUrl: process.env.DATABASE_URL || DEFAULT_DATABASE_URL,
    stop: async () => {},
  };
}

async function startContainers(): Promise<ServiceUrls & { stop: Stop }> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const [redis, postgres] = await Promise.all([
    new GenericContainer('redis:7-alpine').withExposedPorts(6379).start(),
    new GenericContainer('postgres:15-alpine')
      .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
      .withExposedPorts(5432)
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
      .start(),
  ]);
  return {
    redisUrl: `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`,
    databaseUrl: `postgresql://postgres@${postgres.getHost()}:${postgres.getMappedPort(5432)}/wabot`,
    stop: () => Promise.all([redis.stop(), postgres.stop()]),
  };
}

export interface ProvidedTestContext {
  redisUrl: string;
  databaseUrl: string;
  templateDatabase: string;
}

export { prepareTemplateDatabase };
