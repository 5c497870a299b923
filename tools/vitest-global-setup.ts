import { prepareTemplateDatabase, resolveTestServices, startRedisCluster } from '@wabot/testing';
import type { TestProject } from 'vitest/node';

/**
 * Runs once per project of a `vitest run`: finds Redis/PostgreSQL and builds the migrated template
 * database. The `cluster` project also starts a local 3-node Redis Cluster (redis-server
 * --cluster-enabled yes on free ports) and its test files run on it instead of the single Redis.
 */
export default async function setup(project: TestProject) {
  const services = await resolveTestServices();
  const templateDatabase = await prepareTemplateDatabase(services.databaseUrl);
  const cluster = project.name === 'cluster' ? await startRedisCluster() : null;
  project.provide('redisUrl', services.redisUrl);
  project.provide('redisClusterNodes', cluster?.seeds ?? '');
  project.provide('databaseUrl', services.databaseUrl);
  project.provide('templateDatabase', templateDatabase);
  return async () => {
    await cluster?.stop();
    await services.stop();
  };
}
