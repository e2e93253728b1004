# One container: the production build served by server.js (migrate, then serve).
# Debian (bookworm) rather than Alpine: better-sqlite3 has no musl build here.
# No `# syntax=` line: it makes BuildKit pull a frontend image, and builds must
# work with only the base image present (podman build --pull=never).

# All dependencies, compiled once; this layer is reused while package-lock.json is unchanged.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# patches/ carries upstream fixes the pinned versions lack (applied by postinstall).
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --no-audit --no-fund

# Runtime dependencies: pruned from the compiled tree so better-sqlite3 is not built twice,
# and independent of the sources, so a code change does not redo it. --omit=optional as
# well: typescript and @types/* are optional peers of @remix-run/*, which --omit=dev alone
# keeps; the only other optional package is a TextEncoder polyfill Node 20 does not need.
# Except resvg's native binary (the share cards): an optional dependency of @resvg/resvg-js,
# one package per platform, so it is set aside before the prune and put back after it.
FROM deps AS prod-deps
RUN cp -a node_modules/@resvg /tmp/resvg \
 && npm prune --omit=dev --omit=optional --no-audit --no-fund \
 && cp -a /tmp/resvg/. node_modules/@resvg/ \
 && rm -rf /tmp/resvg \
 && find node_modules -perm /022 -exec chmod go-w {} +

FROM deps AS build
COPY . .
RUN npm run build \
 && find build public db scripts app/pdf/fonts server.js pdf-worker.js package.json \
      -perm /022 -exec chmod go-w {} +

# No compiler, no dev packages. Everything under /app belongs to root and is
# read-only for the runtime user; only /app/data (the volume) is node's.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/app/data
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/package.json /app/server.js /app/pdf-worker.js ./
COPY --from=build /app/build ./build
COPY --from=build /app/public ./public
COPY --from=build /app/db/migrations ./db/migrations
COPY --from=build /app/scripts/rotate-pii-keys.js /app/scripts/backup.js /app/scripts/staff.js /app/scripts/audit-verify.js \
     /app/scripts/retention.js /app/scripts/restore.js ./scripts/
# Read at run time from the working directory: the PDF's Korean font.
COPY --from=build /app/app/pdf/fonts ./app/pdf/fonts
# The database and generated secrets live here: owner only.
RUN mkdir -m 0700 /app/data && chown node:node /app/data
USER node
VOLUME ["/app/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "server.js"]
