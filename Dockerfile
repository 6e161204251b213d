# 监察台 — the same server as `deno task start`. Without DATABASE_URL it runs on embedded PGlite in /data
# with demo data; set DATABASE_URL=postgres://… to use a PostgreSQL server (demo off unless DEMO=1).
FROM denoland/deno:debian-2.9.6
WORKDIR /app
COPY . .
RUN deno install --frozen && deno task build
ENV PORT=8000 DATA_DIR=/data
VOLUME /data
EXPOSE 8000
CMD ["deno", "task", "start"]
