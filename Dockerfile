# personsd: the Pipedrive-compatible Persons service.
#   docker build -t personsd .
#   docker run -p 8080:8080 -v personsd-data:/data personsd
# Build stage: install every dependency, type-check the TypeScript and bundle it into dist/.
FROM node:20-bookworm-slim AS build
WORKDIR /app
# The sources come first: `npm ci` runs the package's `prepare` script, which is the build (TypeScript and the console).
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY console ./console
COPY bin ./bin
COPY scripts/bundle.js ./scripts/
RUN npm ci --no-audit --no-fund && npm prune --omit=dev

# Run stage: the compiled service and its production dependencies only, as an unprivileged user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATABASE_URL=sqlite:/data/personsd.db \
    WORKERS=1
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/bin ./bin
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 8080
# /ready answers 200 once the process serves with its database reachable and migrated; node itself makes the
# request (the image has no curl).
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "bin/personsd.js", "serve"]
