# One image for the three services; the command picks which one runs.
#   docker build -t wabot .
#   docker run --rm wabot node services/ingress/dist/main.js
# The workspace packages in the image are the ones `turbo prune` finds the services depend on,
# so adding a package needs no edit here (tools/deployment-files.test.ts keeps this file honest).
FROM node:24-bookworm-slim AS base
ENV PNPM_HOME=/pnpm PATH=/pnpm:$PATH TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1 CHECKPOINT_DISABLE=1 PRISMA_HIDE_UPDATE_MESSAGE=1
# The versions pinned in package.json (packageManager and devDependencies.turbo).
RUN npm install -g pnpm@10.34.9 turbo@2.11.11
WORKDIR /app

# 1. prune: the services and the workspace packages they depend on, as out/json (manifests,
#    pruned lockfile, pnpm-workspace.yaml with the catalog) and out/full (their sources).
FROM base AS prune
COPY . .
RUN turbo prune @wabot/ingress @wabot/worker @wabot/admin --docker

# 2. install: from the manifests alone, so this layer is reused until a dependency changes.
FROM base AS install
COPY --from=prune /app/out/json/ ./
RUN pnpm install --frozen-lockfile

# 3. build: sources, the root files prune does not carry (turbo's global dependency
#    tsconfig.base.json, the Prisma schema and migrations, the migrate script), then production
#    dependencies only.
FROM install AS build
COPY --from=prune /app/out/full/ ./
COPY tsconfig.base.json prisma.config.ts ./
COPY prisma/ prisma/
COPY tools/prisma-generate.mjs tools/migrate.mjs tools/
RUN node tools/prisma-generate.mjs \
  && turbo run build --filter=@wabot/ingress --filter=@wabot/worker --filter=@wabot/admin --output-logs=errors-only
# Without a TTY pnpm would abort instead of purging node_modules for the --prod layout.
RUN pnpm install --frozen-lockfile --prod --offline --ignore-scripts --config.confirm-modules-purge=false

# 4. runtime: Node 24, the built workspace owned by root and run as the unprivileged node user.
FROM node:24-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0
COPY --from=build /app /app
# MEDIA_STORE: operators' uploads (and media) outside the root-owned /app, writable by node.
RUN mkdir -p /data/media && chown node:node /data/media
ENV MEDIA_STORE=/data/media
USER node
EXPOSE 3000 3001 3002
HEALTHCHECK --interval=10s --timeout=3s --retries=3 CMD node -e "fetch('http://127.0.0.1:'+(process.env.SERVICE_PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--enable-source-maps", "services/ingress/dist/main.js"]
