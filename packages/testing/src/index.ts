export { eventually } from './eventually.js';
export { type ProvidedTestContext, prepareTemplateDatabase, resolveTestServices } from './global-setup.js';
export { type JsonMutation, jsonMutationsArbitrary, mutateJson } from './json-mutations.js';
export {
  FIXTURE_APP_SECRET,
  loadMetaFixture,
  loadMetaFixtures,
  type MetaFixture,
  metaFixturesDir,
} from './meta-fixtures.js';
export { type RedisCluster, type RedisClusterOptions, startRedisCluster } from './redis-cluster.js';
export { createSecretScan, type SecretLeak, type SecretScan } from './secret-scan.js';
export { createTestBot, type TestBot, type TestBotSeed } from './test-bots.js';
export { createTestRedisCluster, type TestRedisCluster, toClusterNode } from './test-redis-cluster.js';
export {
  createTestDatabase,
  createTestRedis,
  deleteKeysWithPrefix,
  keysAt,
  keysPerNode,
  migrationsDir,
  type ServiceUrls,
  scanKeys,
  type TestDatabase,
  type TestRedis,
} from './test-services.js';
export { useTestDatabase, useTestRedis, useTestRedisCluster } from './vitest-fixtures.js';
