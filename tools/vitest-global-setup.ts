import { prepareTemplateDatabase, resolveTestServices } from '@wabot/testing';
import type { TestProject } from 'vitest/node';

/** Runs once per `vitest run`: finds Redis/PostgreSQL and builds the migrated template database. */
export default async function setup(project: TestProject) {
  const services = await resolveTestServices();
  const templateDatabase = await prepareTemplateDatabase(services.databaseUrl);
  project.provide('redisUrl', services.redisUrl);
  project.provide('databaseUrl', services.databaseUrl);
  project.provide('templateDatabase', templateDatabase);
  return async () => {
    await services.stop();
  };
}
