# syntax=docker/dockerfile:1
# Herald's container image: one Node process serving the status page, its SQLite database and
# outgoing mail under the /data volume.
#
#   docker build -t herald .
#   docker run -d --name herald -p 127.0.0.1:4321:4321 -v herald-data:/data \
#     -e HERALD_BASE_URL=https://status.example.com herald
#   docker exec herald node src/cli/admin.ts create-user --email you@example.com --role owner --password '…'
#
# better-sqlite3 loads the prebuilt binary it ships for linux-x64 and linux-arm64 (glibc), so no
# compiler is needed; package.json's allowScripts lets only `node` and `esbuild` run install
# scripts. The `node` dependency puts a second Node 24 in node_modules for npm scripts; the image's
# own Node 24 runs the server.

# Build stage: dev dependencies (Astro's build, TypeScript) and `astro build` into dist/.
FROM node:24-bookworm-slim AS build
WORKDIR /app
ENV ASTRO_TELEMETRY_DISABLED=1
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY astro.config.mjs tsconfig.json ./
COPY scripts ./scripts
COPY db ./db
COPY public ./public
COPY src ./src
RUN npm run build

# Run stage: production dependencies, the sources the CLI runs from, and the build.
FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    ASTRO_TELEMETRY_DISABLED=1 \
    HOST=0.0.0.0 \
    PORT=4321 \
    DATABASE_PATH=/data/herald.db \
    HERALD_MAIL_DIR=/data/mail
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY astro.config.mjs ./
COPY scripts ./scripts
COPY db ./db
COPY public ./public
COPY src ./src
COPY --from=build /app/dist ./dist
# scripts/start.mjs rebuilds when any source is newer than dist/server/entry.mjs, and a rebuild
# here would fail (no dev dependencies, /app not writable). dist/ was built from exactly these
# sources, so its entry is marked newest, last. /data belongs to the unprivileged `node` user.
RUN touch dist/server/entry.mjs \
 && mkdir -p /data/mail \
 && chown -R node:node /data
USER node
VOLUME /data
EXPOSE 4321
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4321) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node itself is PID 1 (not npm, not a shell), so `docker stop`'s SIGTERM reaches Herald, which
# stops the notifier and closes the database before it exits.
STOPSIGNAL SIGTERM
CMD ["node", "scripts/start.mjs"]
